/**
 * The admin HTTP API and the user's `/api/session` routes, through `app.inject()` over a real
 * SQLite store: auth, schema-validated bodies (400 naming the field), and the round trips.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/backend/app.ts';
import { openStore } from '../../src/backend/storage/index.ts';
import type { Store } from '../../src/backend/storage/types.ts';
import type { Profile } from '../../src/backend/domain.ts';
import { BROKEN_CERT, CAS_URL, TEST_CA_1 } from './fixtures.ts';
import { type FakeClock, HOUR, MINUTE, T0, cleanupSqlite, fakeClock, sqliteTarget } from './helpers.ts';

/** An empty directory for the add-in's files: these tests are API only. */
const addinDir = mkdtempSync(join(tmpdir(), 'outlook-iwa-addin-'));

afterAll(() => {
  cleanupSqlite();
  rmSync(addinDir, { recursive: true, force: true });
});

let store: Store;
let app: FastifyInstance;
let clock: FakeClock;
let admin: string;

beforeEach(async () => {
  clock = fakeClock();
  store = await openStore(await sqliteTarget.fresh(), { clock });
  app = await buildApp({ store, clock, addinDir });
  admin = await store.adminCredentials.mint();
});
afterEach(async () => {
  await app.close();
  await store.close();
});

const auth = () => ({ authorization: `Bearer ${admin}` });
const create = (body: unknown) =>
  app.inject({ method: 'POST', url: '/api/admin/profiles', headers: auth(), payload: body as object });
const lab = { name: 'lab', casUrl: CAS_URL, domains: ['corp.test'] };

describe('admin API: authorisation', () => {
  it.each([
    ['no header', {}],
    ['another scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['a wrong credential', { authorization: `Bearer ${'A'.repeat(22)}.${'B'.repeat(43)}` }],
    ['garbage', { authorization: 'Bearer !!!' }],
  ])('refuses %s with 401 ADMIN_UNAUTHORIZED', async (_, headers) => {
    for (const [method, url] of [
      ['GET', '/api/admin/profiles'],
      ['POST', '/api/admin/profiles'],
      ['DELETE', '/api/admin/sessions?mailbox=a@corp.test'],
      ['GET', '/api/admin/audit'],
    ] as const) {
      const res = await app.inject({ method, url, headers });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json()).toMatchObject({ code: 'ADMIN_UNAUTHORIZED' });
    }
  });

  it('stops accepting a rotated-out credential', async () => {
    const old = admin;
    admin = await store.adminCredentials.mint({ rotate: true });
    const before = await app.inject({
      url: '/api/admin/profiles',
      headers: { authorization: `Bearer ${old}` },
    });
    expect(before.statusCode).toBe(401);
    expect((await app.inject({ url: '/api/admin/profiles', headers: auth() })).statusCode).toBe(200);
  });
});

