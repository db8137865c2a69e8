/**
 * Exchange identity-token sign-in against the lab: the CAS (Apache) serves an auth-metadata
 * document with a lab signing certificate; tokens are minted in Exchange's documented format;
 * the binding is created only by a verified NTLM sign-in through the real relay.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { manifestUrls } from '../../src/backend/manifest/manifest.ts';
import { labLookup, negotiateRequest } from '../lab/clients.ts';
import {
  mintLabIdentityToken,
  writeLabAuthMetadata,
  type LabAuthMetadata,
  type MintOverrides,
} from '../lab/identity-token-lab.ts';
import { createLabProfile, startRelayServer, type RelayServer } from './harness.ts';

const lab = inject('lab');

function post(
  url: string,
  body: unknown,
  bearer?: string,
  from?: string,
): Promise<{ status: number; json: Record<string, unknown>; cacheControl?: string | undefined }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        ca: lab.tls.caCertPem,
        lookup: labLookup,
        agent: false,
        ...(from === undefined ? {} : { localAddress: from }),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
        },
      },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(data) as Record<string, unknown>,
            cacheControl: res.headers['cache-control'],
          });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe('Exchange identity token through the lab CAS', () => {
  let relay: RelayServer;
  let metadata: LabAuthMetadata;
  let audience: string;
  /** A session from a verified NTLM sign-in, the only kind that may bind. */
  let verifiedSession = '';
  const now = () => Math.floor(Date.now() / 1000);
  const mint = (overrides?: MintOverrides, msexchuid = 'alice-exchange-uid') =>
    mintLabIdentityToken({
      key: metadata.signingKeyPem,
      x5t: metadata.x5t,
      aud: audience,
      amurl: metadata.amurl,
      msexchuid,
      nbf: now() - 60,
      exp: now() + 3600,
      ...(overrides === undefined ? {} : { overrides }),
    });

  beforeAll(async () => {
    relay = await startRelayServer(lab);
    await createLabProfile(relay.store, lab);
    metadata = await writeLabAuthMetadata(lab.staticDir, new URL(lab.cas.origin).host);
    audience = manifestUrls(`https://${lab.hosts.relay}/`).page;
  });

  afterAll(async () => {
    await relay.close();
  });

  it('an unbound token is IDENTITY_TOKEN_UNBOUND', async () => {
    const r = await post(`${relay.origin}/api/auth/identity-token`, { token: mint() });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ code: 'IDENTITY_TOKEN_UNBOUND' });
  });

  it('binding needs a verified sign-in; afterwards the token alone signs in', async () => {
    expect(
      (await post(`${relay.origin}/api/auth/identity-token/bind`, { token: mint() })).json,
    ).toMatchObject({
      code: 'SESSION_INVALID',
    });
    const ntlm = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'ntlm',
      url: relay.iwaUrl('alice@corp.test'),
      spnHost: lab.hosts.relay,
    });
    expect(ntlm.status).toBe(200);
    const session = JSON.parse(ntlm.body ?? '{}') as { token: string };
    verifiedSession = session.token;
    const bound = await post(
      `${relay.origin}/api/auth/identity-token/bind`,
      { token: mint() },
      session.token,
    );
    expect(bound).toMatchObject({ status: 200, json: { bound: true, mailbox: 'alice@corp.test' } });
    expect(await relay.store.bindings.list({ mailbox: 'alice@corp.test' })).toHaveLength(1);
    // Once per session: the same session cannot bind another (or the same) token.
    const twice = await post(
      `${relay.origin}/api/auth/identity-token/bind`,
      { token: mint(undefined, 'other-exchange-uid') },
      session.token,
    );
    expect(twice).toMatchObject({
      status: 401,
      json: { code: 'IDENTITY_TOKEN_UNBOUND', reason: 'binding-already-made' },
    });
    expect(await relay.store.bindings.list({ mailbox: 'alice@corp.test' })).toHaveLength(1);

    const signIn = await post(`${relay.origin}/api/auth/identity-token`, { token: mint() });
    expect(signIn.status).toBe(200);
    expect(signIn.json).toMatchObject({ mailbox: 'alice@corp.test', method: 'identity-token' });
    expect(String(signIn.json.token)).not.toBe(session.token);
    // It carries a session token: no cache may keep it.
    expect(signIn.cacheControl).toBe('no-store');

    // A session from an identity token cannot create bindings of its own.
    const again = await post(
      `${relay.origin}/api/auth/identity-token/bind`,
      { token: mint() },
      String(signIn.json.token),
    );
    expect(again.json).toMatchObject({ code: 'IDENTITY_TOKEN_UNBOUND' });
    const audit = await relay.store.audit.query({ mailbox: 'alice@corp.test' });
    expect(audit[0]).toMatchObject({
      method: 'identity-token',
      outcome: 'success',
      reason: 'OK',
      profile: 'lab',
      msexchuid: 'alice-exchange-uid',
    });
  });

  it('refuses every malformed or untrusted token with its own reason', async () => {
    const cases: [string, string][] = [
      [mint({ payload: { aud: 'https://evil.example/index.html' } }), 'audience'],
      [mint({ payload: { exp: String(now() - 3600), nbf: String(now() - 7200) } }), 'expired'],
      [mint({ payload: { nbf: String(now() + 3600), exp: String(now() + 7200) } }), 'not-yet-valid'],
      [mint({ header: { x5t: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' } }), 'unknown-key'],
      [mint({ signature: 'tampered' }), 'signature'],
      [mint({ header: { alg: 'none' }, signature: 'empty' }), 'algorithm'],
      [
        mint({ appctx: { msexchuid: 'x', version: 'ExIdTok.V1', amurl: 'https://cas.corp.test/' } }),
        'malformed',
      ],
    ];
    for (const [token, reason] of cases) {
      const r = await post(`${relay.origin}/api/auth/identity-token`, { token });
      expect({ status: r.status, code: r.json.code, reason: r.json.reason }, reason).toEqual({
        status: 401,
        code: 'IDENTITY_TOKEN_INVALID',
        reason,
      });
    }
    // A token whose amurl no identity-token profile trusts is refused as such at sign-in too,
    // before any binding lookup (not IDENTITY_TOKEN_UNBOUND); and it can never be bound.
    const foreign = mint({
      appctx: JSON.stringify({
        msexchuid: 'alice-exchange-uid',
        version: 'ExIdTok.V1',
        amurl: 'https://evil.corp.test/autodiscover/metadata/json/1',
      }),
    });
    expect((await post(`${relay.origin}/api/auth/identity-token`, { token: foreign })).json).toMatchObject({
      code: 'IDENTITY_TOKEN_INVALID',
      reason: 'untrusted-issuer',
    });
    const bind = await post(
      `${relay.origin}/api/auth/identity-token/bind`,
      { token: foreign },
      verifiedSession,
    );
    expect(bind.json).toMatchObject({ code: 'IDENTITY_TOKEN_INVALID', reason: 'untrusted-issuer' });
  });

  it('methods lists what the effective profile allows', async () => {
    const r = await new Promise<Record<string, unknown>>((resolve, reject) => {
      https
        .get(
          `${relay.origin}/api/auth/methods?mailbox=alice@corp.test`,
          { ca: lab.tls.caCertPem, lookup: labLookup, agent: false },
          (res) => {
            let data = '';
            res.on('data', (c: Buffer) => (data += c.toString()));
            res.on('end', () => {
              resolve(JSON.parse(data) as Record<string, unknown>);
            });
          },
        )
        .on('error', reject);
    });
    // Without the admin credential: no profile name, no reason why it matched.
    expect(r).not.toHaveProperty('profile');
    expect(r).not.toHaveProperty('reason');
    expect(r).toMatchObject({
      mailbox: 'alice@corp.test',
      methods: [
        { method: 'iwa', enabled: true },
        { method: 'identity-token', enabled: true },
        { method: 'password', enabled: true },
      ],
    });
  });

  it('failed identity-token sign-ins are rate limited per address; a good token from elsewhere is not', async () => {
    const strict = await startRelayServer(lab, { identityTokenFailures: { burst: 3, perMinute: 1 } });
    try {
      await createLabProfile(strict.store, lab);
      const bad = 'not.a.token';
      const answers = [];
      for (let i = 0; i < 5; i++) {
        answers.push(
          await post(`${strict.origin}/api/auth/identity-token`, { token: bad }, undefined, '127.0.0.70'),
        );
      }
      expect(answers.map((a) => a.json.code)).toEqual([
        'IDENTITY_TOKEN_INVALID',
        'IDENTITY_TOKEN_INVALID',
        'IDENTITY_TOKEN_INVALID',
        'RATE_LIMITED',
        'RATE_LIMITED',
      ]);
      expect(answers[3]).toMatchObject({ status: 429, json: { scope: 'address' } });
      expect(answers[3]?.json.retryAfterSeconds).toBeGreaterThan(0);
      const other = await post(
        `${strict.origin}/api/auth/identity-token`,
        { token: bad },
        undefined,
        '127.0.0.71',
      );
      expect(other.json.code).toBe('IDENTITY_TOKEN_INVALID');
      const rows = await strict.store.audit.query({ limit: 10 });
      expect(rows.filter((r) => r.reason === 'RATE_LIMITED' && r.method === 'identity-token')).toHaveLength(
        2,
      );
    } finally {
      await strict.close();
    }
  });
});
