/**
 * The domain-password sign-in against the real lab: our HTTPS server authenticates to the lab
 * CAS (Apache httpd, mod_auth_gssapi, gss-ntlmssp) with NTLMv2 on one connection, then proves
 * the mailbox with the EWS identity probe.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLabProfile, startRelayServer, type RelayServer } from './harness.ts';
import { type Answer, labCall } from './lab-call.ts';

const lab = inject('lab');
const { alice, bob, carol } = lab.users;

const call = (
  origin: string,
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> => labCall(lab, `${origin}${path}`, { method, ...opts });

/** Every password this suite sends, right or wrong: none may show up anywhere we look. */
const sentPasswords = new Set<string>();

function signIn(server: RelayServer, body: Record<string, unknown>): Promise<Answer> {
  // Trivial ones ('x', '') from the bad-body cases would match any text.
  if (typeof body.password === 'string' && body.password.length >= 8) sentPasswords.add(body.password);
  return call(server.origin, 'POST', '/api/auth/password', {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

function wrongPassword(): string {
  return `Wr0ng-${randomBytes(6).toString('hex')}`;
}

function expectNoPassword(text: string): void {
  for (const p of sentPasswords) expect(text).not.toContain(p);
}

describe('POST /api/auth/password against the lab CAS', () => {
  let server: RelayServer;

  beforeAll(async () => {
    server = await startRelayServer(lab);
    await createLabProfile(server.store, lab);
    const profile = (name: string, casUrl: string, mailboxes: string[], methods = ['password'] as const) =>
      server.store.profiles.create({ name, casUrl, casCa: lab.tls.caCertPem, methods, mailboxes });
    await profile('basic-only', lab.cas.basicEwsUrl, ['dave@basic.test']);
    await profile('cas-down', `https://${lab.hosts.cas}:1/EWS/Exchange.asmx`, ['erin@down.test']);
    await profile('untrusted', lab.cas.untrustedEwsUrl, ['frank@untrusted.test']);
    await server.store.profiles.create({
      name: 'iwa-only',
      casUrl: lab.cas.ewsUrl,
      casCa: lab.tls.caCertPem,
      methods: ['iwa'],
      mailboxes: ['gina@corp.test'],
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('alice, CORP\\alice and the right password: a password session that GET /api/session accepts', async () => {
    const r = await signIn(server, {
      mailbox: 'alice@corp.test',
      username: 'CORP\\alice',
      password: alice.password,
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ mailbox: 'alice@corp.test', method: 'password', mechanism: 'ntlm' });
    expect(r.json.token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(new Date(String(r.json.expiresAt)).getTime()).toBeGreaterThan(Date.now());
    expect(r.headers['cache-control']).toBe('no-store');
    expectNoPassword(r.text);

    const session = await call(server.origin, 'GET', '/api/session', {
      headers: { authorization: `Bearer ${String(r.json.token)}` },
    });
    expect(session.status).toBe(200);
    expect(session.json).toMatchObject({ mailbox: 'alice@corp.test', method: 'password', mechanism: 'ntlm' });

    const [row] = await server.store.audit.query({ mailbox: 'alice@corp.test', limit: 1 });
    expect(row).toMatchObject({
      claimedMailbox: 'alice@corp.test',
      provenMailbox: 'alice@corp.test',
      method: 'password',
      mechanism: 'ntlm',
      outcome: 'success',
      reason: 'OK',
      profile: 'lab',
    });
  });

  it('carol proves carol.smith@corp.test (the address differs from her login)', async () => {
    const r = await signIn(server, {
      mailbox: 'Carol.Smith@corp.test',
      username: 'CORP\\carol',
      password: carol.password,
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ mailbox: 'carol.smith@corp.test', method: 'password' });
  });

  it('a lower-case domain works too: corp\\bob', async () => {
    const r = await signIn(server, { mailbox: bob.smtp, username: 'corp\\bob', password: bob.password });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ mailbox: 'bob@corp.test' });
  });

  it('a wrong password is AUTH_REJECTED: no session, an audit row, the password nowhere', async () => {
    const before = await server.store.sessions.list({ mailbox: 'bob@corp.test' });
    const password = wrongPassword();
    const r = await signIn(server, { mailbox: 'bob@corp.test', username: 'CORP\\bob', password });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ code: 'AUTH_REJECTED', reason: 'credentials-refused' });
    expect(r.json.token).toBeUndefined();
    expect(r.headers['www-authenticate']).toBeUndefined();
    expect(r.text).not.toContain(password);
    expect(await server.store.sessions.list({ mailbox: 'bob@corp.test' })).toEqual(before);
    const [row] = await server.store.audit.query({ mailbox: 'bob@corp.test', limit: 1 });
    expect(row).toMatchObject({
      claimedMailbox: 'bob@corp.test',
      provenMailbox: null,
      method: 'password',
      mechanism: 'ntlm',
      outcome: 'failure',
      reason: 'AUTH_REJECTED',
    });
    expect(JSON.stringify(row)).not.toContain(password);
  });

  it("alice's credentials claiming bob@corp.test: IDENTITY_MISMATCH naming both, no session for bob", async () => {
    const before = await server.store.sessions.list({ mailbox: 'bob@corp.test' });
    const r = await signIn(server, {
      mailbox: 'bob@corp.test',
      username: 'CORP\\alice',
      password: alice.password,
    });
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({
      code: 'IDENTITY_MISMATCH',
      claimed: 'bob@corp.test',
      proven: 'alice@corp.test',
    });
    expect(r.json.token).toBeUndefined();
    expect(await server.store.sessions.list({ mailbox: 'bob@corp.test' })).toEqual(before);
    const [row] = await server.store.audit.query({ mailbox: 'bob@corp.test', limit: 1 });
    expect(row).toMatchObject({
      claimedMailbox: 'bob@corp.test',
      provenMailbox: 'alice@corp.test',
      method: 'password',
      reason: 'IDENTITY_MISMATCH',
    });
  });

  describe('user name forms in the lab', () => {
    it('plain "alice" takes the CHALLENGE\'s NetBIOS domain, which the lab announces as WORKSTATION: refused', async () => {
      const r = await signIn(server, {
        mailbox: 'alice@corp.test',
        username: 'alice',
        password: alice.password,
      });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ code: 'AUTH_REJECTED', usernameForm: 'plain' });
      // The CAS's NetBIOS domain (from its CHALLENGE) is not told to an unauthenticated caller.
      expect(r.json.domain).toBeUndefined();
      expect(r.text).not.toContain('WORKSTATION');
    });

    it('UPN "alice@corp.test" goes out whole with an empty domain (as Windows sends it); gss-ntlmssp refuses it', async () => {
      const r = await signIn(server, {
        mailbox: 'alice@corp.test',
        username: 'alice@corp.test',
        password: alice.password,
      });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ code: 'AUTH_REJECTED', usernameForm: 'upn' });
    });
  });

  it('a profile without the password method is METHOD_DISABLED; no profile is PROFILE_NOT_FOUND', async () => {
    const disabled = await signIn(server, {
      mailbox: 'gina@corp.test',
      username: 'CORP\\gina',
      password: wrongPassword(),
    });
    expect(disabled.status).toBe(403);
    expect(disabled.json).toMatchObject({ code: 'METHOD_DISABLED', method: 'password', profile: 'iwa-only' });
    const none = await signIn(server, {
      mailbox: 'zed@nowhere.test',
      username: 'CORP\\zed',
      password: wrongPassword(),
    });
    expect(none.status).toBe(404);
    expect(none.json).toMatchObject({ code: 'PROFILE_NOT_FOUND' });
  });

  it("CAS errors carry the relay's codes: no Negotiate, unreachable, untrusted certificate", async () => {
    const basic = await signIn(server, {
      mailbox: 'dave@basic.test',
      username: 'CORP\\dave',
      password: wrongPassword(),
    });
    expect(basic.status).toBe(502);
    expect(basic.json).toMatchObject({ code: 'CAS_NO_NEGOTIATE', offered: ['Basic'] });
    const down = await signIn(server, {
      mailbox: 'erin@down.test',
      username: 'CORP\\erin',
      password: wrongPassword(),
    });
    expect(down.json).toMatchObject({ code: 'CAS_UNREACHABLE', reason: 'tcp-refused' });
    const untrusted = await signIn(server, {
      mailbox: 'frank@untrusted.test',
      username: 'CORP\\frank',
      password: wrongPassword(),
    });
    expect(untrusted.json).toMatchObject({ code: 'CAS_TLS_UNTRUSTED' });
  });

  describe('bad bodies', () => {
    it.each([
      [{ username: 'CORP\\alice', password: 'x' }, 'mailbox'],
      [{ mailbox: 'alice@corp.test', password: 'x' }, 'username'],
      [{ mailbox: 'alice@corp.test', username: 'CORP\\alice' }, 'password'],
      [{ mailbox: 'alice@corp.test', username: 'CORP\\alice', password: '' }, 'password'],
      [{ mailbox: 'alice@corp.test', username: 'CORP\\alice', password: 7 }, 'password'],
      [{ mailbox: 'alice@corp.test', username: 'CORP\\alice', password: 'p'.repeat(257) }, 'password'],
      [{ mailbox: 'alice@corp.test', username: 'a\r\nb', password: 'x' }, 'username'],
      [{ mailbox: 'alice@corp.test', username: 'CORP\\alice', password: 'x', remember: true }, 'remember'],
    ])('%j → 400 INPUT_INVALID, field %s', async (body, field) => {
      const r = await signIn(server, body);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 'INPUT_INVALID', field });
    });

    it('a body that is not an object, or no body, is INPUT_INVALID', async () => {
      expect((await signIn(server, [] as unknown as Record<string, unknown>)).json).toMatchObject({
        code: 'INPUT_INVALID',
        field: '(body)',
      });
      const empty = await call(server.origin, 'POST', '/api/auth/password');
      expect(empty.status).toBe(400);
      expect(empty.json).toMatchObject({ code: 'INPUT_INVALID' });
    });

    it('malformed JSON holding a password: INPUT_INVALID, and the error does not quote it', async () => {
      const password = wrongPassword();
      sentPasswords.add(password);
      const r = await call(server.origin, 'POST', '/api/auth/password', {
        body: `{"mailbox":"alice@corp.test","username":"CORP\\\\alice","password":"${password}"`,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 'INPUT_INVALID', field: '(body)' });
      expect(r.text).not.toContain(password);
    });

    it('a body over 8 KiB is REQUEST_TOO_LARGE', async () => {
      const r = await signIn(server, {
        mailbox: 'alice@corp.test',
        username: 'CORP\\alice',
        password: 'p'.repeat(9 * 1024),
      });
      expect(r.status).toBe(413);
      expect(r.json).toMatchObject({ code: 'REQUEST_TOO_LARGE' });
    });

    it('a malformed mailbox is MAILBOX_INVALID with field mailbox; a malformed user name INPUT_INVALID', async () => {
      const r = await signIn(server, { mailbox: 'not-an-address', username: 'CORP\\alice', password: 'x' });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 'MAILBOX_INVALID', field: 'mailbox' });
      const u = await signIn(server, { mailbox: 'alice@corp.test', username: 'CORP\\', password: 'x' });
      expect(u.json).toMatchObject({ code: 'INPUT_INVALID', field: 'username' });
    });
  });

  it('no password ever reaches the logs, the audit trail or the sessions; no CAS socket is left open', async () => {
    expect(sentPasswords.size).toBeGreaterThan(5);
    expect(server.logs.length).toBeGreaterThan(0);
    expectNoPassword(server.logs.join('\n'));
    expectNoPassword(JSON.stringify(await server.store.audit.query({ limit: 1000 })));
    expectNoPassword(JSON.stringify(await server.store.sessions.list()));
    for (let i = 0; i < 50 && server.server.app.cas.liveSockets > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(server.server.app.cas.liveSockets).toBe(0);
  });
});

