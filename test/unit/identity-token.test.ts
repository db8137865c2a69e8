/**
 * Exchange identity-token validation: tokens minted in Exchange's documented format by the
 * lab issuer, validated against an in-memory auth-metadata document.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/inside-the-identity-token
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token
 */
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthMetadataCache,
  type IdentityBindingKey,
  type IdentityBindingRecord,
  type IdentityBindingStore,
  IdentityTokenService,
  trustedHostsFor,
  validateIdentityToken,
} from '../../src/backend/identity-token/index.ts';
import { IwaError } from '../../src/protocol/errors.ts';
import {
  AUTH_METADATA_PATH,
  decodeBase64Url,
  encodeBase64Url,
  parseAuthMetadata,
  parseIdentityToken,
} from '../../src/protocol/identity-token.ts';
import {
  type LabSigningKey,
  type MintOverrides,
  createLabSigningKey,
  labAuthMetadataDocument,
  mintLabIdentityToken,
  writeLabAuthMetadata,
} from '../lab/identity-token-lab.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CAS_HOST = 'cas.corp.test';
const AMURL = `https://${CAS_HOST}:8443${AUTH_METADATA_PATH}`;
const AUD = 'https://relay.corp.test/addin/index.html';
const MSEXCHUID = '53e925fa-76ba-45e1-be0f-4ef08b59d389';
const NOW_S = 1_750_000_000;

class FakeClock {
  ms = NOW_S * 1000;
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** In-memory CAS: amurl → document text, counting fetches. */
class FakeCas {
  readonly docs = new Map<string, string>();
  fetches = 0;
  lastCa: string | undefined;
  failWith: Error | undefined;
  fetch = async (url: string, ca: string | undefined): Promise<string> => {
    this.fetches++;
    this.lastCa = ca;
    await Promise.resolve();
    if (this.failWith !== undefined) throw this.failWith;
    const doc = this.docs.get(url);
    if (doc === undefined)
      throw new IwaError('CAS_PROTOCOL_ERROR', { reason: 'auth-metadata-status', status: 404 });
    return doc;
  };
  publish(url: string, keys: readonly LabSigningKey[]): void {
    this.docs.set(url, JSON.stringify(labAuthMetadataDocument(url, keys)));
  }
}

let keyA: LabSigningKey;
let keyB: LabSigningKey;

beforeAll(async () => {
  [keyA, keyB] = await Promise.all([createLabSigningKey('lab auth A'), createLabSigningKey('lab auth B')]);
}, 30_000);

let clock: FakeClock;
let cas: FakeCas;
let cache: AuthMetadataCache;

beforeEach(() => {
  clock = new FakeClock();
  cas = new FakeCas();
  cas.publish(new URL(AMURL).href, [keyA]);
  cache = new AuthMetadataCache({ fetchMetadata: cas.fetch, clock });
});

interface MintInput {
  key?: LabSigningKey;
  x5t?: string;
  aud?: string;
  amurl?: string;
  nbf?: number;
  exp?: number;
  overrides?: MintOverrides;
}

function mint(input: MintInput = {}): string {
  const key = input.key ?? keyA;
  return mintLabIdentityToken({
    key: key.signingKeyPem,
    x5t: input.x5t ?? key.x5t,
    aud: input.aud ?? AUD,
    amurl: input.amurl ?? AMURL,
    msexchuid: MSEXCHUID,
    nbf: input.nbf ?? NOW_S - 60,
    exp: input.exp ?? NOW_S + 8 * 3600,
    ...(input.overrides === undefined ? {} : { overrides: input.overrides }),
  });
}

function validate(token: unknown, trustedHosts: readonly string[] = [CAS_HOST, `${CAS_HOST}:8443`]) {
  return validateIdentityToken(token, {
    expectedAudience: AUD,
    trustedHosts,
    ca: 'LAB-CA-PEM',
    clock,
    metadata: cache,
  });
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(IwaError);
    const e = err as IwaError;
    expect(e.code).toBe('IDENTITY_TOKEN_INVALID');
    return String(e.details.reason);
  }
  throw new Error('expected the token to be refused');
}