describe('admin API: profiles', () => {
  it('creates, reads, lists, updates and deletes a profile', async () => {
    const created = await create({ ...lab, casCa: TEST_CA_1 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'lab', casCa: TEST_CA_1, createdAt: T0.toISOString() });

    const got = await app.inject({ url: '/api/admin/profiles/lab', headers: auth() });
    expect(got.json<Profile>().domains).toEqual(['corp.test']);
    const listed = await app.inject({ url: '/api/admin/profiles', headers: auth() });
    expect(listed.json<{ profiles: Profile[] }>().profiles.map((p) => p.name)).toEqual(['lab']);

    const patched = await app.inject({
      method: 'PATCH',
      url: '/api/admin/profiles/lab',
      headers: auth(),
      payload: { precedence: 7, casCa: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ precedence: 7, casCa: null, domains: ['corp.test'] });

    const deleted = await app.inject({ method: 'DELETE', url: '/api/admin/profiles/lab', headers: auth() });
    expect(deleted.json()).toEqual({ deleted: 'lab', revokedSessions: 0 });
    const gone = await app.inject({ url: '/api/admin/profiles/lab', headers: auth() });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'NOT_FOUND', field: 'name' });
  });

  it.each([
    ['a bad URL', { casUrl: 'cas.corp.test' }, 'casUrl'],
    ['an http:// CAS URL', { casUrl: 'http://cas.corp.test/EWS/Exchange.asmx' }, 'casUrl'],
    ['a bad PEM', { casCa: BROKEN_CERT }, 'casCa'],
    ['an unknown field', { tenant: 'x' }, 'tenant'],
    ['an oversize description', { description: 'd'.repeat(501) }, 'description'],
    [
      'an oversize mailbox list',
      { mailboxes: Array.from({ length: 1001 }, (_, i) => `u${i}@corp.test`) },
      'mailboxes',
    ],
    ['an unknown method', { methods: ['basic'] }, 'methods.0'],
    ['a wrong type', { precedence: '5' }, 'precedence'],
    ['a missing name', { name: undefined }, 'name'],
  ])('answers 400 INPUT_INVALID naming the field for %s', async (_, over, field) => {
    const res = await create({ ...lab, ...over });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INPUT_INVALID', field });
    expect(res.json<{ message: string }>().message).toContain(field);
  });

  it('answers 409 CONFLICT for a duplicate name and a second default', async () => {
    expect((await create({ ...lab, isDefault: true })).statusCode).toBe(201);
    const dup = await create(lab);
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'CONFLICT', field: 'name' });
    const twoDefaults = await create({ ...lab, name: 'other', isDefault: true });
    expect(twoDefaults.statusCode).toBe(409);
    expect(twoDefaults.json()).toMatchObject({ code: 'CONFLICT', field: 'default', existing: 'lab' });
  });

  it('validates patches: unknown fields, renames, and rules across fields', async () => {
    await create({ ...lab, sessionTtlSeconds: 3600, idleTtlSeconds: 600 });
    const patch = (payload: object) =>
      app.inject({ method: 'PATCH', url: '/api/admin/profiles/lab', headers: auth(), payload });
    expect((await patch({ bogus: 1 })).json()).toMatchObject({ code: 'INPUT_INVALID', field: 'bogus' });
    expect((await patch({ name: 'x' })).json()).toMatchObject({ code: 'INPUT_INVALID', field: 'name' });
    expect((await patch({ idleTtlSeconds: 7200 })).json()).toMatchObject({ field: 'idleTtlSeconds' });
    const missing = await app.inject({
      method: 'PATCH',
      url: '/api/admin/profiles/nope',
      headers: auth(),
      payload: { precedence: 1 },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('accepts a body with a full-size CA bundle (larger than the default body limit)', async () => {
    const bundle = TEST_CA_1.repeat(Math.floor((60 * 1024) / TEST_CA_1.length));
    const res = await create({ ...lab, casCa: bundle });
    expect(res.json()).toMatchObject({ name: 'lab' });
    expect(res.statusCode).toBe(201);
  });

  it('explains the effective profile of a mailbox', async () => {
    await create({ ...lab, name: 'fallback', domains: [], isDefault: true });
    await create(lab);
    await create({ ...lab, name: 'vip', domains: [], mailboxes: ['ceo@corp.test'] });
    const get = (mailbox: string) =>
      app.inject({
        url: `/api/admin/profiles/effective?mailbox=${encodeURIComponent(mailbox)}`,
        headers: auth(),
      });
    expect((await get('ceo@corp.test')).json()).toMatchObject({ match: 'mailbox', profile: { name: 'vip' } });
    expect((await get('bob@CORP.test')).json()).toMatchObject({
      match: 'domain',
      reason: 'domain corp.test matched profile lab',
    });
    expect((await get('eve@elsewhere.test')).json()).toMatchObject({ match: 'default' });
    const bad = await get('nobody');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'MAILBOX_INVALID' });
    await app.inject({ method: 'DELETE', url: '/api/admin/profiles/fallback', headers: auth() });
    const none = await get('eve@elsewhere.test');
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'PROFILE_NOT_FOUND' });
  });
});

