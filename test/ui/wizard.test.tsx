import { screen, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { OutcomeCode } from '../../src/addin/api/failure.ts';
import { explain } from '../../src/addin/auth/outcomes.ts';
import { englishCatalogue } from '../../src/addin/i18n/locales.ts';
import { translate } from '../../src/addin/i18n/translate.ts';
import { IWA_FAILURE_SCENARIOS, SCENARIOS, type Scenario } from '../../src/addin/dev/scenarios.ts';
import { renderPane, settingsHeading } from './helpers.tsx';

/** Starts the pane in a scenario, opens the wizard from the message bar and waits for step 3. */
async function openWizard(scenario: Omit<Scenario, 'label'>) {
  const pane = renderPane({ office: scenario.office, backend: scenario.backend });
  await settingsHeading();
  await pane.user.click(await screen.findByRole('button', { name: 'Fix sign-in' }));
  expect(await screen.findByRole('heading', { level: 1, name: 'Sign-in help' })).toBeInTheDocument();
  const step3 = await screen.findByRole('region', { name: '3. What happened' }, { timeout: 3000 });
  return { ...pane, step3 };
}

const ctx = (mailbox: string) => ({ mailbox, site: location.host });
const t = translate('en', englishCatalogue);

describe('wizard outcomes after a failed IWA attempt', () => {
  test.each(Object.entries(IWA_FAILURE_SCENARIOS))('%s', async (name, scenario) => {
    const code = name.replace('outcome-', '') as OutcomeCode;
    const { step3, count } = await openWizard(scenario);
    const mailbox = scenario.office?.mailbox ?? 'alice@corp.test';
    const expected = explain(
      {
        code,
        details:
          scenario.backend?.iwa && 'error' in scenario.backend.iwa
            ? (scenario.backend.iwa.details ?? {})
            : {},
      },
      ctx(mailbox),
      t,
    );
    expect(within(step3).getByText(expected.title)).toBeInTheDocument();
    expect(within(step3).getByText(expected.what)).toBeInTheDocument();
    expect(within(step3).getByText(expected.next)).toBeInTheDocument();
    expect(within(step3).getByText('Who can fix it')).toBeInTheDocument();
    expect(document.title).toBe('Sign-in help – Outlook IWA');
    // one silent attempt and one wizard attempt: no loops
    expect(count('/api/auth/iwa')).toBe(2);
    // other enabled methods are offered
    expect(screen.getByRole('region', { name: '4. Other ways to sign in' })).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Sign in with your domain password' })).toBeInTheDocument();
  });

  test('identity mismatch names both mailboxes', async () => {
    const { step3 } = await openWizard(IWA_FAILURE_SCENARIOS['outcome-IDENTITY_MISMATCH'] as Scenario);
    expect(
      within(step3).getByText(
        'Windows proved the mailbox alice@corp.test, but Outlook is open for bob@corp.test.',
      ),
    ).toBeInTheDocument();
  });

  test('no Windows credentials: the Local intranet zone / AuthServerAllowlist fix for the admin', async () => {
    const { step3 } = await openWizard(IWA_FAILURE_SCENARIOS['outcome-BROWSER_NO_CREDENTIALS'] as Scenario);
    expect(within(step3).getByText(/Local intranet zone/)).toBeInTheDocument();
    expect(within(step3).getByText(/AuthServerAllowlist/)).toBeInTheDocument();
    expect(within(step3).getByText('Your IT admin')).toBeInTheDocument();
  });

  test('Try again is a click, once per click', async () => {
    const { user, count } = await openWizard({
      backend: { iwa: [{ error: 'RATE_LIMITED' }, { error: 'RATE_LIMITED' }, { ok: true }] },
    });
    expect(count('/api/auth/iwa')).toBe(2);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('region', { name: 'Done' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'You are signed in as alice@corp.test with Windows sign-in (IWA).',
    );
    expect(count('/api/auth/iwa')).toBe(3);
    await user.click(screen.getByRole('button', { name: 'Close' }));
    await settingsHeading();
    expect(
      within(screen.getByRole('group', { name: /Windows sign-in/ })).getByText('Active'),
    ).toBeInTheDocument();
  });
});

describe('wizard outcomes decided before trying IWA', () => {
  test.each([
    ['outcome-PROFILE_NOT_FOUND', 'PROFILE_NOT_FOUND'],
    ['outcome-METHOD_DISABLED', 'METHOD_DISABLED'],
    ['office365', 'OFFICE_365'],
    ['office365-ews', 'OFFICE_365'],
  ] as const)('%s', async (name, code) => {
    const scenario = SCENARIOS[name] as Scenario;
    const { step3, count } = await openWizard(scenario);
    const mailbox = scenario.office?.mailbox ?? 'alice@corp.test';
    expect(
      within(step3).getByText(explain({ code, details: {} }, ctx(mailbox), t).title),
    ).toBeInTheDocument();
    expect(screen.getByText('Not tried: it cannot work here (see below).')).toBeInTheDocument();
    expect(count('/api/auth/iwa')).toBe(0);
  });

  test('Office 365 is said plainly in the environment check', async () => {
    await openWizard(SCENARIOS.office365 as Scenario);
    const checks = screen.getByRole('list', { name: 'Setup checks' });
    expect(
      within(checks).getByText(
        'Your mailbox is in Office 365 (Exchange Online): Windows sign-in is not supported.',
      ),
    ).toBeInTheDocument();
  });
});

describe('wizard alternatives', () => {
  test('identity token not bound yet: explained, then password works', async () => {
    const { user, step3, backend } = await openWizard({
      office: { identityToken: 'id-tok' },
      backend: { iwa: { error: 'AUTH_REJECTED' } },
    });
    expect(within(step3).getByText('Exchange did not accept your Windows sign-in')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign in with Outlook’s identity token' }));
    expect(await screen.findByText('Sign in once with Windows or your password first')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Windows user name/), 'alice');
    await user.type(screen.getByLabelText(/^Password/), 'correct horse{Enter}');
    expect(await screen.findByRole('region', { name: 'Done' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('with Domain password');
    // the new password session binds the identity token
    await screen.findByRole('button', { name: 'Close' });
    expect(backend.requests.some((r) => r.path === '/api/auth/identity-token/bind')).toBe(true);
  });

  test('no alternatives enabled: says so', async () => {
    await openWizard({
      backend: { iwa: { error: 'AUTH_REJECTED' }, methods: [{ method: 'iwa', enabled: true }] },
    });
    expect(
      screen.getByText('No other sign-in method is enabled for your mailbox. Your admin can enable one.'),
    ).toBeInTheDocument();
  });

  test('reopenable from settings at any time', async () => {
    const { user } = renderPane();
    await settingsHeading();
    await screen.findByText('Active');
    await user.click(screen.getByRole('button', { name: 'Sign-in help' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign-in help' })).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Close' }));
    await settingsHeading();
  });
});