/** Replaces the payload of a signed token with raw JSON text, keeping header and signature. */
function withRawPayload(token: string, json: string): string {
  const [h, , s] = token.split('.');
  return `${h}.${encodeBase64Url(Buffer.from(json, 'utf8'))}.${s}`;
}

describe('lab issuer: tokens in Exchange’s documented format', () => {
  it('writes header {typ, alg, x5t}, string nbf/exp and appctx as a JSON string', () => {
    const [h, p] = mint().split('.') as [string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    expect(header).toEqual({ typ: 'JWT', alg: 'RS256', x5t: keyA.x5t });
    expect(Object.keys(payload)).toEqual([
      'aud',
      'iss',
      'nbf',
      'exp',
      'appctxsender',
      'isbrowserhostedapp',
      'appctx',
    ]);
    expect(payload.nbf).toBe(String(NOW_S - 60));
    expect(payload.iss).toMatch(/^00000002-0000-0ff1-ce00-000000000000@[0-9a-f-]{36}$/);
    expect(typeof payload.appctx).toBe('string');
    expect(JSON.parse(payload.appctx as string)).toEqual({
      msexchuid: MSEXCHUID,
      version: 'ExIdTok.V1',
      amurl: AMURL,
    });
  });

  it('x5t is the base64url SHA-1 thumbprint of the certificate', () => {
    expect(decodeBase64Url(keyA.x5t)?.length).toBe(20);
    expect(keyA.x5t).not.toBe(keyB.x5t);
  });

  it('writeLabAuthMetadata writes the documented metadata format to <staticDir>/json/1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iwa-meta-'));
    try {
      const lab = await writeLabAuthMetadata(dir, 'cas.corp.test:8443');
      expect(lab.amurl).toBe(AMURL);
      const text = await readFile(join(dir, 'json', '1'), 'utf8');
      const doc = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(doc)).toEqual([
        'id',
        'version',
        'name',
        'realm',
        'serviceName',
        'issuer',
        'allowedAudiences',
        'keys',
        'endpoints',
      ]);
      expect(doc.keys).toEqual([
        {
          usage: 'signing',
          keyinfo: { x5t: lab.x5t },
          keyvalue: { type: 'x509Certificate', value: lab.certDer.toString('base64') },
        },
      ]);
      // The private key must never land in the served directory.
      expect(text).not.toContain('PRIVATE KEY');
      const parsed = parseAuthMetadata(text);
      expect(parsed.keys.map((k) => k.x5t)).toEqual([lab.x5t]);
      expect(parsed.serviceName).toBe('00000002-0000-0ff1-ce00-000000000000');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('validateIdentityToken', () => {
  it('accepts a token exactly as Exchange writes it, returning the binding key', async () => {
    const result = await validate(mint());
    expect(result.amurl).toBe(`https://${CAS_HOST}:8443/autodiscover/metadata/json/1`);
    expect(result.msexchuid).toBe(MSEXCHUID);
    expect(result.claims.aud).toBe(AUD);
    expect(result.claims.nbf).toBe(NOW_S - 60);
    expect(result.claims.isbrowserhostedapp).toBe(true);
    expect(result.claims.appctx.version).toBe('ExIdTok.V1');
    expect(cas.fetches).toBe(1);
    expect(cas.lastCa).toBe('LAB-CA-PEM');
  });

  it('normalises URLs: explicit :443 amurl and differently-cased audience host', async () => {
    const amurl443 = `https://${CAS_HOST}:443${AUTH_METADATA_PATH}`;
    cas.publish(`https://${CAS_HOST}${AUTH_METADATA_PATH}`, [keyA]);
    const result = await validate(
      mint({ amurl: amurl443, aud: 'https://RELAY.corp.test:443/addin/index.html' }),
    );
    expect(result.amurl).toBe(`https://${CAS_HOST}${AUTH_METADATA_PATH}`);
  });

  it('trusts extra hosts the profile lists, case-insensitively', async () => {
    const other = `https://cas2.corp.test${AUTH_METADATA_PATH}`;
    cas.publish(other, [keyA]);
    await expect(validate(mint({ amurl: other }), [CAS_HOST, 'CAS2.corp.test'])).resolves.toMatchObject({
      amurl: other,
    });
  });

  it('allows the documented clock skew (5 minutes) both ways', async () => {
    await expect(validate(mint({ nbf: NOW_S - 3600, exp: NOW_S - 299 }))).resolves.toBeDefined();
    await expect(validate(mint({ nbf: NOW_S + 299 }))).resolves.toBeDefined();
  });

  const b64 = (v: unknown) => encodeBase64Url(Buffer.from(JSON.stringify(v)));
  const failures: { name: string; token: () => string; reason: string; hosts?: string[] }[] = [
    // malformed
    { name: 'not three parts', token: () => mint().split('.').slice(0, 2).join('.'), reason: 'malformed' },
    { name: 'four parts', token: () => `${mint()}.x`, reason: 'malformed' },
    { name: 'empty string', token: () => '', reason: 'malformed' },
    { name: 'bad base64url (+ in header)', token: () => `+${mint().slice(1)}`, reason: 'malformed' },
    { name: 'padded base64url', token: () => mint().replace('.', '=.'), reason: 'malformed' },
    { name: 'bad base64url in signature', token: () => `${mint()}*`, reason: 'malformed' },
    {
      name: 'header not JSON',
      token: () => `${encodeBase64Url(Buffer.from('{nope'))}.${mint().split('.')[1]}.`,
      reason: 'malformed',
    },
    { name: 'header a JSON array', token: () => `${b64([1])}.${mint().split('.')[1]}.`, reason: 'malformed' },
    {
      name: 'appctx as an object',
      token: () =>
        mint({ overrides: { appctx: { msexchuid: MSEXCHUID, version: 'ExIdTok.V1', amurl: AMURL } } }),
      reason: 'malformed',
    },
    {
      name: 'appctx missing msexchuid',
      token: () => mint({ overrides: { appctx: JSON.stringify({ version: 'ExIdTok.V1', amurl: AMURL }) } }),
      reason: 'malformed',
    },
    {
      name: 'appctx missing amurl',
      token: () =>
        mint({ overrides: { appctx: JSON.stringify({ msexchuid: MSEXCHUID, version: 'ExIdTok.V1' }) } }),
      reason: 'malformed',
    },
    {
      name: 'appctx missing version',
      token: () => mint({ overrides: { appctx: JSON.stringify({ msexchuid: MSEXCHUID, amurl: AMURL }) } }),
      reason: 'malformed',
    },
    {
      name: 'appctx bad JSON',
      token: () => mint({ overrides: { appctx: '{"msexchuid":' } }),
      reason: 'malformed',
    },
    {
      name: 'appctx a JSON array string',
      token: () => mint({ overrides: { appctx: '[]' } }),
      reason: 'malformed',
    },
    { name: 'appctx amurl not a URL', token: () => mint({ amurl: 'not a url' }), reason: 'malformed' },
    {
      name: 'appctx missing',
      token: () => mint({ overrides: { payload: { appctx: undefined } } }),
      reason: 'malformed',
    },
    {
      name: 'numeric nbf (Exchange writes strings)',
      token: () => mint({ overrides: { payload: { nbf: NOW_S - 60 } } }),
      reason: 'malformed',
    },
    {
      name: 'numeric exp',
      token: () => mint({ overrides: { payload: { exp: NOW_S + 3600 } } }),
      reason: 'malformed',
    },
    {
      name: 'nbf with a fraction',
      token: () => mint({ overrides: { payload: { nbf: '1750000000.5' } } }),
      reason: 'malformed',
    },
    {
      name: 'exp with leading zero',
      token: () => mint({ overrides: { payload: { exp: '01750000000' } } }),
      reason: 'malformed',
    },
    { name: 'exp not after nbf', token: () => mint({ nbf: NOW_S, exp: NOW_S }), reason: 'malformed' },
    {
      name: 'aud missing',
      token: () => mint({ overrides: { payload: { aud: undefined } } }),
      reason: 'malformed',
    },
    { name: 'iss a number', token: () => mint({ overrides: { payload: { iss: 7 } } }), reason: 'malformed' },
    {
      name: 'isbrowserhostedapp a boolean',
      token: () => mint({ overrides: { payload: { isbrowserhostedapp: true } } }),
      reason: 'malformed',
    },
    // algorithm
    {
      name: 'alg none, empty signature',
      token: () => mint({ overrides: { header: { alg: 'none' }, signature: 'empty' } }),
      reason: 'algorithm',
    },
    {
      name: 'alg HS256',
      token: () => mint({ overrides: { header: { alg: 'HS256' } } }),
      reason: 'algorithm',
    },
    {
      name: 'alg RS512',
      token: () => mint({ overrides: { header: { alg: 'RS512' } } }),
      reason: 'algorithm',
    },
    {
      name: 'typ missing',
      token: () => mint({ overrides: { header: { typ: undefined } } }),
      reason: 'algorithm',
    },
    { name: 'typ JWS', token: () => mint({ overrides: { header: { typ: 'JOSE' } } }), reason: 'algorithm' },
    {
      name: 'x5t missing',
      token: () => mint({ overrides: { header: { x5t: undefined } } }),
      reason: 'algorithm',
    },
    {
      name: 'x5t not a SHA-1 thumbprint',
      token: () => mint({ overrides: { header: { x5t: 'abc' } } }),
      reason: 'algorithm',
    },
    {
      name: 'crit header',
      token: () => mint({ overrides: { header: { crit: ['exp'] } } }),
      reason: 'algorithm',
    },
    // version
    {
      name: 'wrong version',
      token: () =>
        mint({
          overrides: {
            appctx: JSON.stringify({ msexchuid: MSEXCHUID, version: 'ExIdTok.V2', amurl: AMURL }),
          },
        }),
      reason: 'version',
    },
    // audience
    {
      name: 'wrong audience',
      token: () => mint({ aud: 'https://evil.test/addin/index.html' }),
      reason: 'audience',
    },
    {
      name: 'audience with another path',
      token: () => mint({ aud: 'https://relay.corp.test/addin/other.html' }),
      reason: 'audience',
    },
    { name: 'audience not a URL', token: () => mint({ aud: 'relay' }), reason: 'audience' },
    // lifetime
    {
      name: 'expired (beyond skew)',
      token: () => mint({ nbf: NOW_S - 9 * 3600, exp: NOW_S - 301 }),
      reason: 'expired',
    },
    { name: 'not yet valid (beyond skew)', token: () => mint({ nbf: NOW_S + 301 }), reason: 'not-yet-valid' },
    // issuer
    {
      name: 'trusted host on another port',
      token: () => mint({ amurl: `https://${CAS_HOST}:9999${AUTH_METADATA_PATH}` }),
      reason: 'untrusted-issuer',
    },
    {
      name: 'untrusted amurl host',
      token: () => mint({ amurl: `https://evil.test${AUTH_METADATA_PATH}` }),
      reason: 'untrusted-issuer',
    },
    {
      name: 'amurl host a suffix of a trusted one',
      token: () => mint({ amurl: `https://x${CAS_HOST}${AUTH_METADATA_PATH}` }),
      reason: 'untrusted-issuer',
    },
    {
      name: 'amurl over http',
      token: () => mint({ amurl: `http://${CAS_HOST}${AUTH_METADATA_PATH}` }),
      reason: 'untrusted-issuer',
    },
    {
      name: 'amurl with credentials',
      token: () => mint({ amurl: `https://u:p@${CAS_HOST}${AUTH_METADATA_PATH}` }),
      reason: 'untrusted-issuer',
    },
    {
      name: 'amurl another path',
      token: () => mint({ amurl: `https://${CAS_HOST}/owa/x.json` }),
      reason: 'untrusted-issuer',
    },
    { name: 'amurl with a query', token: () => mint({ amurl: `${AMURL}?a=1` }), reason: 'untrusted-issuer' },
    {
      name: 'iss not Exchange',
      token: () => mint({ overrides: { payload: { iss: 'someone@corp.test' } } }),
      reason: 'untrusted-issuer',
    },
    // key and signature
    { name: 'unknown x5t', token: () => mint({ key: keyB }), reason: 'unknown-key' },
    {
      name: 'tampered signature',
      token: () => mint({ overrides: { signature: 'tampered' } }),
      reason: 'signature',
    },
    {
      name: 'signed by another key under a published x5t',
      token: () => mint({ key: keyB, x5t: keyA.x5t }),
      reason: 'signature',
    },
    {
      name: 'RS256 with an empty signature',
      token: () => mint({ overrides: { signature: 'empty' } }),
      reason: 'signature',
    },
    {
      name: 'payload changed after signing',
      token: () =>
        withRawPayload(
          mint(),
          JSON.stringify({
            ...(JSON.parse(Buffer.from(mint().split('.')[1] ?? '', 'base64url').toString()) as object),
            aud: AUD,
            isbrowserhostedapp: 'false',
          }),
        ),
      reason: 'signature',
    },
  ];

  it.each(failures)('refuses $name → $reason', async ({ token, reason, hosts }) => {
    expect(await reasonOf(validate(token(), hosts))).toBe(reason);
  });

  it('never fetches metadata for an untrusted amurl', async () => {
    await reasonOf(validate(mint({ amurl: `https://evil.test${AUTH_METADATA_PATH}` })));
    expect(cas.fetches).toBe(0);
  });

  it('refuses a non-string token as malformed', async () => {
    for (const value of [undefined, null, 42, {}, ['a.b.c']]) {
      expect(await reasonOf(validate(value))).toBe('malformed');
    }
  });

  it('errors carry no token content', async () => {
    const token = mint({ aud: 'https://evil.test/secret-page' });
    try {
      await validate(token);
    } catch (err) {
      const text = JSON.stringify((err as IwaError).toBody()) + (err as Error).message;
      expect(text).not.toContain('evil.test');
      expect(text).not.toContain(token.split('.')[1]);
      expect(text).not.toContain(MSEXCHUID);
    }
  });

  it('reports a metadata fetch failure as the CAS error, not as a token problem', async () => {
    cas.failWith = new IwaError('CAS_TLS_UNTRUSTED', { reason: 'self_signed_cert_in_chain' });
    await expect(validate(mint())).rejects.toMatchObject({ code: 'CAS_TLS_UNTRUSTED' });
  });

  it('reports a broken metadata document as CAS_PROTOCOL_ERROR', async () => {
    cas.docs.set(AMURL, '{"keys": "nope"}');
    await expect(validate(mint())).rejects.toMatchObject({
      code: 'CAS_PROTOCOL_ERROR',
      details: { reason: 'auth-metadata-invalid' },
    });
  });
});

describe('trustedHostsFor', () => {
  it('trusts the CAS host on 443 and on the CAS URL’s own port, plus extra hosts', () => {
    expect(trustedHostsFor('https://CAS.corp.test:8443/EWS/Exchange.asmx', ['Cas2.corp.test'])).toEqual([
      'cas.corp.test',
      'cas.corp.test:8443',
      'cas2.corp.test',
    ]);
    expect(trustedHostsFor('https://cas.corp.test/EWS/Exchange.asmx')).toEqual(['cas.corp.test']);
  });
});

describe('parseAuthMetadata', () => {
  it('skips keys that are not signing certificates and refuses broken signing keys', () => {
    const doc = {
      keys: [
        { usage: 'encryption', keyinfo: { x5t: 'a' }, keyvalue: { type: 'x509Certificate', value: 'AA==' } },
        { usage: 'signing', keyinfo: { x5t: 'b' }, keyvalue: { type: 'jwk', value: '{}' } },
        { usage: 'signing', keyinfo: { x5t: 'c' }, keyvalue: { type: 'x509Certificate', value: 'AQID' } },
      ],
    };
    expect(parseAuthMetadata(JSON.stringify(doc)).keys.map((k) => k.x5t)).toEqual(['c']);
    for (const bad of [
      'nope',
      '[]',
      '{}',
      '{"keys":[1]}',
      '{"keys":[{"keyinfo":{},"keyvalue":{"type":"x509Certificate","value":"AA=="}}]}',
      '{"keys":[{"keyinfo":{"x5t":"a"},"keyvalue":{"type":"x509Certificate","value":"not base64!"}}]}',
    ]) {
      expect(() => parseAuthMetadata(bad), bad).toThrow(
        expect.objectContaining({ code: 'CAS_PROTOCOL_ERROR' }),
      );
    }
  });
});

describe('AuthMetadataCache', () => {
  it('reuses the document for an hour, then fetches it again', async () => {
    await validate(mint());
    clock.advance(59 * 60 * 1000);
    await validate(mint({ nbf: NOW_S, exp: NOW_S + 8 * 3600 }));
    expect(cas.fetches).toBe(1);
    clock.advance(60 * 1000);
    await validate(mint({ nbf: NOW_S, exp: NOW_S + 8 * 3600 }));
    expect(cas.fetches).toBe(2);
  });

  it('refetches on an unknown x5t at most once a minute, picking up a rolled-over key', async () => {
    await validate(mint());
    expect(cas.fetches).toBe(1);
    // Exchange starts signing with key B before our copy knows it.
    cas.publish(AMURL, [keyA, keyB]);
    // Fetched moments ago: an unknown x5t does not trigger a refetch yet.
    expect(await reasonOf(validate(mint({ key: keyB })))).toBe('unknown-key');
    expect(cas.fetches).toBe(1);
    clock.advance(61 * 1000);
    await expect(validate(mint({ key: keyB }))).resolves.toBeDefined();
    expect(cas.fetches).toBe(2);
    // Made-up thumbprints right after cannot make us fetch again.
    const bogus = encodeBase64Url(new Uint8Array(20).fill(7));
    for (let i = 0; i < 5; i++) expect(await reasonOf(validate(mint({ x5t: bogus })))).toBe('unknown-key');
    expect(cas.fetches).toBe(2);
    clock.advance(61 * 1000);
    expect(await reasonOf(validate(mint({ x5t: bogus })))).toBe('unknown-key');
    expect(cas.fetches).toBe(3);
  });

  it('shares one fetch between concurrent validations', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => validate(mint())));
    expect(results).toHaveLength(10);
    expect(cas.fetches).toBe(1);
  });

  it('replays a failed fetch for a minute instead of asking the CAS per token', async () => {
    cas.failWith = new IwaError('CAS_UNREACHABLE', { reason: 'dns' });
    await expect(validate(mint())).rejects.toMatchObject({ code: 'CAS_UNREACHABLE' });
    cas.failWith = undefined;
    await expect(validate(mint())).rejects.toMatchObject({ code: 'CAS_UNREACHABLE' });
    expect(cas.fetches).toBe(1);
    clock.advance(61 * 1000);
    await expect(validate(mint())).resolves.toBeDefined();
    expect(cas.fetches).toBe(2);
    expect(cache.size).toBe(1);
  });

  it('keeps documents per amurl and per CA bundle', async () => {
    await validate(mint());
    await validateIdentityToken(mint(), {
      expectedAudience: AUD,
      trustedHosts: [`${CAS_HOST}:8443`],
      ca: undefined,
      clock,
      metadata: cache,
    });
    expect(cas.fetches).toBe(2);
    expect(cache.size).toBe(2);
  });

  it('bounds the number of cached documents', async () => {
    const small = new AuthMetadataCache({ fetchMetadata: cas.fetch, clock, maxEntries: 2 });
    for (const host of ['a', 'b', 'c']) {
      const url = `https://${host}.corp.test${AUTH_METADATA_PATH}`;
      cas.publish(url, [keyA]);
      await small.signingKey(url, keyA.x5t, undefined);
    }
    expect(small.size).toBe(2);
  });
});