describe('admin API: sessions and audit', () => {
  let profile: Profile;
  beforeEach(async () => {
    profile = await store.profiles.create(lab);
  });
  const issue = (mailbox: string) =>
    store.sessions.issue({ mailbox, method: 'iwa', mechanism: 'ntlm', profile });

  it('lists sessions without their secrets and revokes one or a mailbox', async () => {
    const a = await issue('alice@corp.test');
    await issue('alice@corp.test');
    const b = await issue('bob@corp.test');
    const listed = await app.inject({ url: '/api/admin/sessions?mailbox=alice@corp.test', headers: auth() });
    expect(listed.json<{ sessions: unknown[] }>().sessions).toHaveLength(2);
    const secret = a.token.split('.')[1] ?? '';
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toMatch(/hash/i);

    const one = await app.inject({
      method: 'DELETE',
      url: `/api/admin/sessions/${b.session.id}`,
      headers: auth(),
    });
    expect(one.json()).toEqual({ revoked: 1 });
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/admin/sessions/${b.session.id}`,
      headers: auth(),
    });
    expect(again.statusCode).toBe(404);

    const all = await app.inject({
      method: 'DELETE',
      url: '/api/admin/sessions?mailbox=ALICE@corp.test',
      headers: auth(),
    });
    expect(all.json()).toEqual({ revoked: 2, revokedBindings: 0 });
    const noMailbox = await app.inject({ method: 'DELETE', url: '/api/admin/sessions', headers: auth() });
    expect(noMailbox.statusCode).toBe(400);
    expect(noMailbox.json()).toMatchObject({ code: 'INPUT_INVALID', field: 'mailbox' });
  });

  it("revoking a mailbox's sessions also ends its identity-token bindings; bindings list and revoke", async () => {
    const amurl = 'https://cas.corp.test/autodiscover/metadata/json/1';
    await issue('alice@corp.test');
    await store.bindings.bind({ amurl, msexchuid: 'uid-a1', mailbox: 'alice@corp.test' });
    await store.bindings.bind({ amurl, msexchuid: 'uid-a2', mailbox: 'alice@corp.test' });
    await store.bindings.bind({ amurl, msexchuid: 'uid-b', mailbox: 'bob@corp.test' });
    const listed = await app.inject({ url: '/api/admin/bindings?mailbox=alice@corp.test', headers: auth() });
    expect(
      listed
        .json<{ bindings: { msexchuid: string }[] }>()
        .bindings.map((b) => b.msexchuid)
        .sort(),
    ).toEqual(['uid-a1', 'uid-a2']);
    const one = await app.inject({
      method: 'DELETE',
      url: `/api/admin/bindings?amurl=${encodeURIComponent(amurl)}&msexchuid=uid-a2`,
      headers: auth(),
    });
    expect(one.json()).toEqual({ revoked: 1 });
    const all = await app.inject({
      method: 'DELETE',
      url: '/api/admin/sessions?mailbox=alice@corp.test',
      headers: auth(),
    });
    expect(all.json()).toEqual({ revoked: 1, revokedBindings: 1 });
    const left = await app.inject({ url: '/api/admin/bindings', headers: auth() });
    expect(left.json<{ bindings: { mailbox: string }[] }>().bindings.map((b) => b.mailbox)).toEqual([
      'bob@corp.test',
    ]);
    const byMailbox = await app.inject({
      method: 'DELETE',
      url: '/api/admin/bindings?mailbox=bob@corp.test',
      headers: auth(),
    });
    expect(byMailbox.json()).toEqual({ revoked: 1 });
    // Neither a mailbox nor a full key: refused, never "revoke everything".
    const bare = await app.inject({ method: 'DELETE', url: '/api/admin/bindings?amurl=x', headers: auth() });
    expect(bare.statusCode).toBe(400);
  });

  it('a session binds an identity token only in the minutes after its sign-in', async () => {
    const { token } = await issue('alice@corp.test');
    const bind = () =>
      app.inject({
        method: 'POST',
        url: '/api/auth/identity-token/bind',
        headers: { authorization: `Bearer ${token}` },
        payload: { token: 'not.a.token' },
      });
    // Fresh: the freshness check passes and the token itself is judged (and refused).
    clock.advance(4 * MINUTE);
    expect((await bind()).json()).toMatchObject({ code: 'IDENTITY_TOKEN_INVALID' });
    clock.advance(2 * MINUTE);
    expect((await bind()).json()).toMatchObject({
      code: 'IDENTITY_TOKEN_UNBOUND',
      reason: 'binding-needs-fresh-sign-in',
    });
  });

  it('queries the audit trail by mailbox and time, and validates the query', async () => {
    for (let i = 0; i < 3; i++) {
      await store.audit.record({
        at: new Date(T0.getTime() + i * HOUR),
        clientAddress: '192.0.2.1',
        claimedMailbox: 'alice@corp.test',
        provenMailbox: i === 2 ? null : 'alice@corp.test',
        method: 'iwa',
        mechanism: 'kerberos',
        outcome: i === 2 ? 'failure' : 'success',
        reason: i === 2 ? 'AUTH_REJECTED' : 'OK',
        profile: 'lab',
      });
    }
    const since = new Date(T0.getTime() + HOUR).toISOString();
    const res = await app.inject({
      url: `/api/admin/audit?mailbox=alice@corp.test&since=${since}&limit=5`,
      headers: auth(),
    });
    const entries = res.json<{ entries: { reason: string }[] }>().entries;
    expect(entries.map((e) => e.reason)).toEqual(['AUTH_REJECTED', 'OK']);
    for (const [query, field] of [
      ['since=yesterday', 'since'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['token=x', 'token'],
    ]) {
      const bad = await app.inject({ url: `/api/admin/audit?${query}`, headers: auth() });
      expect(bad.statusCode, query).toBe(400);
      expect(bad.json(), query).toMatchObject({ code: 'INPUT_INVALID', field });
    }
  });
});

describe('what /api/auth/methods tells a caller', () => {
  beforeEach(async () => {
    await store.profiles.create(lab);
  });

  it('without the admin credential: the methods only; with it: the profile and why it matched', async () => {
    const url = '/api/auth/methods?mailbox=alice@corp.test';
    const anonymous = await app.inject({ url });
    expect(anonymous.statusCode).toBe(200);
    expect(Object.keys(anonymous.json<object>()).sort()).toEqual(['mailbox', 'methods']);
    const asAdmin = await app.inject({ url, headers: auth() });
    const full = asAdmin.json<{ mailbox: string; profile: string; reason: string }>();
    expect(full).toMatchObject({ mailbox: 'alice@corp.test', profile: 'lab' });
    expect(full.reason).toMatch(/corp\.test/);
  });

  it('is rate limited per client address (not for the admin credential), with Retry-After', async () => {
    const limited = await buildApp({ store, clock, addinDir, probeRateLimit: 2 });
    try {
      const url = '/api/auth/methods?mailbox=alice@corp.test';
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await limited.inject({ url }));
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 429]);
      expect(answers[2]?.json()).toMatchObject({ code: 'RATE_LIMITED', scope: 'address' });
      expect(Number(answers[2]?.headers['retry-after'])).toBeGreaterThan(0);
      // No profile applies: the diagnosis stops before any network step.
      const diagnose = await limited.inject({ url: '/api/auth/iwa/diagnose?mailbox=nobody@elsewhere.test' });
      expect(diagnose.statusCode).toBe(200); // its own budget
      expect((await limited.inject({ url, headers: auth() })).statusCode).toBe(200);
      clock.advance(MINUTE);
      expect((await limited.inject({ url })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('/api/session', () => {
  let token: string;
  beforeEach(async () => {
    const profile = await store.profiles.create(lab);
    ({ token } = await store.sessions.issue({
      mailbox: 'alice@corp.test',
      method: 'iwa',
      mechanism: 'kerberos',
      profile,
    }));
  });
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  it('says who the token signs in', async () => {
    const res = await app.inject({ url: '/api/session', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      mailbox: 'alice@corp.test',
      method: 'iwa',
      mechanism: 'kerberos',
      profile: 'lab',
      expiresAt: new Date(T0.getTime() + 8 * HOUR).toISOString(),
      idleExpiresAt: new Date(T0.getTime() + HOUR).toISOString(),
    });
  });

  it.each([
    ['no header', {}],
    ['a malformed token', bearer('abc')],
    ['an unknown token', bearer(`${'A'.repeat(22)}.${'B'.repeat(43)}`)],
    ['an admin credential', { authorization: 'x' }],
  ])('answers 401 SESSION_INVALID for %s', async (_, headers) => {
    const res = await app.inject({ url: '/api/session', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SESSION_INVALID' });
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('refuses an expired token', async () => {
    clock.advance(HOUR);
    expect((await app.inject({ url: '/api/session', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('signs out with DELETE, after which the token is refused', async () => {
    const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: bearer(token) });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/session', headers: bearer(token) })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'DELETE', url: '/api/session', headers: bearer(token) })).statusCode,
    ).toBe(401);
  });

  it('refuses a token revoked by the admin', async () => {
    await app.inject({
      method: 'DELETE',
      url: '/api/admin/sessions?mailbox=alice@corp.test',
      headers: auth(),
    });
    expect((await app.inject({ url: '/api/session', headers: bearer(token) })).statusCode).toBe(401);
  });
});
