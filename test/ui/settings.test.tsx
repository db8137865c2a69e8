import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { DIAGNOSE_BASIC_ONLY, DIAGNOSE_OK } from '../../src/addin/dev/mock-backend.ts';
import { card, renderPane, settingsHeading } from './helpers.tsx';

const IWA = /Windows sign-in/;
const TOKEN = /Exchange identity token/;
const PASSWORD = /Domain password/;

describe('card statuses', () => {
  test('active, available, and one card per method in the profile', async () => {
    renderPane();
    await settingsHeading();
    expect(
      await within(await screen.findByRole('group', { name: IWA })).findByText('Active'),
    ).toBeInTheDocument();
    expect(within(card(TOKEN)).getByText('Available')).toBeInTheDocument();
    expect(within(card(PASSWORD)).getByText('Available')).toBeInTheDocument();
    expect(screen.getAllByRole('group')).toHaveLength(3);
  });

  test('only methods the profile lists get a card (no placeholders)', async () => {
    renderPane({ backend: { methods: [{ method: 'iwa', enabled: true }] } });
    await settingsHeading();
    await screen.findByText('Active');
    expect(screen.getAllByRole('group')).toHaveLength(1);
  });

  test('not enabled by your admin', async () => {
    renderPane({
      backend: {
        methods: [
          { method: 'iwa', enabled: false },
          { method: 'password', enabled: true },
        ],
      },
    });
    await settingsHeading();
    const iwa = await screen.findByRole('group', { name: IWA });
    expect(within(iwa).getByText('Not enabled by your admin')).toBeInTheDocument();
    expect(within(iwa).queryByRole('button')).not.toBeInTheDocument();
  });

  test('not possible here, with the reason (Office 365 by accountType)', async () => {
    const { count } = renderPane({
      office: { mailbox: 'carol@contoso.com', accountType: 'office365' },
    });
    await settingsHeading();
    const iwa = await screen.findByRole('group', { name: IWA });
    expect(within(iwa).getByText('Not possible here')).toBeInTheDocument();
    expect(within(iwa).getByText(/Your mailbox is in Office 365 \(Exchange Online\)/)).toBeInTheDocument();
    expect(count('/api/auth/iwa')).toBe(0);
    expect(await screen.findByText('Office 365 mailboxes cannot use Windows sign-in.')).toBeInTheDocument();
  });

  test('Office 365 detected from the ewsUrl host when accountType is missing', async () => {
    renderPane({
      office: { sets: { Mailbox: '1.5' }, ewsUrl: 'https://outlook.office365.com/EWS/Exchange.asmx' },
    });
    await settingsHeading();
    expect(
      within(await screen.findByRole('group', { name: IWA })).getByText('Not possible here'),
    ).toBeInTheDocument();
  });

  test('failed, with the reason', async () => {
    renderPane({ backend: { iwa: { error: 'EXTENDED_PROTECTION_SUSPECTED' } } });
    await settingsHeading();
    const iwa = await screen.findByRole('group', { name: IWA });
    expect(await within(iwa).findByText('Failed')).toBeInTheDocument();
    expect(within(iwa).getByText('Exchange’s Extended Protection blocked the sign-in.')).toBeInTheDocument();
    expect(within(card(TOKEN)).getByText('Failed')).toBeInTheDocument();
    expect(within(card(TOKEN)).getByText('Outlook did not provide an identity token.')).toBeInTheDocument();
  });
});

