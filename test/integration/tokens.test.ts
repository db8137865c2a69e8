/**
 * Access tokens in the lab (docs/access-tokens.md): a user signs in with Kerberos through
 * the relay, gets a token for a registered audience, and an API verifies it with jose
 * against our JWKS over HTTPS — with the very file the README and admin guide show. Then
 * introspection, `session revoke`, key rotation and the bad inputs, each with its code.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore } from '../../src/backend/storage/index.ts';
import { rawQuery } from '../db/helpers.ts';
import { freePort } from '../db/postgres.ts';
import { curlNegotiate, kinit, labLookup } from '../lab/clients.ts';
import type { LabUser } from '../lab/lab.ts';
import { inProcess } from '../unit/cli-main.ts';
import { createLabProfile, startRelayServer, type RelayServer } from './harness.ts';
import { rememberSecret, scanLogs } from './log-scan.ts';

const lab = inject('lab');
const API = 'https://api.corp.test';
const HR = 'hr';

/** The server's clock, which the rotation test moves forward; the store shares it. */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

let dir: string;
let database: string;
let kekFile: string;
let relay: RelayServer;
let issuer: string;
let client: string;
let previousDispatcher: Dispatcher;

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

/** A request to our server; fetch goes through the lab dispatcher (lab CA, lab names). */
async function call(
  path: string,
  o: { method?: string; bearer?: string; json?: unknown; form?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (o.bearer !== undefined) headers.authorization = `Bearer ${o.bearer}`;
  let body: string | undefined = o.body;
  if (o.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.json);
  } else if (o.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(o.form).toString();
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${relay.origin}${path}`, { method: o.method ?? 'GET', headers, body });
  const text = await res.text();
  const json = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  if (typeof json.access_token === 'string') rememberSecret(json.access_token);
  return { status: res.status, headers: res.headers, json };
}

/** Kerberos through the relay (curl --negotiate with a fresh ticket): the session token. */
async function signIn(user: LabUser): Promise<string> {
  const ccache = await kinit(lab, user);
  const r = await curlNegotiate(lab, { ccache, url: relay.iwaUrl(lab.users[user].smtp) });
  expect(r.status).toBe(200);
  const body = JSON.parse(r.body) as { token: string; mechanism: string };
  expect(body.mechanism).toBe('kerberos');
  rememberSecret(body.token);
  return body.token;
}

async function token(session: string, audience = API): Promise<string> {
  const r = await call('/api/token', { method: 'POST', bearer: session, json: { audience } });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return String(r.json.access_token);
}

const introspect = (jwt: string, credential = client) =>
  call('/api/token/introspect', { method: 'POST', bearer: credential, form: { token: jwt } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iwa-tokens-'));
  database = `sqlite:${join(dir, 'iwa.db')}`;
  kekFile = join(dir, 'kek');
  const kek = randomBytes(32);
  writeFileSync(kekFile, `${kek.toString('base64')}\n`);
  chmodSync(kekFile, 0o600);
  // Our API runs on this machine: it trusts the lab CA and resolves the lab's names.
  previousDispatcher = getGlobalDispatcher();
  setGlobalDispatcher(new Agent({ connect: { ca: lab.tls.caCertPem, lookup: labLookup } }));

  const port = await freePort();
  const store = await openStore(database, { clock });
  relay = await startRelayServer(lab, { store, port, keyEncryptionKey: kek, clock });
  issuer = relay.origin;
  await createLabProfile(relay.store, lab);
  expect((await inProcess(['audience', 'add', API, '--database', database])).code).toBe(0);
  const hr = await inProcess(['audience', 'add', HR, '--lifetime', '2m', '--database', database]);
  expect(hr.code).toBe(0);
  const added = await inProcess(['client', 'add', 'hr-api', '--database', database]);
  expect(added.code).toBe(0);
  client = added.stdout.split('\n')[0] ?? '';
  expect(client).toMatch(/^[\w-]+\.[\w-]+$/);
  rememberSecret(client);
}, 120_000);

afterAll(async () => {
  setGlobalDispatcher(previousDispatcher);
  await relay.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('access tokens for a Kerberos sign-in through the relay', () => {
  let session: string;
  let jwt: string;

  it('issues a token for a registered audience that our own API verifies with jose over HTTPS', async () => {
    session = await signIn('alice');
    const r = await call('/api/token', { method: 'POST', bearer: session, json: { audience: API } });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    jwt = String(r.json.access_token);

    // The README's example, as written: issuer and audience from the environment.
    process.env.IWA_ISSUER = issuer;
    process.env.API_AUDIENCE = API;
    const { outlookUser } = await import('../../docs/examples/verify-token.ts');
    const user = await outlookUser(`Bearer ${jwt}`);
    expect(user).toMatchObject({ mailbox: 'alice@corp.test', amr: ['iwa', 'kerberos'] });

    const [live] = await relay.store.sessions.list({ mailbox: 'alice@corp.test' });
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(jwt, jwks, { issuer, audience: API });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(protectedHeader.kid).toMatch(/^[\w-]{43}$/);
    expect(payload).toMatchObject({
      iss: issuer,
      aud: API,
      email: 'alice@corp.test',
      amr: ['iwa', 'kerberos'],
      sid: live?.id,
    });
    expect(payload.exp).toBe((payload.iat ?? 0) + 600);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    // `sub` is opaque (not the address) and stable for the mailbox.
    expect(payload.sub).toMatch(/^[\w-]{43}$/);
    expect(decodeJwt(await token(session)).sub).toBe(payload.sub);
    expect(decodeJwt(await token(await signIn('bob'))).sub).not.toBe(payload.sub);

    // Another audience, another lifetime; never past the session's end.
    const short = decodeJwt(await token(session, HR));
    expect([short.aud, (short.exp ?? 0) - (short.iat ?? 0)]).toEqual([HR, 120]);
    await expect(jwtVerify(jwt, jwks, { issuer, audience: HR })).rejects.toThrow(/aud/);
  });

  it('publishes discovery for standard libraries', async () => {
    const r = await call('/.well-known/openid-configuration');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      introspection_endpoint: `${issuer}/api/token/introspect`,
      id_token_signing_alg_values_supported: ['ES256', 'RS256'],
    });
    const keys = (await call('/.well-known/jwks.json')).json.keys as Record<string, unknown>[];
    expect(keys.map((k) => [k.kty, k.crv, k.alg, k.use])).toEqual([['EC', 'P-256', 'ES256', 'sig']]);
    expect(JSON.stringify(keys)).not.toMatch(/"d"/);
  });

  it('audits every token with mailbox, audience and jti, never the token, and counts it', async () => {
    const issued = await relay.store.accessTokens.issued.query({ mailbox: 'alice@corp.test' });
    const { jti } = decodeJwt(jwt);
    expect(issued.find((e) => e.jti === jti)).toMatchObject({ mailbox: 'alice@corp.test', audience: API });
    expect(issued.map((e) => e.audience).sort()).toEqual([API, API, HR].sort());
    const [, , signature] = jwt.split('.');
    const rows = await rawQuery(database, 'select * from token_issuances');
    expect(rows).toHaveLength(4);
    expect(JSON.stringify(rows)).not.toContain(signature);
    const metrics = await (await fetch(`${relay.origin}/metrics`)).text();
    expect(metrics).toContain(`outlook_iwa_tokens_issued_total{audience="${API}"} 3`);
    expect(metrics).toContain(`outlook_iwa_tokens_issued_total{audience="${HR}"} 1`);
  });

  it('introspection says active; after `session revoke`, inactive, and new requests get SESSION_INVALID', async () => {
    const active = await introspect(jwt);
    expect(active.status).toBe(200);
    expect(active.headers.get('cache-control')).toBe('no-store');
    expect(active.json).toMatchObject({
      active: true,
      token_type: 'Bearer',
      iss: issuer,
      aud: API,
      email: 'alice@corp.test',
      amr: ['iwa', 'kerberos'],
      sub: decodeJwt(jwt).sub,
      jti: decodeJwt(jwt).jti,
    });

    const sid = String(decodeJwt(jwt).sid);
    // `--`: a session id is base64url and may begin with '-'.
    const revoked = await inProcess(['session', 'revoke', '--database', database, '--', sid]);
    expect(revoked.code, revoked.stderr).toBe(0);

    expect((await introspect(jwt)).json).toEqual({ active: false });
    const again = await call('/api/token', { method: 'POST', bearer: session, json: { audience: API } });
    expect([again.status, again.json.code]).toEqual([401, 'SESSION_INVALID']);
    const metrics = await (await fetch(`${relay.origin}/metrics`)).text();
    expect(metrics).toContain('outlook_iwa_token_requests_refused_total{code="SESSION_INVALID"} 1');
    expect(metrics).toContain('outlook_iwa_token_introspections_total{active="false"} 1');
  });

  it('after key rotation old tokens verify until they expire, and new ones carry the new kid', async () => {
    const s = await signIn('carol');
    const old = await token(s);
    const oldKid = decodeProtectedHeader(old).kid;
    const rotated = await inProcess([
      'keys',
      'rotate',
      '--key-encryption-key-file',
      kekFile,
      '--database',
      database,
    ]);
    expect(rotated.code, rotated.stderr).toBe(0);
    const fresh = await token(s);
    const newKid = decodeProtectedHeader(fresh).kid;
    expect(newKid).not.toBe(oldKid);
    expect(rotated.stdout).toContain(String(newKid));

    // A new API process: both keys in the JWKS, both tokens verify.
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    for (const t of [old, fresh]) {
      const { payload } = await jwtVerify(t, jwks, { issuer, audience: API });
      expect(payload.email).toBe(lab.users.carol.smtp);
    }
    expect((await introspect(old)).json.active).toBe(true);
    const list = await inProcess(['keys', 'list', '--json', '--database', database]);
    expect(
      (JSON.parse(list.stdout) as { kid: string; state: string }[]).map((k) => [k.kid, k.state]),
    ).toEqual([
      [newKid, 'active'],
      [oldKid, 'published'],
    ]);

    // Past the longest lifetime (10 min): every token of the old key has expired, and it leaves the JWKS.
    offsetMs = 601_000;
    const keys = (await call('/.well-known/jwks.json')).json.keys as { kid: string }[];
    expect(keys.map((k) => k.kid)).toEqual([newKid]);
    const later = await token(s);
    expect(decodeProtectedHeader(later).kid).toBe(newKid);
    expect((await introspect(old)).json).toEqual({ active: false });
    expect((await introspect(later)).json.active).toBe(true);
    offsetMs = 0;
  });

  it('answers bad input with its code', async () => {
    const s = await signIn('bob');
    const cases: [string, Answer, number, string][] = [
      [
        'unknown audience',
        await call('/api/token', { method: 'POST', bearer: s, json: { audience: 'https://nope.corp.test' } }),
        400,
        'AUDIENCE_UNKNOWN',
      ],
      [
        'no session',
        await call('/api/token', { method: 'POST', json: { audience: API } }),
        401,
        'SESSION_INVALID',
      ],
      [
        'garbage session',
        await call('/api/token', { method: 'POST', bearer: 'garbage.token', json: { audience: API } }),
        401,
        'SESSION_INVALID',
      ],
      [
        'no audience',
        await call('/api/token', { method: 'POST', bearer: s, json: {} }),
        400,
        'INPUT_INVALID',
      ],
      [
        'oversize token body',
        await call('/api/token', {
          method: 'POST',
          bearer: s,
          body: JSON.stringify({ audience: API, pad: 'x'.repeat(8 * 1024) }),
        }),
        413,
        'REQUEST_TOO_LARGE',
      ],
      [
        'wrong client credential',
        await introspect(await token(s), `${client.split('.')[0] ?? ''}.${'A'.repeat(43)}`),
        401,
        'CLIENT_UNAUTHORIZED',
      ],
      [
        'no client credential',
        await call('/api/token/introspect', { method: 'POST', form: { token: 'x' } }),
        401,
        'CLIENT_UNAUTHORIZED',
      ],
      [
        'introspection without token',
        await call('/api/token/introspect', { method: 'POST', bearer: client, form: {} }),
        400,
        'INPUT_INVALID',
      ],
      [
        'oversize introspection body',
        await call('/api/token/introspect', {
          method: 'POST',
          bearer: client,
          form: { token: 'x'.repeat(20_000) },
        }),
        413,
        'REQUEST_TOO_LARGE',
      ],
    ];
    for (const [what, answer, status, code] of cases) {
      expect([what, answer.status, answer.json.code], what).toEqual([what, status, code]);
    }
    expect((await introspect('not.a.jwt')).json).toEqual({ active: false });
  });

  it('logs no session token, access token or client credential', () => {
    expect(scanLogs(relay.logs, lab)).toEqual([]);
  });
});
