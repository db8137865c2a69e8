import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { sessionKey } from '../../src/addin/auth/session-store.ts';
import { NOTIFICATION_KEY, WIZARD_CONTEXT } from '../../src/addin/auth/useSignIn.ts';
import { OfficeError, OfficeErrorCodes } from '../../src/addin/office/host.ts';
import { card, renderPane, settingsHeading } from './helpers.tsx';

const IWA = /Windows sign-in/;

describe('start-up', () => {
  test('shows labelled progress from the first frame', async () => {
    renderPane({ office: { readyDelayMs: 50 } });
    expect(screen.getByRole('heading', { level: 1, name: 'Signing in' })).toBeInTheDocument();
    expect(screen.getByText('Connecting to Outlook…')).toBeInTheDocument();
    expect(document.title).toBe('Signing in – Outlook IWA');
    await settingsHeading();
  });

  test('silent IWA: settings show IWA active for the Outlook mailbox, with mechanism and expiry', async () => {
    const { backend, count, host } = renderPane();
    await settingsHeading();
    expect(document.title).toBe('Authentication Settings – Outlook IWA');
    expect(within(await screen.findByRole('group', { name: IWA })).getByText('Active')).toBeInTheDocument();
    expect(screen.getByText('alice@corp.test')).toBeInTheDocument();
    expect(screen.getByText('Kerberos')).toBeInTheDocument();
    expect(screen.getByText('Session expires')).toBeInTheDocument();
    expect(count('/api/auth/iwa')).toBe(1);
    expect(backend.requests.find((r) => r.path === '/api/auth/iwa')).toMatchObject({
      mailbox: 'alice@corp.test',
      credentials: 'include',
    });
    // no failure notification; any earlier one is removed
    expect(host.notifications.size).toBe(0);
  });

  test('after IWA the identity token is bound with the new session’s bearer', async () => {
    const { backend } = renderPane({ office: { identityToken: 'id-tok' } });
    await settingsHeading();
    await waitFor(() => {
      expect(backend.requests.some((r) => r.path === '/api/auth/identity-token/bind')).toBe(true);
    });
    const bind = backend.requests.find((r) => r.path === '/api/auth/identity-token/bind');
    expect(bind?.bearer).toMatch(/^mock-session-/);
    expect(backend.bound.has('id-tok')).toBe(true);
  });

  test('a bind failure is quiet', async () => {
    renderPane({
      office: { identityToken: 'id-tok' },
      backend: { bind: { error: 'IDENTITY_TOKEN_INVALID' } },
    });
    await settingsHeading();
    expect(within(await screen.findByRole('group', { name: IWA })).getByText('Active')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  test('a stored session that is still valid is reused: no sign-in request', async () => {
    sessionStorage.setItem(
      sessionKey(undefined),
      JSON.stringify({
        token: 'kept',
        mailbox: 'alice@corp.test',
        method: 'iwa',
        mechanism: 'ntlm',
        expiresAt: '2030-01-01T00:00:00Z',
      }),
    );
    const { count, backend } = renderPane({
      backend: {
        sessions: {
          kept: {
            mailbox: 'alice@corp.test',
            method: 'iwa',
            mechanism: 'ntlm',
            expiresAt: '2030-01-01T00:00:00Z',
          },
        },
      },
    });
    await settingsHeading();
    expect(within(await screen.findByRole('group', { name: IWA })).getByText('Active')).toBeInTheDocument();
    expect(screen.getByText('NTLM')).toBeInTheDocument();
    expect(count('/api/auth/iwa')).toBe(0);
    expect(backend.requests.find((r) => r.path === '/api/session')?.bearer).toBe('kept');
  });

  test('the stored session is keyed by partitionKey', async () => {
    sessionStorage.setItem(
      sessionKey('pk-7'),
      JSON.stringify({
        token: 'kept',
        mailbox: 'alice@corp.test',
        method: 'iwa',
        expiresAt: '2030-01-01T00:00:00Z',
      }),
    );
    const { count } = renderPane({
      office: { partitionKey: 'pk-7' },
      backend: {
        sessions: {
          kept: {
            mailbox: 'alice@corp.test',
            method: 'iwa',
            mechanism: 'kerberos',
            expiresAt: '2030-01-01T00:00:00Z',
          },
        },
      },
    });
    await settingsHeading();
    await screen.findByText('Active');
    expect(count('/api/auth/iwa')).toBe(0);
  });

  test('an expired stored session is dropped and silent sign-in runs', async () => {
    sessionStorage.setItem(
      sessionKey(undefined),
      JSON.stringify({
        token: 'old',
        mailbox: 'alice@corp.test',
        method: 'iwa',
        expiresAt: '2020-01-01T00:00:00Z',
      }),
    );
    const { count } = renderPane();
    await settingsHeading();
    await screen.findByText('Active');
    expect(count('/api/session')).toBe(1);
    expect(count('/api/auth/iwa')).toBe(1);
    expect(JSON.parse(sessionStorage.getItem(sessionKey(undefined)) ?? '{}')).toMatchObject({
      token: 'mock-session-1',
    });
  });

  test('IWA fails, the bound identity token signs in silently', async () => {
    const { count } = renderPane({
      office: { identityToken: 'id-tok' },
      backend: { iwa: { error: 'AUTH_REJECTED' }, identityToken: { ok: true } },
    });
    await settingsHeading();
    const tokenCard = await screen.findByRole('group', { name: /Exchange identity token/ });
    expect(await within(tokenCard).findByText('Active')).toBeInTheDocument();
    expect(within(card(IWA)).getByText('Failed')).toBeInTheDocument();
    expect(count('/api/auth/identity-token')).toBe(1);
    expect(count('/api/auth/identity-token/bind')).toBe(0);
  });

  test('silent failure: one insight notification (replaced), a message bar, and no retries', async () => {
    const { host, count } = renderPane({ backend: { iwa: { error: 'AUTH_REJECTED' } } });
    await settingsHeading();
    expect(await screen.findByText('You are not signed in.')).toBeInTheDocument();
    await waitFor(() => {
      expect(host.notifications.size).toBe(1);
    });
    expect(host.notifications.get(NOTIFICATION_KEY)).toMatchObject({
      kind: 'insight',
      actionText: 'Fix sign-in',
      contextData: WIZARD_CONTEXT,
    });
    expect(count('/api/auth/iwa')).toBe(1);
    // the fake Outlook has no identity token: asked once, no request to the server
    expect(host.calls.filter((c) => c.op === 'identityToken')).toHaveLength(1);
    expect(count('/api/auth/identity-token')).toBe(0);
  });

  test('silent failure on a Mailbox 1.5 client: an InformationalMessage instead', async () => {
    const { host } = renderPane({
      office: { sets: { Mailbox: '1.5' } },
      backend: { iwa: { error: 'AUTH_REJECTED' } },
    });
    await screen.findByText('You are not signed in.');
    await waitFor(() => {
      expect(host.notifications.get(NOTIFICATION_KEY)).toMatchObject({ kind: 'informational' });
    });
    expect(host.calls.filter((c) => c.op === 'replaceNotification')).toHaveLength(1);
  });

  test('where an insight is refused (read mode in new Outlook), it falls back to one informational message', async () => {
    const { host } = renderPane({
      office: { refuseInsight: true },
      backend: { iwa: { error: 'AUTH_REJECTED' } },
    });
    await screen.findByText('You are not signed in.');
    await waitFor(() => {
      expect(host.notifications.get(NOTIFICATION_KEY)).toMatchObject({ kind: 'informational' });
    });
    expect(host.notifications.size).toBe(1);
  });

  test('opened from the notification action: the wizard opens by itself', async () => {
    renderPane({ office: { launchContext: WIZARD_CONTEXT }, backend: { iwa: { error: 'AUTH_REJECTED' } } });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Sign-in help' }, { timeout: 3000 }),
    ).toBeInTheDocument();
  });

  test('outside Outlook: a plain explanation, not a blank pane', async () => {
    renderPane({
      office: {
        readyError: new OfficeError('Office.onReady', OfficeErrorCodes.notInOutlook, 'NotInOutlook'),
      },
    });
    expect(await screen.findByRole('heading', { name: 'Open this from Outlook' })).toBeInTheDocument();
    // The title follows the view in an effect, after the heading has rendered.
    await waitFor(() => {
      expect(document.title).toBe('Open in Outlook – Outlook IWA');
    });
  });

  test('sign out: DELETE /api/session, storage cleared, no automatic sign-in', async () => {
    const { user, backend, count } = renderPane();
    await settingsHeading();
    await screen.findByText('Active');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText('You are signed out.')).toBeInTheDocument();
    expect(backend.requests.find((r) => r.method === 'DELETE')?.bearer).toBe('mock-session-1');
    expect(backend.sessions.size).toBe(0);
    expect(sessionStorage.getItem(sessionKey(undefined))).toBeNull();
    expect(count('/api/auth/iwa')).toBe(1);
    expect(within(card(IWA)).getByText('Available')).toBeInTheDocument();
    // signing in again is a click
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await settingsHeading();
    expect(
      await within(await screen.findByRole('group', { name: IWA })).findByText('Active'),
    ).toBeInTheDocument();
    expect(count('/api/auth/iwa')).toBe(2);
  });
});
