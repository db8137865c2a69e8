/**
 * The storage contract: one suite, run unchanged against SQLite and PostgreSQL
 * (docs/architecture.md §8.5). Every test gets a new, empty database and a fake clock.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, openStore } from '../../src/backend/storage/index.ts';
import { MIGRATIONS } from '../../src/backend/storage/migrations.ts';
import { sweepOnce } from '../../src/backend/sweeper.ts';
import type { ProfileDraft, Store } from '../../src/backend/storage/types.ts';
import type { AuditEntry, Profile } from '../../src/backend/domain.ts';
import { SignInLimits, limitKeys } from '../../src/backend/limits/sign-in-limits.ts';
import type { LimitKey } from '../../src/backend/limits/store.ts';
import { DEFAULT_ACCOUNT_BACKOFF } from '../../src/backend/password/lockout.ts';
import { BROKEN_CERT, CAS_URL, CERT_WITH_KEY, TEST_CA_1, TEST_CA_BUNDLE } from './fixtures.ts';
import {
  DAY,
  type FakeClock,
  HOUR,
  MINUTE,
  T0,
  TARGETS,
  cleanupSqlite,
  fakeClock,
  iwaError,
  rawQuery,
} from './helpers.ts';

afterAll(cleanupSqlite);

/** Every migration is recorded, in order; the newest is SCHEMA_VERSION. */
const VERSIONS = MIGRATIONS.map((m) => m.version);

