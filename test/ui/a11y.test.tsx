import { screen, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { DIAGNOSE_BASIC_ONLY } from '../../src/addin/dev/mock-backend.ts';
import { IWA_FAILURE_SCENARIOS, type Scenario } from '../../src/addin/dev/scenarios.ts';
import { renderPane, seriousViolations, settingsHeading } from './helpers.tsx';

const summary = (v: Awaited<ReturnType<typeof seriousViolations>>) =>
  v.map((x) => `${x.id}: ${x.nodes.map((n) => n.html).join(' | ')}`);

describe('axe-core: no serious or critical violations', () => {
  test('signing in', async () => {
    renderPane({ office: { readyDelayMs: 10_000 } });
    expect(screen.getByText('Connecting to Outlook…')).toBeInTheDocument();
    expect(summary(await seriousViolations())).toEqual([]);
  });

  test('Authentication Settings, signed in', async () => {
    renderPane();
    await settingsHeading();
    await screen.findByText('Active');
    expect(summary(await seriousViolations())).toEqual([]);
  });

  test('Authentication Settings, failed, with a Fix diagnosis and the password form open', async () => {
    const { user } = renderPane({
      backend: { iwa: { error: 'CAS_NO_NEGOTIATE' }, diagnose: DIAGNOSE_BASIC_ONLY },
    });
    await settingsHeading();
    const iwa = await screen.findByRole('group', { name: /Windows sign-in/ });
    await within(iwa).findByText('Failed');
    await user.click(within(iwa).getByRole('button', { name: 'Fix Windows sign-in (IWA)' }));
    await within(iwa).findByRole('list', { name: /Checks for/ });
    await user.click(screen.getByRole('button', { name: 'Sign in with password' }));
    expect(summary(await seriousViolations())).toEqual([]);
  });

  test('wizard with an outcome and alternatives', async () => {
    const scenario = IWA_FAILURE_SCENARIOS['outcome-IDENTITY_MISMATCH'] as Scenario;
    const { user } = renderPane({
      office: { ...scenario.office, identityToken: 't' },
      backend: scenario.backend,
    });
    await settingsHeading();
    await user.click(await screen.findByRole('button', { name: 'Fix sign-in' }));
    await screen.findByRole('region', { name: '3. What happened' }, { timeout: 3000 });
    expect(summary(await seriousViolations())).toEqual([]);
  });

  test('dark Office theme', async () => {
    renderPane({ office: { theme: { isDark: true }, sets: { Mailbox: '1.14' } } });
    await settingsHeading();
    await screen.findByText('Active');
    expect(summary(await seriousViolations())).toEqual([]);
  });
});
