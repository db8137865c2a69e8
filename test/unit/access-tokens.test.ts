/**
 * Access tokens without the lab: the key-encryption key file and sealing, `serve` and the
 * CLI without or with a bad key, the token lifetime rules, and the admin API that mirrors
 * `keys`, `audience` and `client` — through `app.inject()` over a real SQLite store.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/backend/app.ts';
import { parseServeConfig } from '../../src/backend/config.ts';
import { openStore } from '../../src/backend/storage/index.ts';
import type { Store } from '../../src/backend/storage/types.ts';
import { loadKek, parseKek, seal, unseal } from '../../src/backend/tokens/kek.ts';
import { amrOf, audienceNameProblem, tokenExpiry } from '../../src/protocol/access-token.ts';
import { IwaError } from '../../src/protocol/errors.ts';
import { CAS_URL } from '../db/fixtures.ts';
import { type FakeClock, MINUTE, fakeClock } from '../db/helpers.ts';
import { inProcess } from './cli-main.ts';

const dir = mkdtempSync(join(tmpdir(), 'outlook-iwa-tokens-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileCount = 0;
function kekFile(text: string, mode = 0o600): string {
  const file = join(dir, `kek-${++fileCount}`);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

function problemOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (err instanceof IwaError) return [err.code, err.details.problem];
    throw err;
  }
  return 'no error';
}

describe('the key-encryption key file', () => {
  const key = randomBytes(32);

  it('reads 32 bytes in base64, base64url or hex, with a trailing newline', () => {
    expect(loadKek(kekFile(`${key.toString('base64')}\n`))).toEqual(key);
    expect(parseKek(key.toString('base64url'))).toEqual(key);
    expect(parseKek(key.toString('hex'))).toEqual(key);
  });

  it.each([
    ['a missing file', () => loadKek(join(dir, 'absent')), 'not-found'],
    ['a directory', () => loadKek(dir), 'not-found'],
    ['a file others may read', () => loadKek(kekFile(key.toString('base64'), 0o644)), 'permissions'],
    ['a file the group may read', () => loadKek(kekFile(key.toString('base64'), 0o640)), 'permissions'],
    ['16 bytes', () => loadKek(kekFile(randomBytes(16).toString('base64'))), 'short'],
    ['16 bytes in hex', () => parseKek(randomBytes(16).toString('hex')), 'short'],
    ['an empty file', () => loadKek(kekFile('')), 'format'],
    ['a passphrase', () => parseKek('correct horse battery staple'), 'format'],
    ['64 bytes', () => parseKek(randomBytes(64).toString('base64')), 'format'],
  ])('refuses %s with KEY_ENCRYPTION_KEY_INVALID', (_, fn, problem) => {
    expect(problemOf(fn)).toEqual(['KEY_ENCRYPTION_KEY_INVALID', problem]);
  });

  it('seals with AES-256-GCM bound to the kid; another key or kid does not open it', () => {
    const sealed = seal(key, 'kid-1', Buffer.from('private key'));
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(unseal(key, 'kid-1', sealed).toString()).toBe('private key');
    expect(seal(key, 'kid-1', Buffer.from('private key'))).not.toBe(sealed);
    expect(problemOf(() => unseal(randomBytes(32), 'kid-1', sealed))).toEqual([
      'KEY_ENCRYPTION_KEY_INVALID',
      'mismatch',
    ]);
    expect(problemOf(() => unseal(key, 'kid-2', sealed))).toEqual(['KEY_ENCRYPTION_KEY_INVALID', 'mismatch']);
  });

  it('serve refuses a bad file at boot, naming the flag and its variable', () => {
    let err: unknown;
    try {
      parseServeConfig({
        host: '127.0.0.1',
        port: '8443',
        database: 'sqlite::memory:',
        keyEncryptionKeyFile: kekFile(key.toString('base64'), 0o644),
      });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: 'KEY_ENCRYPTION_KEY_INVALID',
      details: { flag: '--key-encryption-key-file', env: 'OUTLOOK_IWA_KEY_ENCRYPTION_KEY_FILE' },
    });
  });
});

describe('token rules', () => {
  it('lives the audience lifetime, but never past the session end', () => {
    const now = Date.UTC(2030, 0, 1);
    expect(tokenExpiry(now, 600, now + 3_600_000)).toBe(now / 1000 + 600);
    expect(tokenExpiry(now, 600, now + 120_000)).toBe(now / 1000 + 120);
  });

  it('amr is the method, and the mechanism for IWA', () => {
    expect(amrOf('iwa', 'kerberos')).toEqual(['iwa', 'kerberos']);
    expect(amrOf('iwa', 'ntlm')).toEqual(['iwa', 'ntlm']);
    expect(amrOf('password', null)).toEqual(['password']);
    expect(amrOf('identity-token', null)).toEqual(['identity-token']);
  });

  it('audience names are printable and bounded', () => {
    expect(audienceNameProblem('https://api.corp.example/v1')).toBeNull();
    expect(audienceNameProblem('a b')).not.toBeNull();
    expect(audienceNameProblem('é')).not.toBeNull();
  });
});

describe('the HTTP API over a real store', () => {
  let store: Store;
  let clock: FakeClock;
  let app: FastifyInstance;
  let admin: string;
  const kek = randomBytes(32);
  const addinDir = join(dir, 'addin');

  beforeEach(async () => {
    clock = fakeClock();
    store = await openStore('sqlite::memory:', { clock });
    app = await buildApp({ store, clock, addinDir, keyEncryptionKey: kek });
    admin = await store.adminCredentials.mint();
    await store.profiles.create({
      name: 'lab',
      casUrl: CAS_URL,
      domains: ['corp.test'],
      sessionTtlSeconds: 5 * 60,
      idleTtlSeconds: 5 * 60,
    });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  const asAdmin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${admin}` },
      ...(payload ? { payload } : {}),
    });
  const session = async (method: 'password' | 'identity-token' = 'password') => {
    const profile = await store.profiles.get('lab');
    if (profile === null) throw new Error('no profile');
    return (await store.sessions.issue({ mailbox: 'alice@corp.test', method, mechanism: null, profile }))
      .token;
  };
  const tokenRequest = (bearer: string, audience: string) =>
    app.inject({
      method: 'POST',
      url: '/api/token',
      headers: { authorization: `Bearer ${bearer}` },
      payload: { audience },
    });

  it('caps a token at the session end and names the method in amr', async () => {
    await store.accessTokens.audiences.add({ name: 'api' });
    const s = await session();
    clock.advance(2 * MINUTE);
    const res = await tokenRequest(s, 'api');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 180 });
    expect(decodeJwt(res.json<{ access_token: string }>().access_token)).toMatchObject({
      amr: ['password'],
      aud: 'api',
    });
    clock.advance(3 * MINUTE);
    expect((await tokenRequest(s, 'api')).json()).toMatchObject({ code: 'SESSION_INVALID' });
  });

  it('without a key-encryption key, tokens are off: KEY_ENCRYPTION_KEY_MISSING', async () => {
    const off = await buildApp({ store, clock, addinDir });
    try {
      await store.accessTokens.audiences.add({ name: 'api' });
      const res = await off.inject({
        method: 'POST',
        url: '/api/token',
        headers: { authorization: `Bearer ${await session()}` },
        payload: { audience: 'api' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        code: 'KEY_ENCRYPTION_KEY_MISSING',
        env: 'OUTLOOK_IWA_KEY_ENCRYPTION_KEY_FILE',
      });
      // The published keys are public: the JWKS is served all the same.
      expect((await off.inject({ url: '/.well-known/jwks.json' })).json()).toEqual({ keys: [] });
      const rotate = await off.inject({
        method: 'POST',
        url: '/api/admin/keys/rotate',
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(rotate.json()).toMatchObject({ code: 'KEY_ENCRYPTION_KEY_MISSING' });
    } finally {
      await off.close();
    }
  });

  it('refuses to start with a key-encryption key that does not open the signing keys', async () => {
    await store.accessTokens.audiences.add({ name: 'api' });
    expect((await tokenRequest(await session(), 'api')).statusCode).toBe(200);
    await expect(
      buildApp({ store, clock, addinDir, keyEncryptionKey: randomBytes(32) }),
    ).rejects.toMatchObject({
      code: 'KEY_ENCRYPTION_KEY_INVALID',
      details: { problem: 'mismatch' },
    });
  });

  it('the admin API mirrors audience, client and keys, behind the admin credential', async () => {
    for (const [method, url] of [
      ['GET', '/api/admin/audiences'],
      ['POST', '/api/admin/clients'],
      ['POST', '/api/admin/keys/rotate'],
      ['GET', '/api/admin/tokens'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect([url, res.json<{ code: string }>().code]).toEqual([url, 'ADMIN_UNAUTHORIZED']);
    }

    const noClient = await app.inject({
      method: 'POST',
      url: '/api/token/introspect',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'token=x',
    });
    expect([noClient.statusCode, noClient.headers['www-authenticate']]).toEqual([401, 'Bearer']);

    const added = await asAdmin('POST', '/api/admin/audiences', {
      name: 'https://api.corp.test',
      lifetimeSeconds: 120,
    });
    expect(added.statusCode).toBe(201);
    expect((await asAdmin('GET', '/api/admin/audiences')).json()).toMatchObject({
      audiences: [{ name: 'https://api.corp.test', lifetimeSeconds: 120 }],
    });
    expect(
      (await asAdmin('POST', '/api/admin/audiences', { name: 'x', lifetimeSeconds: 5 })).json(),
    ).toMatchObject({
      code: 'INPUT_INVALID',
      field: 'lifetime',
    });

    const client = await asAdmin('POST', '/api/admin/clients', { name: 'hr-api' });
    expect(client.statusCode).toBe(201);
    const credential = client.json<{ credential: string }>().credential;
    expect(await store.accessTokens.clients.verify(credential)).toMatchObject({ name: 'hr-api' });
    expect((await asAdmin('GET', '/api/admin/clients')).json()).toMatchObject({
      clients: [{ name: 'hr-api' }],
    });

    const first = await asAdmin('POST', '/api/admin/keys/rotate', { alg: 'RS256' });
    expect(first.json()).toMatchObject({ alg: 'RS256', state: 'active' });
    const jwt = (await tokenRequest(await session(), 'https://api.corp.test')).json<{
      access_token: string;
    }>().access_token;
    expect(decodeProtectedHeader(jwt)).toMatchObject({
      alg: 'RS256',
      kid: first.json<{ kid: string }>().kid,
    });
    clock.advance(MINUTE);
    const second = await asAdmin('POST', '/api/admin/keys/rotate');
    expect(second.json()).toMatchObject({ alg: 'ES256' });
    const keys = (await asAdmin('GET', '/api/admin/keys')).json<{ keys: { kid: string; state: string }[] }>()
      .keys;
    expect(keys.map((k) => k.state)).toEqual(['active', 'published']);
    expect(JSON.stringify(keys)).not.toContain('v1.');

    const retired = await asAdmin('POST', `/api/admin/keys/${first.json<{ kid: string }>().kid}/retire`);
    expect(retired.statusCode).toBe(200);
    const jwks = (await app.inject({ url: '/.well-known/jwks.json' })).json<{ keys: { kid: string }[] }>();
    expect(jwks.keys.map((k) => k.kid)).toEqual([second.json<{ kid: string }>().kid]);

    const issued = (await asAdmin('GET', '/api/admin/tokens?mailbox=alice@corp.test')).json<{
      tokens: { jti: string; audience: string }[];
    }>();
    expect(issued.tokens).toEqual([
      expect.objectContaining({ jti: decodeJwt(jwt).jti, audience: 'https://api.corp.test' }),
    ]);

    expect((await asAdmin('DELETE', '/api/admin/clients?name=hr-api')).json()).toEqual({ removed: 'hr-api' });
    expect(
      (
        await asAdmin('DELETE', `/api/admin/audiences?name=${encodeURIComponent('https://api.corp.test')}`)
      ).json(),
    ).toEqual({ removed: 'https://api.corp.test' });
    expect((await asAdmin('DELETE', '/api/admin/audiences?name=gone')).json()).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('the CLI', () => {
  const database = `sqlite:${join(dir, 'cli.db')}`;

  it('keys rotate without a key-encryption key says why tokens are off', async () => {
    const r = await inProcess(['keys', 'rotate', '--database', database]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^error KEY_ENCRYPTION_KEY_MISSING: Access tokens are off.*--key-encryption-key-file/,
    );
    const bad = await inProcess([
      'keys',
      'rotate',
      '--key-encryption-key-file',
      kekFile(randomBytes(32).toString('base64'), 0o644),
      '--database',
      database,
    ]);
    expect(bad.stderr).toMatch(/^error KEY_ENCRYPTION_KEY_INVALID: .*mode 0600.*problem=permissions/);
  });

  it('audience add|list|remove, client add printing the credential alone on the first line', async () => {
    const add = await inProcess([
      'audience',
      'add',
      'https://api.corp.test',
      '--lifetime',
      '15m',
      '--database',
      database,
    ]);
    expect([add.code, add.stdout]).toEqual([0, 'Added audience https://api.corp.test; tokens live 15m.\n']);
    expect((await inProcess(['audience', 'list', '--database', database])).stdout).toMatch(
      /https:\/\/api\.corp\.test\s+15m/,
    );
    const badLifetime = await inProcess([
      'audience',
      'add',
      'x',
      '--lifetime',
      'soon',
      '--database',
      database,
    ]);
    expect(badLifetime.stderr).toMatch(/^error INPUT_INVALID: .*--lifetime/);

    const client = await inProcess(['client', 'add', 'hr-api', '--database', database]);
    expect(client.code).toBe(0);
    expect(client.stdout).toMatch(/^[\w-]{22}\.[\w-]{43}\n$/);
    expect(client.stderr).toContain('only time');
    expect((await inProcess(['client', 'list', '--database', database])).stdout).toContain('hr-api');

    const rotate = await inProcess([
      'keys',
      'rotate',
      '--alg',
      'RS256',
      '--key-encryption-key-file',
      kekFile(randomBytes(32).toString('hex')),
      '--database',
      database,
    ]);
    expect(rotate.stdout).toMatch(/^New signing key [\w-]{43} \(RS256\) signs from now on\.\n$/);
    expect((await inProcess(['keys', 'list', '--database', database])).stdout).toMatch(/RS256\s+active/);
    expect((await inProcess(['keys', 'retire', 'nope', '--database', database])).stderr).toMatch(
      /^error NOT_FOUND/,
    );
    const none = await inProcess(['tokens', '--mailbox', 'alice@corp.test', '--database', database]);
    expect(none.stdout).toBe('No access tokens issued.\n');
    const store = await openStore(database);
    try {
      await store.accessTokens.issued.record({
        jti: 'jti-1',
        at: new Date('2030-01-01T09:00:00Z'),
        mailbox: 'alice@corp.test',
        audience: 'https://api.corp.test',
        sessionId: 'sid',
        kid: 'kid-1',
        expiresAt: new Date('2030-01-01T09:10:00Z'),
      });
    } finally {
      await store.close();
    }
    const issued = await inProcess(['tokens', '--mailbox', 'alice@corp.test', '--database', database]);
    expect(issued.stdout).toMatch(
      /2030-01-01T09:00:00Z\s+alice@corp\.test\s+https:\/\/api\.corp\.test\s+jti-1\s+kid-1/,
    );
    expect((await inProcess(['tokens', '--limit', '0', '--database', database])).stderr).toMatch(
      /^error INPUT_INVALID: .*--limit/,
    );
    expect(
      (await inProcess(['audience', 'remove', 'https://api.corp.test', '--database', database])).code,
    ).toBe(0);
    expect((await inProcess(['client', 'remove', 'hr-api', '--database', database])).code).toBe(0);
  });
});

describe('the documented verifier', () => {
  it('is in the README and the admin guide exactly as the file the lab test runs', () => {
    const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
    const example = read('docs/examples/verify-token.ts');
    for (const doc of ['README.md', 'docs/admin-guide.md']) {
      expect(read(doc), doc).toContain(`\`\`\`ts\n${example}\`\`\`\n`);
    }
    expect(example.split('\n').filter((l) => l.trim() !== '').length).toBeLessThanOrEqual(12);
  });
});