describe.each(TARGETS)('store contract on $name', (target) => {
  let url: string;
  let clock: FakeClock;
  let store: Store;

  beforeEach(async () => {
    url = await target.fresh();
    clock = fakeClock();
    store = await openStore(url, { clock });
  });
  afterEach(async () => {
    await store.close();
  });

  const reopen = async () => {
    await store.close();
    store = await openStore(url, { clock });
  };

  const lab = (over: Partial<ProfileDraft> = {}): ProfileDraft => ({
    name: 'lab',
    casUrl: CAS_URL,
    domains: ['corp.test'],
    ...over,
  });

  it('answers DATABASE_UNAVAILABLE, not INTERNAL, once the store is closed', async () => {
    await store.close();
    await expect(store.profiles.list()).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    store = await openStore(url, { clock });
  });

  describe('migrations', () => {
    it('records the schema version on first open', async () => {
      expect(store.dialect).toBe(target.name);
      const rows = await rawQuery(url, 'select version from schema_version order by version');
      expect(rows.map((r) => Number(r.version))).toEqual(VERSIONS);
    });

    it('opens again without migrating twice', async () => {
      await store.profiles.create(lab());
      await reopen();
      await reopen();
      expect((await store.profiles.list()).map((p) => p.name)).toEqual(['lab']);
      expect(await rawQuery(url, 'select version from schema_version')).toHaveLength(VERSIONS.length);
    });

    it('re-runs every migration safely over an existing schema, keeping the data', async () => {
      await store.profiles.create(lab());
      await store.close();
      await rawQuery(url, 'delete from schema_version');
      store = await openStore(url, { clock });
      expect((await store.profiles.get('lab'))?.casUrl).toBe(CAS_URL);
      const rows = await rawQuery(url, 'select version from schema_version order by version');
      expect(rows.map((r) => Number(r.version))).toEqual(VERSIONS);
    });

    it('refuses a database whose schema is newer than the code, writing nothing', async () => {
      await store.close();
      await rawQuery(url, 'insert into schema_version (version, applied_at) values ($1, $2)', [
        SCHEMA_VERSION + 1,
        0,
      ]);
      const err = await iwaError(openStore(url, { clock }));
      expect(err.code).toBe('SCHEMA_TOO_NEW');
      expect(err.details).toEqual({ found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });
      expect(err.message).toMatch(new RegExp(`version ${SCHEMA_VERSION + 1}.*up to ${SCHEMA_VERSION}`));
      expect(await rawQuery(url, 'select version from schema_version')).toHaveLength(VERSIONS.length + 1);
    });

    it('applies a lower migration missing below a higher recorded one (versions merge in any order)', async () => {
      await store.profiles.create(lab());
      await store.close();
      await rawQuery(url, 'delete from schema_version where version = $1', [VERSIONS[0]]);
      store = await openStore(url, { clock });
      const rows = await rawQuery(url, 'select version from schema_version order by version');
      expect(rows.map((r) => Number(r.version))).toEqual(VERSIONS);
      expect((await store.profiles.get('lab'))?.casUrl).toBe(CAS_URL);
    });

    it('reports a database that cannot be opened as DATABASE_UNAVAILABLE', async () => {
      const err = await iwaError(openStore(target.unavailable(), { clock }));
      expect(err.code).toBe('DATABASE_UNAVAILABLE');
      expect(err.status).toBe(503);
      expect(typeof err.details.cause).toBe('string');
    });
  });

  describe('profiles', () => {
    it('creates a profile with defaults, normalised lists and timestamps', async () => {
      const created = await store.profiles.create(
        lab({ domains: ['Corp.Test', 'corp.test ', 'EU.Corp.Test'], mailboxes: ['Alice@Corp.Test'] }),
      );
      const expected: Profile = {
        name: 'lab',
        description: '',
        methods: ['iwa', 'identity-token'],
        casUrl: CAS_URL,
        casCa: null,
        sessionTtlSeconds: 8 * 3600,
        idleTtlSeconds: 3600,
        isDefault: false,
        domains: ['corp.test', 'eu.corp.test'],
        mailboxes: ['alice@corp.test'],
        precedence: 0,
        createdAt: T0,
        updatedAt: T0,
      };
      expect(created).toEqual(expected);
      expect(await store.profiles.get('lab')).toEqual(expected);
      expect(await store.profiles.get('nope')).toBeNull();
    });

    it('keeps every field, a CA bundle included, and lists by name', async () => {
      await store.profiles.create({
        name: 'vip',
        description: 'Executives',
        methods: ['password', 'iwa'],
        casUrl: 'https://cas2.corp.test:8443/EWS/Exchange.asmx',
        casCa: TEST_CA_BUNDLE,
        sessionTtlSeconds: DAY / 1000,
        idleTtlSeconds: 600,
        isDefault: true,
        domains: [],
        mailboxes: ['ceo@corp.test'],
        precedence: -5,
      });
      await store.profiles.create(lab());
      const [first, second] = await store.profiles.list();
      expect(first?.name).toBe('lab');
      expect(second).toMatchObject({
        name: 'vip',
        description: 'Executives',
        methods: ['password', 'iwa'],
        casCa: TEST_CA_BUNDLE,
        sessionTtlSeconds: 86400,
        idleTtlSeconds: 600,
        isDefault: true,
        mailboxes: ['ceo@corp.test'],
        precedence: -5,
      });
    });

    it.each([
      ['a malformed URL', { casUrl: 'not a url' }, 'casUrl', /valid URL/],
      ['an http:// CAS URL', { casUrl: 'http://cas.corp.test/EWS/Exchange.asmx' }, 'casUrl', /https/],
      ['credentials in the URL', { casUrl: 'https://u:p@cas.corp.test/' }, 'casUrl', /user name/],
      ['an unknown method', { methods: ['iwa', 'kerberos'] }, 'methods.1', /expected one of/],
      ['no method', { methods: [] }, 'methods', /at least one/],
      ['a method twice', { methods: ['iwa', 'iwa'] }, 'methods', /twice/],
      ['a PEM that does not parse', { casCa: BROKEN_CERT }, 'casCa', /not a valid X.509/],
      ['text that is not PEM', { casCa: 'hello' }, 'casCa', /no PEM certificate/],
      ['a private key in the bundle', { casCa: CERT_WITH_KEY }, 'casCa', /other than PEM certificates/],
      ['an oversize PEM', { casCa: TEST_CA_1.repeat(200) }, 'casCa', /Too big/],
      ['an unknown field', { password: 'x' }, 'password', /not a known field/],
      ['an oversize name', { name: 'a'.repeat(65) }, 'name', /Too big/],
      ['a name with capitals', { name: 'Lab' }, 'name', /lower-case/],
      ['a reserved name', { name: 'effective' }, 'name', /reserved/],
      ['an oversize description', { description: 'x'.repeat(501) }, 'description', /Too big/],
      ['a bad domain', { domains: ['corp'] }, 'domains.0', /DNS domain/],
      [
        'too many domains',
        { domains: Array.from({ length: 1001 }, (_, i) => `d${i}.test`) },
        'domains',
        /Too big/,
      ],
      ['a bad mailbox', { mailboxes: ['alice'] }, 'mailboxes.0', /SMTP address/],
      ['a too short session', { sessionTtlSeconds: 60 }, 'sessionTtlSeconds', /Too small/],
      ['a too long session', { sessionTtlSeconds: 31 * 86400 }, 'sessionTtlSeconds', /Too big/],
      [
        'idle longer than the session',
        { sessionTtlSeconds: 3600, idleTtlSeconds: 7200 },
        'idleTtlSeconds',
        /longer/,
      ],
      ['a fractional precedence', { precedence: 1.5 }, 'precedence', /whole number/],
    ] as const)('refuses %s, naming the field', async (_, over, field, problem) => {
      const err = await iwaError(store.profiles.create(lab(over as Partial<ProfileDraft>)));
      expect(err.code).toBe('INPUT_INVALID');
      expect(err.status).toBe(400);
      expect(err.details.field).toBe(field);
      expect(String(err.details.problem)).toMatch(problem);
      expect(await store.profiles.list()).toEqual([]);
    });

    it('refuses a duplicate name with CONFLICT on the name', async () => {
      await store.profiles.create(lab());
      const err = await iwaError(store.profiles.create(lab({ domains: [] })));
      expect(err.code).toBe('CONFLICT');
      expect(err.details.field).toBe('name');
    });

    it('refuses a second default profile, on create and on update', async () => {
      await store.profiles.create(lab({ isDefault: true }));
      const onCreate = await iwaError(store.profiles.create(lab({ name: 'other', isDefault: true })));
      expect(onCreate.code).toBe('CONFLICT');
      expect(onCreate.details).toMatchObject({ field: 'default', existing: 'lab' });
      await store.profiles.create(lab({ name: 'other' }));
      const onUpdate = await iwaError(store.profiles.update('other', { isDefault: true }));
      expect(onUpdate.details).toMatchObject({ field: 'default', existing: 'lab' });
      // The current default may be updated and stay the default.
      await store.profiles.update('lab', { description: 'still default' });
      expect((await store.profiles.get('lab'))?.isDefault).toBe(true);
    });

    it('updates only the fields given and stamps updatedAt', async () => {
      await store.profiles.create(lab({ casCa: TEST_CA_1, precedence: 3 }));
      clock.advance(MINUTE);
      const updated = await store.profiles.update('lab', {
        methods: ['password'],
        mailboxes: ['Bob@Corp.Test'],
        sessionTtlSeconds: undefined,
      });
      expect(updated).toMatchObject({
        methods: ['password'],
        mailboxes: ['bob@corp.test'],
        domains: ['corp.test'],
        casCa: TEST_CA_1,
        precedence: 3,
        sessionTtlSeconds: 8 * 3600,
        createdAt: T0,
        updatedAt: new Date(T0.getTime() + MINUTE),
      });
      expect(await store.profiles.get('lab')).toEqual(updated);
      expect((await store.profiles.update('lab', { casCa: null })).casCa).toBeNull();
    });

    it('validates an update against the merged profile', async () => {
      await store.profiles.create(lab({ sessionTtlSeconds: 3600, idleTtlSeconds: 600 }));
      const idle = await iwaError(store.profiles.update('lab', { idleTtlSeconds: 7200 }));
      expect(idle.details.field).toBe('idleTtlSeconds');
      const rename = await iwaError(store.profiles.update('lab', { name: 'x' } as never));
      expect(rename.details.field).toBe('name');
      const http = await iwaError(store.profiles.update('lab', { casUrl: 'http://cas.corp.test/' }));
      expect(http.details.field).toBe('casUrl');
      const missing = await iwaError(store.profiles.update('nope', { description: 'x' }));
      expect(missing.code).toBe('NOT_FOUND');
      expect((await store.profiles.get('lab'))?.idleTtlSeconds).toBe(600);
    });

    it('deletes a profile, and says NOT_FOUND for one that is not there', async () => {
      await store.profiles.create(lab());
      expect(await store.profiles.delete('lab')).toEqual({ revokedSessions: 0 });
      expect(await store.profiles.get('lab')).toBeNull();
      expect((await iwaError(store.profiles.delete('lab'))).code).toBe('NOT_FOUND');
    });

    it('resolves the effective profile of a mailbox and explains it', async () => {
      await store.profiles.create(lab({ name: 'fallback', domains: [], isDefault: true }));
      await store.profiles.create(lab({ name: 'lab', domains: ['corp.test'] }));
      await store.profiles.create(lab({ name: 'vip', domains: [], mailboxes: ['ceo@corp.test'] }));
      expect(await store.profiles.effective('CEO@corp.test')).toMatchObject({
        profile: { name: 'vip' },
        match: 'mailbox',
        reason: 'mailbox ceo@corp.test is listed in profile vip',
      });
      expect(await store.profiles.effective('bob@corp.test')).toMatchObject({
        profile: { name: 'lab' },
        match: 'domain',
        reason: 'domain corp.test matched profile lab',
      });
      expect(await store.profiles.effective('eve@other.test')).toMatchObject({
        profile: { name: 'fallback' },
        match: 'default',
      });
      await store.profiles.delete('fallback');
      expect(await store.profiles.effective('eve@other.test')).toBeNull();
      expect((await iwaError(store.profiles.effective('not-an-address'))).code).toBe('MAILBOX_INVALID');
    });
  });

  describe('consistency', () => {
    it('shares one database between two open stores (the server and the CLI)', async () => {
      const other = await openStore(url, { clock });
      try {
        const profile = await other.profiles.create(lab());
        const { token } = await store.sessions.issue({
          mailbox: 'alice@corp.test',
          method: 'iwa',
          mechanism: 'ntlm',
          profile,
        });
        expect((await other.sessions.verify(token)).mailbox).toBe('alice@corp.test');
        expect(await other.sessions.revokeMailbox('alice@corp.test')).toBe(1);
        expect((await iwaError(store.sessions.verify(token))).code).toBe('SESSION_INVALID');
      } finally {
        await other.close();
      }
    });

    it('writes all rows of a change that spans tables, or none', async () => {
      const profile = await store.profiles.create(lab());
      const { token } = await store.sessions.issue({
        mailbox: 'a@corp.test',
        method: 'iwa',
        mechanism: null,
        profile,
      });
      // Make the second half of `delete` (the profile row) fail after the first (its sessions).
      const statements =
        target.name === 'sqlite'
          ? [`create trigger no_delete before delete on profiles begin select raise(abort, 'refused'); end`]
          : [
              `create function refuse() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$`,
              'create trigger no_delete before delete on profiles for each row execute function refuse()',
            ];
      for (const statement of statements) await rawQuery(url, statement);
      const err = await iwaError(store.profiles.delete('lab'));
      expect(err.code).toBe('INTERNAL');
      expect(JSON.stringify(err.toBody())).not.toContain('refused');
      expect((await store.sessions.verify(token)).profile).toBe('lab');
      expect(await store.profiles.get('lab')).not.toBeNull();
    });
  });

  describe('sessions', () => {
    let profile: Profile;
    beforeEach(async () => {
      profile = await store.profiles.create(lab({ sessionTtlSeconds: 8 * 3600, idleTtlSeconds: 3600 }));
    });
    const issue = (mailbox = 'Alice@Corp.Test') =>
      store.sessions.issue({ mailbox, method: 'iwa', mechanism: 'kerberos', profile });

    it('issues an id.secret token of at least 128 bits and stores only the hash of the secret', async () => {
      const { token, session } = await issue();
      const [id, secret, ...rest] = token.split('.');
      expect(rest).toEqual([]);
      expect(id).toBe(session.id);
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
      expect(session).toEqual({
        id,
        mailbox: 'alice@corp.test',
        method: 'iwa',
        mechanism: 'kerberos',
        profile: 'lab',
        createdAt: T0,
        lastSeenAt: T0,
        expiresAt: new Date(T0.getTime() + 8 * HOUR),
        idleExpiresAt: new Date(T0.getTime() + HOUR),
      });
      const rows = await rawQuery(url, 'select * from sessions');
      expect(rows).toHaveLength(1);
      const stored = JSON.stringify(rows);
      expect(stored).not.toContain(secret);
      expect(rows[0]?.secret_hash).toBe(
        createHash('sha256')
          .update(secret ?? '')
          .digest('hex'),
      );
      expect(JSON.stringify(session)).not.toContain(String(rows[0]?.secret_hash));
    });

    it('issues a new token at every sign-in', async () => {
      const tokens = new Set<string>();
      for (let i = 0; i < 5; i++) tokens.add((await issue()).token);
      expect(tokens.size).toBe(5);
      expect(await store.sessions.list({ mailbox: 'alice@corp.test' })).toHaveLength(5);
    });

    it('uses the injected CSPRNG', async () => {
      await store.close();
      let n = 0;
      store = await openStore(url, { clock, randomBytes: (size) => new Uint8Array(size).fill(++n) });
      const { token } = await issue();
      expect(token).toBe(
        `${Buffer.alloc(16, 1).toString('base64url')}.${Buffer.alloc(32, 2).toString('base64url')}`,
      );
    });

    it('verifies a token and slides the idle expiry', async () => {
      const { token } = await issue();
      clock.advance(50 * MINUTE);
      const first = await store.sessions.verify(token);
      expect(first.lastSeenAt).toEqual(clock.now());
      expect(first.idleExpiresAt).toEqual(new Date(clock.now().getTime() + HOUR));
      clock.advance(50 * MINUTE); // 100 minutes after issue, 50 after last use
      expect((await store.sessions.verify(token)).mailbox).toBe('alice@corp.test');
    });

    it('refuses a token idle for longer than the idle lifetime', async () => {
      const { token } = await issue();
      clock.advance(HOUR);
      const err = await iwaError(store.sessions.verify(token));
      expect(err.code).toBe('SESSION_INVALID');
      expect(err.details.reason).toBe('expired');
      // And it stays refused.
      clock.set(T0);
      expect((await iwaError(store.sessions.verify(token))).code).toBe('SESSION_INVALID');
    });

    it('refuses a token past its absolute lifetime, however active', async () => {
      const { token } = await issue();
      for (let i = 0; i < 15; i++) {
        clock.advance(30 * MINUTE);
        await store.sessions.verify(token);
      }
      clock.advance(30 * MINUTE); // exactly 8 hours
      const err = await iwaError(store.sessions.verify(token));
      expect(err.code).toBe('SESSION_INVALID');
      expect(err.details.reason).toBe('expired');
    });

    it('keeps the lifetimes of the profile at issue time', async () => {
      const { token, session } = await issue();
      await store.profiles.update('lab', { sessionTtlSeconds: 30 * 86400, idleTtlSeconds: 86400 });
      clock.advance(HOUR);
      expect((await iwaError(store.sessions.verify(token))).code).toBe('SESSION_INVALID');
      expect(session.expiresAt).toEqual(new Date(T0.getTime() + 8 * HOUR));
    });

    it('refuses unknown tokens and wrong secrets alike', async () => {
      const { token } = await issue();
      const [id] = token.split('.');
      const unknown = `${'A'.repeat(22)}.${'B'.repeat(43)}`;
      const wrongSecret = `${id ?? ''}.${'B'.repeat(43)}`;
      for (const t of [unknown, wrongSecret]) {
        const err = await iwaError(store.sessions.verify(t));
        expect(err.code).toBe('SESSION_INVALID');
        expect(err.details.reason).toBe('unknown');
      }
      // A wrong secret does not hurt the real session.
      expect((await store.sessions.verify(token)).id).toBe(id);
    });

    it.each([
      ['empty', ''],
      ['no dot', 'abc'],
      ['three parts', 'a.b.c'],
      ['short secret', `${'A'.repeat(22)}.${'B'.repeat(42)}`],
      ['bad characters', `${'A'.repeat(22)}.${'B'.repeat(42)}=`],
      ['huge', `${'A'.repeat(22)}.${'B'.repeat(100_000)}`],
    ])('refuses a malformed token (%s)', async (_, token) => {
      const err = await iwaError(store.sessions.verify(token));
      expect(err.code).toBe('SESSION_INVALID');
      expect(err.details.reason).toBe('malformed');
    });

    it('revokes one session by id (admin)', async () => {
      const a = await issue();
      const b = await issue();
      expect(await store.sessions.revoke(a.session.id)).toBe(true);
      expect(await store.sessions.revoke(a.session.id)).toBe(false);
      expect((await iwaError(store.sessions.verify(a.token))).code).toBe('SESSION_INVALID');
      expect((await store.sessions.verify(b.token)).id).toBe(b.session.id);
    });

    it('signs out by token, but only with the right secret', async () => {
      const { token, session } = await issue();
      const forged = `${session.id}.${'B'.repeat(43)}`;
      expect((await iwaError(store.sessions.revokeByToken(forged))).code).toBe('SESSION_INVALID');
      await store.sessions.verify(token);
      await store.sessions.revokeByToken(token);
      expect((await iwaError(store.sessions.verify(token))).code).toBe('SESSION_INVALID');
      expect((await iwaError(store.sessions.revokeByToken(token))).code).toBe('SESSION_INVALID');
    });

    it('revokes every session of a mailbox and lists by mailbox', async () => {
      const a1 = await issue('alice@corp.test');
      clock.advance(1000);
      const a2 = await issue('alice@corp.test');
      const b = await issue('bob@corp.test');
      expect((await store.sessions.list({ mailbox: 'ALICE@corp.test' })).map((s) => s.id)).toEqual([
        a2.session.id,
        a1.session.id,
      ]);
      expect(await store.sessions.list()).toHaveLength(3);
      expect(await store.sessions.revokeMailbox('Alice@Corp.Test')).toBe(2);
      expect(await store.sessions.revokeMailbox('alice@corp.test')).toBe(0);
      expect((await iwaError(store.sessions.verify(a1.token))).code).toBe('SESSION_INVALID');
      expect((await store.sessions.list()).map((s) => s.id)).toEqual([b.session.id]);
    });

    it('leaves expired sessions out of the list', async () => {
      await issue();
      clock.advance(HOUR + 1);
      expect(await store.sessions.list()).toEqual([]);
    });

    it('loses no session across a restart', async () => {
      const { token, session } = await issue();
      await reopen();
      expect(await store.sessions.verify(token)).toMatchObject({
        id: session.id,
        mailbox: 'alice@corp.test',
      });
    });

    it('revokes the sessions of a deleted profile', async () => {
      const { token } = await issue();
      await issue('bob@corp.test');
      expect(await store.profiles.delete('lab')).toEqual({ revokedSessions: 2 });
      expect((await iwaError(store.sessions.verify(token))).code).toBe('SESSION_INVALID');
      expect(await store.sessions.list()).toEqual([]);
    });

    it('refuses to issue for a profile that does not exist', async () => {
      const err = await iwaError(
        store.sessions.issue({
          mailbox: 'a@corp.test',
          method: 'iwa',
          mechanism: null,
          profile: { ...profile, name: 'gone' },
        }),
      );
      expect(err.code).toBe('PROFILE_NOT_FOUND');
    });
  });

  describe('audit', () => {
    const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
      at: clock.now(),
      clientAddress: '192.0.2.10',
      claimedMailbox: 'alice@corp.test',
      provenMailbox: 'alice@corp.test',
      method: 'iwa',
      mechanism: 'ntlm',
      outcome: 'success',
      reason: 'OK',
      profile: 'lab',
      ...over,
    });

    it('records every field and returns entries newest first', async () => {
      const first = entry();
      await store.audit.record(first);
      clock.advance(MINUTE);
      const second = entry({
        at: clock.now(),
        provenMailbox: 'bob@corp.test',
        outcome: 'failure',
        reason: 'IDENTITY_MISMATCH',
        mechanism: null,
        profile: null,
      });
      await store.audit.record(second);
      expect(await store.audit.query()).toEqual([second, first]);
    });

    it('filters by claimed or proven mailbox, by time and limits the count', async () => {
      for (let i = 0; i < 5; i++) {
        await store.audit.record(entry({ at: new Date(T0.getTime() + i * HOUR) }));
      }
      await store.audit.record(entry({ claimedMailbox: 'eve@corp.test', provenMailbox: null }));
      await store.audit.record(entry({ claimedMailbox: null, provenMailbox: 'eve@corp.test' }));
      expect(await store.audit.query({ mailbox: 'EVE@corp.test' })).toHaveLength(2);
      const window = await store.audit.query({
        mailbox: 'alice@corp.test',
        since: new Date(T0.getTime() + HOUR),
        until: new Date(T0.getTime() + 3 * HOUR),
      });
      expect(window.map((e) => e.at.getTime() - T0.getTime())).toEqual([2 * HOUR, HOUR]);
      expect(await store.audit.query({ limit: 3 })).toHaveLength(3);
    });

    it('prunes entries older than a date and says how many', async () => {
      for (let i = 0; i < 4; i++) await store.audit.record(entry({ at: new Date(T0.getTime() - i * DAY) }));
      expect(await store.audit.prune(new Date(T0.getTime() - DAY - 1))).toBe(2);
      expect(await store.audit.query()).toHaveLength(2);
    });

    it('has no place for a secret and caps what a client controls', async () => {
      const withToken = await iwaError(
        store.audit.record({ ...entry(), token: 'Negotiate abc' } as AuditEntry),
      );
      expect(withToken.code).toBe('INPUT_INVALID');
      expect(withToken.details.field).toBe('token');
      // Untyped callers (the CLI, a future plugin) get the same check at run time.
      const freeText = await iwaError(
        store.audit.record(entry({ reason: 'password was hunter2' as AuditEntry['reason'] })),
      );
      expect(freeText.details.field).toBe('reason');
      const codeLike = await iwaError(
        store.audit.record(entry({ reason: 'NOT_A_CATALOGUE_CODE' as AuditEntry['reason'] })),
      );
      expect(codeLike.details.field).toBe('reason');
      await store.audit.record(entry({ claimedMailbox: 'x'.repeat(10_000), clientAddress: '1'.repeat(500) }));
      const [stored] = await store.audit.query();
      expect(stored?.claimedMailbox).toHaveLength(320);
      expect(stored?.clientAddress).toHaveLength(100);
    });
  });

  describe('sign-in records', () => {
    const success = (over: Partial<AuditEntry> = {}): AuditEntry => ({
      at: clock.now(),
      clientAddress: '192.0.2.10',
      claimedMailbox: 'alice@corp.test',
      provenMailbox: 'alice@corp.test',
      method: 'password',
      mechanism: 'ntlm',
      outcome: 'success',
      reason: 'OK',
      profile: 'lab',
      ...over,
    });
    const input = (profile: Pick<Profile, 'name' | 'sessionTtlSeconds' | 'idleTtlSeconds'>) => ({
      mailbox: 'alice@corp.test',
      method: 'password' as const,
      mechanism: 'ntlm' as const,
      profile,
    });

    it('issues the session and writes its audit row together', async () => {
      const profile = await store.profiles.create(lab());
      const { token, session } = await store.signIns.succeeded(input(profile), success());
      expect((await store.sessions.verify(token)).id).toBe(session.id);
      expect(await store.audit.query()).toEqual([success()]);
    });

    it('writes neither when the audit row is refused', async () => {
      const profile = await store.profiles.create(lab());
      const err = await iwaError(
        store.signIns.succeeded(input(profile), success({ reason: 'free text' as AuditEntry['reason'] })),
      );
      expect(err.code).toBe('INPUT_INVALID');
      expect(await store.sessions.list()).toEqual([]);
      expect(await store.audit.query()).toEqual([]);
    });

    it('writes neither when the profile is gone (PROFILE_NOT_FOUND)', async () => {
      const gone = { name: 'gone', sessionTtlSeconds: 60, idleTtlSeconds: 60 };
      const err = await iwaError(store.signIns.succeeded(input(gone), success({ profile: 'gone' })));
      expect(err.code).toBe('PROFILE_NOT_FOUND');
      expect(await store.audit.query()).toEqual([]);
    });
  });

  it('records the msexchuid of an identity-token sign-in', async () => {
    await store.audit.record({
      at: clock.now(),
      clientAddress: '192.0.2.1',
      claimedMailbox: 'alice@corp.test',
      provenMailbox: 'alice@corp.test',
      method: 'identity-token',
      mechanism: null,
      outcome: 'success',
      reason: 'OK',
      profile: 'lab',
      msexchuid: 'uid-alice',
    });
    expect((await store.audit.query())[0]).toMatchObject({
      method: 'identity-token',
      msexchuid: 'uid-alice',
    });
  });

  describe('admin credential', () => {
    it('mints a credential, stores only its hash and verifies it', async () => {
      expect(await store.adminCredentials.exists()).toBe(false);
      const credential = await store.adminCredentials.mint();
      expect(await store.adminCredentials.exists()).toBe(true);
      expect(await store.adminCredentials.verify(credential)).toBe(true);
      const secret = credential.split('.')[1] ?? '';
      expect(JSON.stringify(await rawQuery(url, 'select * from admin_credentials'))).not.toContain(secret);
      for (const wrong of ['', 'x', `${credential.split('.')[0] ?? ''}.${'A'.repeat(43)}`]) {
        expect(await store.adminCredentials.verify(wrong)).toBe(false);
      }
    });

    it('refuses to mint a second one without rotating; rotating invalidates the old one', async () => {
      const old = await store.adminCredentials.mint();
      const conflict = await iwaError(store.adminCredentials.mint());
      expect(conflict.code).toBe('CONFLICT');
      expect(await store.adminCredentials.verify(old)).toBe(true);
      const fresh = await store.adminCredentials.mint({ rotate: true });
      expect(fresh).not.toBe(old);
      expect(await store.adminCredentials.verify(old)).toBe(false);
      expect(await store.adminCredentials.verify(fresh)).toBe(true);
      await reopen();
      expect(await store.adminCredentials.verify(fresh)).toBe(true);
    });
  });

  describe('identity-token bindings', () => {
    it('binds (amurl, msexchuid) to a mailbox, rebinds and revokes', async () => {
      const amurl = 'https://cas.corp.test/autodiscover/metadata/json/1';
      expect(await store.bindings.lookup(amurl, 'uid-1')).toBeNull();
      await store.bindings.bind({ amurl, msexchuid: 'uid-1', mailbox: 'Alice@corp.test' });
      expect(await store.bindings.lookup(amurl, 'uid-1')).toEqual({
        amurl,
        msexchuid: 'uid-1',
        mailbox: 'alice@corp.test',
        createdAt: T0,
      });
      clock.advance(MINUTE);
      await store.bindings.bind({ amurl, msexchuid: 'uid-1', mailbox: 'bob@corp.test' });
      expect((await store.bindings.lookup(amurl, 'uid-1'))?.mailbox).toBe('bob@corp.test');
      await store.bindings.bind({ amurl, msexchuid: 'uid-2', mailbox: 'bob@corp.test' });
      expect(await store.bindings.revokeMailbox('bob@corp.test')).toBe(2);
      expect(await store.bindings.lookup(amurl, 'uid-2')).toBeNull();
    });

    it('one binding per session; bindings made before a date are pruned', async () => {
      const amurl = 'https://cas.corp.test/autodiscover/metadata/json/1';
      await store.bindings.bind({ amurl, msexchuid: 'uid-1', mailbox: 'alice@corp.test', sessionId: 's1' });
      const again = await iwaError(
        store.bindings.bind({ amurl, msexchuid: 'uid-2', mailbox: 'alice@corp.test', sessionId: 's1' }),
      );
      expect(again).toMatchObject({ code: 'CONFLICT', details: { field: 'sessionId' } });
      expect(await store.bindings.lookup(amurl, 'uid-2')).toBeNull();
      clock.advance(DAY);
      await store.bindings.bind({ amurl, msexchuid: 'uid-2', mailbox: 'alice@corp.test', sessionId: 's2' });
      expect(await store.bindings.prune(new Date(T0.getTime() + HOUR))).toBe(1);
      expect((await store.bindings.list()).map((b) => b.msexchuid)).toEqual(['uid-2']);
    });

    it("revoking a mailbox ends its sessions and its bindings, and no one else's", async () => {
      const profile = await store.profiles.create(lab());
      const amurl = 'https://cas.corp.test/autodiscover/metadata/json/1';
      for (const mailbox of ['alice@corp.test', 'bob@corp.test']) {
        await store.sessions.issue({ mailbox, method: 'iwa', mechanism: 'ntlm', profile });
        await store.bindings.bind({ amurl, msexchuid: `uid-${mailbox}`, mailbox });
      }
      expect(await store.revokeMailbox('Alice@corp.test')).toEqual({ sessions: 1, bindings: 1 });
      expect((await store.sessions.list()).map((x) => x.mailbox)).toEqual(['bob@corp.test']);
      expect((await store.bindings.list()).map((b) => b.mailbox)).toEqual(['bob@corp.test']);
    });

    it('the sweep deletes expired sessions, old bindings and audit entries past retention', async () => {
      const profile = await store.profiles.create(lab({ sessionTtlSeconds: 8 * 3600, idleTtlSeconds: 3600 }));
      const amurl = 'https://cas.corp.test/autodiscover/metadata/json/1';
      const issue = (mailbox: string) =>
        store.sessions.issue({ mailbox, method: 'iwa', mechanism: 'ntlm', profile });
      const record = (at: Date) =>
        store.audit.record({
          at,
          clientAddress: '192.0.2.1',
          claimedMailbox: null,
          provenMailbox: null,
          method: 'iwa',
          mechanism: null,
          outcome: 'failure',
          reason: 'AUTH_REJECTED',
          profile: null,
        });
      await record(clock.now());
      await store.bindings.bind({ amurl, msexchuid: 'old', mailbox: 'alice@corp.test' });
      const idle = await issue('idle@corp.test');
      const busy = await issue('busy@corp.test');
      clock.advance(50 * MINUTE);
      await store.sessions.verify(busy.token); // slides its idle expiry
      clock.advance(20 * MINUTE); // idle is past its hour; busy is not
      const settings = { auditRetentionDays: 30, bindingMaxAgeDays: 90 };
      expect(await sweepOnce(store, clock, settings)).toEqual({ sessions: 1, bindings: 0, audit: 0 });
      expect((await store.sessions.list()).map((x) => x.id)).toEqual([busy.session.id]);
      expect(idle.session.id).not.toBe(busy.session.id);
      clock.advance(31 * DAY);
      await record(clock.now());
      await store.bindings.bind({ amurl, msexchuid: 'new', mailbox: 'alice@corp.test' });
      expect(await sweepOnce(store, clock, settings)).toEqual({ sessions: 1, bindings: 0, audit: 1 });
      clock.advance(60 * DAY);
      expect(await sweepOnce(store, clock, settings)).toEqual({ sessions: 0, bindings: 1, audit: 1 });
      expect((await store.bindings.list()).map((b) => b.msexchuid)).toEqual(['new']);
      // Retention 0 keeps the trail.
      await record(clock.now());
      clock.advance(365 * DAY);
      expect(await sweepOnce(store, clock, { ...settings, auditRetentionDays: 0 })).toMatchObject({
        audit: 0,
      });
      expect(await store.audit.query()).toHaveLength(1);
    });

    it('lists bindings newest first, by mailbox, and revokes one', async () => {
      const amurl = 'https://cas.corp.test/autodiscover/metadata/json/1';
      await store.bindings.bind({ amurl, msexchuid: 'uid-a', mailbox: 'alice@corp.test' });
      clock.advance(MINUTE);
      await store.bindings.bind({ amurl, msexchuid: 'uid-b', mailbox: 'bob@corp.test' });
      expect((await store.bindings.list()).map((b) => b.msexchuid)).toEqual(['uid-b', 'uid-a']);
      expect((await store.bindings.list({ mailbox: 'ALICE@corp.test' })).map((b) => b.msexchuid)).toEqual([
        'uid-a',
      ]);
      expect(await store.bindings.revoke(amurl, 'uid-a')).toBe(1);
      expect(await store.bindings.revoke(amurl, 'uid-a')).toBe(0);
      expect(await store.bindings.list()).toHaveLength(1);
    });
  });

  describe('sign-in limit counters', () => {
    const policy = { ...DEFAULT_ACCOUNT_BACKOFF, freeFailures: 4, holdAfterFailures: 4 };
    const charge = (limits: SignInLimits, key: LimitKey) =>
      limits.admit([{ kind: 'backoff', scope: 'account', key, policy, charge: true }]);
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e as { code?: string }).code,
      );

    it('checks and charges in one atomic step: of 20 parallel attempts exactly 4 pass', async () => {
      const limits = new SignInLimits(store.limits);
      const key = limitKeys.account('CORP\\ALICE');
      const results = await Promise.all(Array.from({ length: 20 }, () => outcome(charge(limits, key))));
      expect(results.filter((r) => r === 'ok')).toHaveLength(4);
      expect(results.filter((r) => r === 'RATE_LIMITED')).toHaveLength(16);
    });

    it('forgets a key after its quiet period, and sweep deletes it', async () => {
      const limits = new SignInLimits(store.limits);
      for (let i = 0; i < 4; i++) await charge(limits, limitKeys.account('CORP\\BOB'));
      expect(await outcome(charge(limits, limitKeys.account('CORP\\BOB')))).toBe('RATE_LIMITED');
      expect(await store.limits.size()).toEqual({ address: 0, account: 1 });
      clock.advance(policy.quietMs);
      expect(await store.limits.size()).toEqual({ address: 0, account: 0 });
      expect(await store.limits.sweep()).toBeLessThanOrEqual(1);
      expect(await outcome(charge(limits, limitKeys.account('CORP\\BOB')))).toBe('ok');
    });

    it('keeps the alias of an account to its proven mailbox', async () => {
      const limits = new SignInLimits(store.limits);
      expect(await limits.aliasOf('ALICE.SMITH@CORP')).toBeNull();
      await limits.settle([
        { op: 'alias', key: limitKeys.alias('ALICE.SMITH@CORP'), mailbox: 'alice@corp.test', ttlMs: DAY },
      ]);
      expect(await limits.aliasOf('ALICE.SMITH@CORP')).toBe('alice@corp.test');
      clock.advance(DAY);
      expect(await limits.aliasOf('ALICE.SMITH@CORP')).toBeNull();
    });

    it('when full: new address keys pass uncounted, new accounts are refused, known keys keep their counts', async () => {
      await store.close();
      store = await openStore(url, { clock, limitCapacity: { address: 2, account: 2 } });
      const limits = new SignInLimits(store.limits);
      const address = (a: string) =>
        limits.admit([
          { kind: 'backoff', scope: 'address', key: limitKeys.addressFailures(a), policy, charge: true },
        ]);
      await address('192.0.2.1');
      await address('192.0.2.2');
      // Fail open: a flood of addresses never locks anyone out...
      for (let i = 0; i < 10; i++) expect(await outcome(address('192.0.2.3'))).toBe('ok');
      expect(await store.limits.size()).toEqual({ address: 2, account: 0 });
      // ...and never takes the room the accounts' budgets need.
      await charge(limits, limitKeys.account('CORP\\A'));
      await charge(limits, limitKeys.account('CORP\\B'));
      // Fail closed: no uncounted guess for an account we have no room to count.
      expect(await outcome(charge(limits, limitKeys.account('CORP\\C')))).toBe('RATE_LIMITED');
      expect(await outcome(charge(limits, limitKeys.account('CORP\\A')))).toBe('ok');
      clock.advance(policy.quietMs);
      expect(await outcome(charge(limits, limitKeys.account('CORP\\C')))).toBe('ok');
    });

    it('PostgreSQL: every store on the database shares the budget; SQLite: each process has its own', async () => {
      const other = await openStore(url, { clock });
      try {
        const key = limitKeys.account('CORP\\CAROL');
        for (let i = 0; i < 4; i++)
          await charge(new SignInLimits(i % 2 === 0 ? store.limits : other.limits), key);
        const fifth = await outcome(charge(new SignInLimits(other.limits), key));
        expect(fifth).toBe(target.name === 'postgres' ? 'RATE_LIMITED' : 'ok');
      } finally {
        await other.close();
      }
    });
  });

  describe('access tokens (migration 4)', () => {
    const key = (kid: string) => ({
      kid,
      alg: 'ES256' as const,
      publicJwk: JSON.stringify({ kty: 'EC', kid }),
      privateKey: `sealed-${kid}`,
    });

    it('makes the first signing key once, even when asked twice', async () => {
      expect(await store.accessTokens.keys.active()).toBeNull();
      const first = await store.accessTokens.keys.addIfNone(key('k1'));
      const second = await store.accessTokens.keys.addIfNone(key('k2'));
      expect([first.kid, second.kid]).toEqual(['k1', 'k1']);
      expect((await store.accessTokens.keys.list()).map((k) => k.kid)).toEqual(['k1']);
      expect(first).toMatchObject({
        alg: 'ES256',
        privateKey: 'sealed-k1',
        rotatedAt: null,
        retiredAt: null,
      });
    });

    it('rotation hands signing to the new key and keeps the old one published for the given time', async () => {
      await store.accessTokens.keys.addIfNone(key('old'));
      clock.advance(MINUTE);
      const next = await store.accessTokens.keys.rotate(key('new'), 600);
      expect(next.kid).toBe('new');
      expect((await store.accessTokens.keys.active())?.kid).toBe('new');
      const old = (await store.accessTokens.keys.list()).find((k) => k.kid === 'old');
      expect(old?.rotatedAt).toEqual(clock.now());
      expect(old?.publishUntil).toEqual(new Date(clock.now().getTime() + 600 * 1000));
      expect((await store.accessTokens.keys.published()).map((k) => k.kid)).toEqual(['new', 'old']);
      clock.advance(600 * 1000 - 1);
      expect((await store.accessTokens.keys.published()).map((k) => k.kid)).toEqual(['new', 'old']);
      clock.advance(1);
      expect((await store.accessTokens.keys.published()).map((k) => k.kid)).toEqual(['new']);
      // Still listed for the admin, with its history.
      expect((await store.accessTokens.keys.list()).map((k) => k.kid)).toEqual(['new', 'old']);
    });

    it('a retired key leaves the JWKS at once and stops signing', async () => {
      await store.accessTokens.keys.addIfNone(key('k1'));
      expect(await store.accessTokens.keys.retire('k1')).toBe(true);
      expect(await store.accessTokens.keys.retire('k1')).toBe(false);
      expect(await store.accessTokens.keys.retire('nope')).toBe(false);
      expect(await store.accessTokens.keys.published()).toEqual([]);
      expect(await store.accessTokens.keys.active()).toBeNull();
    });

    it('audiences: add with a default lifetime of 10 minutes, list, conflict, remove', async () => {
      const api = await store.accessTokens.audiences.add({ name: 'https://api.corp.test' });
      expect(api).toEqual({ name: 'https://api.corp.test', lifetimeSeconds: 600, createdAt: clock.now() });
      await store.accessTokens.audiences.add({ name: 'hr', lifetimeSeconds: 120 });
      expect((await store.accessTokens.audiences.list()).map((a) => [a.name, a.lifetimeSeconds])).toEqual([
        ['hr', 120],
        ['https://api.corp.test', 600],
      ]);
      expect((await iwaError(store.accessTokens.audiences.add({ name: 'hr' }))).code).toBe('CONFLICT');
      expect(await store.accessTokens.audiences.remove('hr')).toBe(true);
      expect(await store.accessTokens.audiences.remove('hr')).toBe(false);
      expect(await store.accessTokens.audiences.get('hr')).toBeNull();
    });

    it('audiences: bad names and lifetimes are INPUT_INVALID naming the field', async () => {
      for (const [input, field] of [
        [{ name: '' }, 'name'],
        [{ name: 'has space' }, 'name'],
        [{ name: 'x'.repeat(201) }, 'name'],
        [{ name: 'api', lifetimeSeconds: 59 }, 'lifetime'],
        [{ name: 'api', lifetimeSeconds: 86_401 }, 'lifetime'],
        [{ name: 'api', lifetimeSeconds: 1.5 }, 'lifetime'],
      ] as const) {
        const err = await iwaError(store.accessTokens.audiences.add(input));
        expect([err.code, err.details.field]).toEqual(['INPUT_INVALID', field]);
      }
    });

    it('clients: the credential is shown once and only its hash is stored', async () => {
      const { client, credential } = await store.accessTokens.clients.add('hr-api');
      expect(client.name).toBe('hr-api');
      expect(await store.accessTokens.clients.verify(credential)).toEqual(client);
      const [id, secret] = credential.split('.');
      expect(await store.accessTokens.clients.verify(`${id}.${'A'.repeat(43)}`)).toBeNull();
      expect(await store.accessTokens.clients.verify('garbage')).toBeNull();
      const rows = await rawQuery(url, 'select * from token_clients');
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(rows[0]?.secret_hash).toBe(
        createHash('sha256')
          .update(secret ?? '')
          .digest('hex'),
      );
      expect((await iwaError(store.accessTokens.clients.add('hr-api'))).code).toBe('CONFLICT');
      expect((await store.accessTokens.clients.list()).map((c) => c.name)).toEqual(['hr-api']);
      expect(await store.accessTokens.clients.remove('hr-api')).toBe(true);
      expect(await store.accessTokens.clients.verify(credential)).toBeNull();
    });

    it('records issued tokens (never the token) and queries them newest first by mailbox', async () => {
      const entry = (jti: string, mailbox: string) => ({
        jti,
        at: clock.now(),
        mailbox,
        audience: 'hr',
        sessionId: 'sid',
        kid: 'k1',
        expiresAt: new Date(clock.now().getTime() + 600_000),
      });
      await store.accessTokens.issued.record(entry('j1', 'Alice@Corp.Test'));
      clock.advance(1000);
      await store.accessTokens.issued.record(entry('j2', 'bob@corp.test'));
      clock.advance(1000);
      await store.accessTokens.issued.record(entry('j3', 'alice@corp.test'));
      expect((await store.accessTokens.issued.query()).map((e) => e.jti)).toEqual(['j3', 'j2', 'j1']);
      const alice = await store.accessTokens.issued.query({ mailbox: 'alice@corp.test' });
      expect(alice.map((e) => [e.jti, e.mailbox])).toEqual([
        ['j3', 'alice@corp.test'],
        ['j1', 'alice@corp.test'],
      ]);
      expect(alice[1]).toEqual({
        ...entry('j1', 'alice@corp.test'),
        at: T0,
        expiresAt: new Date(T0.getTime() + 600_000),
      });
      expect(await store.accessTokens.issued.query({ limit: 1 })).toHaveLength(1);
    });

    it('the subject secret is made once and survives reopening', async () => {
      const first = await store.accessTokens.subjectSecret();
      expect(first).toHaveLength(32);
      await reopen();
      expect(await store.accessTokens.subjectSecret()).toEqual(first);
    });
  });

  describe('sessions.get', () => {
    it('finds a live session without sliding its idle expiry, and nothing once it is gone', async () => {
      const profile = await store.profiles.create(lab({ sessionTtlSeconds: 3600, idleTtlSeconds: 600 }));
      const { session } = await store.sessions.issue({
        mailbox: 'alice@corp.test',
        method: 'iwa',
        mechanism: 'kerberos',
        profile,
      });
      clock.advance(5 * MINUTE);
      expect(await store.sessions.get(session.id)).toEqual(session);
      clock.advance(5 * MINUTE);
      expect(await store.sessions.get(session.id)).toBeNull();
      expect(await store.sessions.get('unknown')).toBeNull();
    });
  });
});