describe('Fix', () => {
  test('diagnosis finds the failed step: each step shown, no retry', async () => {
    const { user, count } = renderPane({
      backend: {
        iwa: { error: 'CAS_NO_NEGOTIATE', details: { offered: ['Basic'] } },
        diagnose: DIAGNOSE_BASIC_ONLY,
      },
    });
    await settingsHeading();
    const iwa = await screen.findByRole('group', { name: IWA });
    await within(iwa).findByText('Failed');
    await user.click(within(iwa).getByRole('button', { name: 'Fix Windows sign-in (IWA)' }));
    const steps = await within(iwa).findByRole('list', { name: 'Checks for Windows sign-in (IWA)' });
    const items = within(steps).getAllByRole('listitem');
    expect(items).toHaveLength(5);
    expect(items[0]).toHaveTextContent('Sign-in profile: passed');
    expect(items[4]).toHaveTextContent('Windows authentication offered by Exchange: failed');
    expect(items[4]).toHaveTextContent(
      'What to do: Enable Windows Authentication (Negotiate) on the EWS virtual directory in IIS.',
    );
    expect(count('/api/auth/iwa/diagnose')).toBe(1);
    expect(count('/api/auth/iwa')).toBe(1);
  });

  test('diagnosis passes: retries once and the card becomes active', async () => {
    const { user, count } = renderPane({
      backend: {
        iwa: [{ error: 'HANDSHAKE_INVALID' }, { ok: true, mechanism: 'ntlm' }],
        diagnose: DIAGNOSE_OK,
      },
    });
    await settingsHeading();
    const iwa = await screen.findByRole('group', { name: IWA });
    await within(iwa).findByText('Failed');
    await user.click(within(iwa).getByRole('button', { name: 'Fix Windows sign-in (IWA)' }));
    expect(await within(iwa).findByText('Active')).toBeInTheDocument();
    expect(within(iwa).getByText('Fixed: you are signed in.')).toBeInTheDocument();
    expect(
      within(iwa)
        .getAllByRole('listitem')
        .every((li) => li.textContent.includes('passed')),
    ).toBe(true);
    expect(count('/api/auth/iwa')).toBe(2);
    expect(screen.getByText('NTLM')).toBeInTheDocument();
    expect(screen.queryByText('You are not signed in.')).not.toBeInTheDocument();
  });

  test('diagnosis passes but the retry fails: the outcome is explained', async () => {
    const { user } = renderPane({
      office: { mailbox: 'bob@corp.test' },
      backend: {
        iwa: { error: 'IDENTITY_MISMATCH', details: { claimed: 'bob@corp.test', proven: 'alice@corp.test' } },
      },
    });
    await settingsHeading();
    const iwa = await screen.findByRole('group', { name: IWA });
    await within(iwa).findByText('Failed');
    await user.click(within(iwa).getByRole('button', { name: 'Fix Windows sign-in (IWA)' }));
    expect(
      await within(iwa).findByText(
        'Windows proved the mailbox alice@corp.test, but Outlook is open for bob@corp.test.',
      ),
    ).toBeInTheDocument();
  });

  test('the diagnosis request itself is refused (rate limited): explained, no retry', async () => {
    const { user, count } = renderPane({
      backend: { iwa: { error: 'AUTH_REJECTED' }, diagnose: { error: 'RATE_LIMITED' } },
    });
    await settingsHeading();
    const iwa = await screen.findByRole('group', { name: IWA });
    await within(iwa).findByText('Failed');
    await user.click(within(iwa).getByRole('button', { name: 'Fix Windows sign-in (IWA)' }));
    expect(await within(iwa).findByText('Too many sign-in attempts')).toBeInTheDocument();
    expect(count('/api/auth/iwa')).toBe(1);
  });

  test('identity token Fix: steps from Outlook and the server', async () => {
    const { user } = renderPane({
      office: { identityToken: 'id-tok' },
      backend: {
        iwa: { error: 'AUTH_REJECTED' },
        identityToken: [{ error: 'IDENTITY_TOKEN_UNBOUND' }, { ok: true }],
      },
    });
    await settingsHeading();
    const tokenCard = await screen.findByRole('group', { name: TOKEN });
    await within(tokenCard).findByText('Failed');
    await user.click(within(tokenCard).getByRole('button', { name: 'Fix Exchange identity token' }));
    expect(await within(tokenCard).findByText('Active')).toBeInTheDocument();
    expect(within(tokenCard).getByText('Outlook provides an identity token: passed')).toBeInTheDocument();
  });
});

describe('password card', () => {
  test('opens the form; success makes password active', async () => {
    const { user, backend } = renderPane({ backend: { iwa: { error: 'AUTH_REJECTED' } } });
    await settingsHeading();
    const pw = await screen.findByRole('group', { name: PASSWORD });
    await user.click(within(pw).getByRole('button', { name: 'Sign in with password' }));
    await user.type(within(pw).getByLabelText(/Windows user name/), 'alice');
    await user.type(within(pw).getByLabelText(/^Password/), 'correct horse');
    await user.click(within(pw).getByRole('button', { name: 'Sign in' }));
    expect(await within(pw).findByText('Active')).toBeInTheDocument();
    await waitFor(() => {
      expect(backend.requests.find((r) => r.path === '/api/auth/password')).toMatchObject({
        mailbox: 'alice@corp.test',
        username: 'alice',
        hadPassword: true,
      });
    });
  });
});