describe('POST /api/auth/password: lockout protection', () => {
  let server: RelayServer;

  beforeAll(async () => {
    server = await startRelayServer(lab, {
      passwordLimits: {
        perAddress: { burst: 6, perMinute: 1 },
        accountBackoff: {
          freeFailures: 1,
          baseDelayMs: 60_000,
          maxDelayMs: 60_000,
          holdAfterFailures: 3,
          quietMs: 10 * 60_000,
        },
      },
    });
    await createLabProfile(server.store, lab);
  });

  afterAll(async () => {
    await server.close();
  });

  it('back-off per mailbox, per account and per address, with Retry-After', async () => {
    // 1: a bad password for bob.
    const first = await signIn(server, {
      mailbox: bob.smtp,
      username: 'CORP\\bob',
      password: wrongPassword(),
    });
    expect(first.json).toMatchObject({ code: 'AUTH_REJECTED' });

    // 2: now bob's mailbox waits, even with the right password (nothing reaches the CAS).
    const second = await signIn(server, { mailbox: bob.smtp, username: 'CORP\\bob', password: bob.password });
    expect(second.status).toBe(429);
    expect(second.json).toMatchObject({ code: 'RATE_LIMITED', scope: 'mailbox' });
    const retry = Number(second.headers['retry-after']);
    expect(retry).toBeGreaterThan(50);
    expect(retry).toBeLessThanOrEqual(60);
    expect(second.json.retryAfterSeconds).toBe(retry);

    // 3: the same AD account under another claimed mailbox and spelling waits too.
    const third = await signIn(server, {
      mailbox: 'alice@corp.test',
      username: 'corp\\BOB',
      password: wrongPassword(),
    });
    expect(third.json).toMatchObject({ code: 'RATE_LIMITED', scope: 'account' });

    // 4, 5: other accounts are not affected; a success clears nothing of bob's.
    expect(
      (await signIn(server, { mailbox: carol.smtp, username: 'CORP\\carol', password: carol.password }))
        .status,
    ).toBe(200);
    expect(
      (await signIn(server, { mailbox: alice.smtp, username: 'CORP\\alice', password: alice.password }))
        .status,
    ).toBe(200);
    expect(
      (await signIn(server, { mailbox: bob.smtp, username: 'CORP\\bob', password: bob.password })).json,
    ).toMatchObject({
      code: 'RATE_LIMITED',
    });

    // 7: the address's burst of 6 is spent.
    const seventh = await signIn(server, {
      mailbox: carol.smtp,
      username: 'CORP\\carol',
      password: carol.password,
    });
    expect(seventh.json).toMatchObject({ code: 'RATE_LIMITED', scope: 'address' });
    expect(Number(seventh.headers['retry-after'])).toBeGreaterThan(0);

    const rows = await server.store.audit.query({ mailbox: bob.smtp });
    expect(rows.filter((r) => r.reason === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(2);
    expectNoPassword(server.logs.join('\n'));
    expectNoPassword(JSON.stringify(rows));
  });
});