class MemoryBindings implements IdentityBindingStore {
  readonly rows = new Map<string, IdentityBindingRecord>();
  #k = (key: IdentityBindingKey) => `${key.amurl}\n${key.msexchuid}`;
  bind(key: IdentityBindingKey, mailbox: string): Promise<void> {
    this.rows.set(this.#k(key), { ...key, mailbox, createdAt: new Date(0) });
    return Promise.resolve();
  }
  find(key: IdentityBindingKey): Promise<string | null> {
    return Promise.resolve(this.rows.get(this.#k(key))?.mailbox ?? null);
  }
  list(): Promise<readonly IdentityBindingRecord[]> {
    return Promise.resolve([...this.rows.values()]);
  }
  revoke(target: IdentityBindingKey | { mailbox: string }): Promise<number> {
    let n = 0;
    for (const [k, row] of this.rows) {
      const hit = 'mailbox' in target ? row.mailbox === target.mailbox : k === this.#k(target);
      if (hit && this.rows.delete(k)) n++;
    }
    return Promise.resolve(n);
  }
}

describe('IdentityTokenService', () => {
  const context = { casUrl: `https://${CAS_HOST}:8443/EWS/Exchange.asmx`, ca: 'LAB-CA-PEM' };

  function service(store: IdentityBindingStore) {
    return new IdentityTokenService({
      metadata: cache,
      clock,
      store,
      expectedAudience: AUD,
      issuers: () => Promise.resolve([context]),
    });
  }

  it('verifyForSignIn returns the (amurl, msexchuid) key', async () => {
    const result = await service(new MemoryBindings()).verifyForSignIn(mint(), context);
    expect({ amurl: result.amurl, msexchuid: result.msexchuid }).toEqual({
      amurl: AMURL,
      msexchuid: MSEXCHUID,
    });
  });

  it('binds after a verified sign-in, then signs in silently with the same token', async () => {
    const store = new MemoryBindings();
    const svc = service(store);
    await expect(svc.bind(mint(), 'alice@corp.test', context)).resolves.toEqual({
      amurl: AMURL,
      msexchuid: MSEXCHUID,
    });
    const contexts: string[] = [];
    const signIn = await svc.signIn(mint(), (mailbox) => {
      contexts.push(mailbox);
      return Promise.resolve(context);
    });
    expect(signIn.mailbox).toBe('alice@corp.test');
    expect(contexts).toEqual(['alice@corp.test']);
    expect(await store.revoke({ mailbox: 'alice@corp.test' })).toBe(1);
    await expect(svc.signIn(mint(), () => Promise.resolve(context))).rejects.toMatchObject({
      code: 'IDENTITY_TOKEN_UNBOUND',
    });
  });

  it('an unbound valid token gets IDENTITY_TOKEN_UNBOUND', async () => {
    await expect(
      service(new MemoryBindings()).signIn(mint(), () => Promise.resolve(context)),
    ).rejects.toMatchObject({
      code: 'IDENTITY_TOKEN_UNBOUND',
    });
  });

  it('refuses in order: untrusted issuer and bad signature before the binding lookup', async () => {
    const store = new MemoryBindings();
    const looked: string[] = [];
    const find = store.find.bind(store);
    store.find = (key) => {
      looked.push(key.msexchuid);
      return find(key);
    };
    const svc = new IdentityTokenService({
      metadata: cache,
      clock,
      store,
      expectedAudience: AUD,
      // No identity-token profile trusts the CAS this token names.
      issuers: () => Promise.resolve([{ casUrl: 'https://other.corp.test/EWS/Exchange.asmx', ca: null }]),
    });
    expect(await reasonOf(svc.signIn(mint(), () => Promise.resolve(context)))).toBe('untrusted-issuer');
    // An unbound token with a forged signature: the signature speaks, not the missing binding.
    expect(
      await reasonOf(
        service(store).signIn(mint({ key: keyB, x5t: keyA.x5t }), () => Promise.resolve(context)),
      ),
    ).toBe('signature');
    expect(looked).toEqual([]);
  });

  it('never binds an invalid token', async () => {
    const store = new MemoryBindings();
    expect(
      await reasonOf(
        service(store).bind(mint({ overrides: { signature: 'tampered' } }), 'a@corp.test', context),
      ),
    ).toBe('signature');
    expect(store.rows.size).toBe(0);
  });

  it('a bound key with a forged signature is refused, against the bound mailbox’s profile', async () => {
    const store = new MemoryBindings();
    const svc = service(store);
    await svc.bind(mint(), 'alice@corp.test', context);
    expect(
      await reasonOf(svc.signIn(mint({ key: keyB, x5t: keyA.x5t }), () => Promise.resolve(context))),
    ).toBe('signature');
    // Under a profile whose CAS is elsewhere, the same amurl is not trusted.
    expect(
      await reasonOf(
        svc.signIn(mint(), () =>
          Promise.resolve({ casUrl: 'https://other.corp.test/EWS/Exchange.asmx', ca: null }),
        ),
      ),
    ).toBe('untrusted-issuer');
  });
});

describe('properties', () => {
  const onlyTokenErrors = async (input: unknown) => {
    try {
      parseIdentityToken(input);
    } catch (err) {
      if (!(err instanceof IwaError) || err.code !== 'IDENTITY_TOKEN_INVALID') throw err;
    }
    try {
      await validate(input);
    } catch (err) {
      if (!(err instanceof IwaError) || err.code !== 'IDENTITY_TOKEN_INVALID') throw err;
    }
  };

  it('random strings never throw anything but IDENTITY_TOKEN_INVALID', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 300 }), onlyTokenErrors), { numRuns: 300 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/), { minLength: 1, maxLength: 5 }),
        (parts) => onlyTokenErrors(parts.join('.')),
      ),
      { numRuns: 300 },
    );
  });

  it('random JSON headers and payloads never throw anything but IDENTITY_TOKEN_INVALID', async () => {
    const seg = (v: unknown) => encodeBase64Url(Buffer.from(JSON.stringify(v)));
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), fc.uint8Array({ maxLength: 300 }), (h, p, s) =>
        onlyTokenErrors(`${seg(h)}.${seg(p)}.${encodeBase64Url(s)}`),
      ),
      { numRuns: 300 },
    );
  });

  it('single-character corruptions of a valid token are all refused', async () => {
    const token = mint();
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...'AZaz09-_.+/= '.split('')),
        async (i, c) => {
          const corrupted = token.slice(0, i) + c + token.slice(i + 1);
          fc.pre(corrupted !== token);
          await expect(validate(corrupted)).rejects.toBeInstanceOf(IwaError);
        },
      ),
      { numRuns: 200 },
    );
  });
});
