/**
 * Silent sign-in follows the effective profile's method order (docs/interface.md: `/api/auth/methods`
 * lists the enabled methods first, in the profile's order; docs/architecture.md §4). The order is
 * read from what msw saw, request by request.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { MethodInfo } from '../../src/contract/api.ts';
import { card, renderPane, settingsHeading } from './helpers.tsx';
import { server } from './msw.ts';

const seen: string[] = [];
const record = ({ request }: { request: Request }) => {
  const url = new URL(request.url);
  seen.push(`${request.method} ${url.pathname}`);
};

function watchRequests(): string[] {
  seen.length = 0;
  server.events.on('request:start', record);
  return seen;
}

afterEach(() => {
  server.events.removeListener('request:start', record);
});

const methods = (...enabled: MethodInfo['method'][]): MethodInfo[] => [
  ...enabled.map((method) => ({ method, enabled: true })),
  ...(['iwa', 'identity-token', 'password'] as const)
    .filter((m) => !enabled.includes(m))
    .map((method) => ({ method, enabled: false })),
];

describe('silent sign-in tries the profile’s methods in the profile’s order', () => {
  test('[identity-token, iwa]: the identity token is tried before IWA', async () => {
    const requests = watchRequests();
    renderPane({
      office: { identityToken: 'id-tok' },
      backend: {
        methods: methods('identity-token', 'iwa'),
        identityToken: { error: 'IDENTITY_TOKEN_UNBOUND' },
        iwa: { ok: true },
      },
    });
    await settingsHeading();
    expect(await within(card(/Windows sign-in/)).findByText('Active')).toBeInTheDocument();
    // IWA proved the mailbox: this Outlook's identity token is bound for next time.
    await waitFor(() => {
      expect(requests).toContain('POST /api/auth/identity-token/bind');
    });
    expect(requests).toEqual([
      'GET /api/auth/methods',
      'POST /api/auth/identity-token',
      'GET /api/auth/iwa',
      'POST /api/auth/identity-token/bind',
    ]);
  });

  test('[iwa, identity-token]: IWA is tried before the identity token', async () => {
    const requests = watchRequests();
    renderPane({
      office: { identityToken: 'id-tok' },
      backend: {
        methods: methods('iwa', 'identity-token'),
        iwa: { error: 'AUTH_REJECTED' },
        identityToken: { ok: true },
      },
    });
    await settingsHeading();
    expect(await within(card(/Exchange identity token/)).findByText('Active')).toBeInTheDocument();
    expect(requests).toEqual(['GET /api/auth/methods', 'GET /api/auth/iwa', 'POST /api/auth/identity-token']);
  });

  test('only password: no silent attempt; the password form is offered', async () => {
    const requests = watchRequests();
    const { user, host } = renderPane({
      office: { identityToken: 'id-tok' },
      backend: { methods: methods('password') },
    });
    await settingsHeading();
    expect(await screen.findByText('You are not signed in.')).toBeInTheDocument();
    expect(requests).toEqual(['GET /api/auth/methods']);
    // Password is interactive: not even Outlook's identity token was asked for.
    expect(host.calls.filter((c) => c.op === 'identityToken')).toHaveLength(0);
    const password = card(/Domain password/);
    expect(within(password).getByText('Available')).toBeInTheDocument();
    await user.click(within(password).getByRole('button', { name: 'Sign in with password' }));
    expect(within(password).getByRole('textbox', { name: /Windows user name/ })).toBeInTheDocument();
    expect(requests).toEqual(['GET /api/auth/methods']);
  });
});
