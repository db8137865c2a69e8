/**
 * The production auth-metadata fetcher against a loopback HTTPS server with the lab PKI:
 * the relay's TLS rules (CA bundle, TLS ≥ 1.2, no redirects, injected lookup, timeouts,
 * size limit). Loopback only: the injected lookup resolves nothing but the test host.
 */
import type { LookupAddress } from 'node:dns';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CasClient } from '../../src/backend/cas/client.ts';
import { createMetadataFetcher } from '../../src/backend/identity-token/fetch-metadata.ts';
import { type LabPki, makePki, readPem } from '../lab/pki.ts';

type Callback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** cas.corp.test → 127.0.0.1; anything else ENOTFOUND. */
function lookup(hostname: string, options: unknown, callback?: Callback): void {
  const cb = (typeof options === 'function' ? options : callback) as Callback;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
  process.nextTick(() => {
    if (hostname !== 'cas.corp.test') {
      cb(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), all ? [] : '', 4);
    } else if (all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
  });
}

let dir: string;
let pki: LabPki;
let caPem: string;
let server: Server;
let port: number;
const DOC = JSON.stringify({ keys: [] });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iwa-fetch-'));
  pki = await makePki(dir);
  caPem = await readPem(pki.ca.certPath);
  server = createServer(
    { cert: await readPem(pki.cas.certPath), key: await readPem(pki.cas.keyPath) },
    (req, res) => {
      switch (req.url) {
        case '/autodiscover/metadata/json/1':
          res.writeHead(200, { 'content-type': 'application/json' }).end(DOC);
          return;
        case '/redirect':
          res.writeHead(302, { location: '/autodiscover/metadata/json/1' }).end();
          return;
        case '/big':
          res.writeHead(200).end('x'.repeat(64 * 1024));
          return;
        case '/slow':
          setTimeout(() => res.writeHead(200).end(DOC), 2_000);
          return;
        default:
          res.writeHead(404).end();
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  await rm(dir, { recursive: true, force: true });
});

const url = (path: string) => `https://cas.corp.test:${port}${path}`;

describe('createMetadataFetcher', () => {
  const cas = new CasClient({ clock: { now: () => new Date() }, lookup });
  afterAll(() => {
    cas.close();
  });
  const fetch = createMetadataFetcher(cas, { maxResponseBytes: 16 * 1024, requestTimeoutMs: 500 });

  it('fetches the document over TLS verified with the profile CA', async () => {
    await expect(fetch(url('/autodiscover/metadata/json/1'), caPem)).resolves.toBe(DOC);
  });

  it('refuses a certificate the CA bundle does not vouch for', async () => {
    await expect(fetch(url('/autodiscover/metadata/json/1'), undefined)).rejects.toMatchObject({
      code: 'CAS_TLS_UNTRUSTED',
    });
    await expect(
      fetch(url('/autodiscover/metadata/json/1'), await readPem(pki.untrusted.certPath)),
    ).rejects.toMatchObject({ code: 'CAS_TLS_UNTRUSTED' });
  });

  it('does not follow redirects', async () => {
    await expect(fetch(url('/redirect'), caPem)).rejects.toMatchObject({
      code: 'CAS_PROTOCOL_ERROR',
      details: { reason: 'auth-metadata-status', status: 302 },
    });
  });

  it('reports a non-200 answer', async () => {
    await expect(fetch(url('/nope'), caPem)).rejects.toMatchObject({ details: { status: 404 } });
  });

  it('enforces the size limit', async () => {
    await expect(fetch(url('/big'), caPem)).rejects.toMatchObject({ code: 'CAS_PROTOCOL_ERROR' });
  });

  it('times out', async () => {
    await expect(fetch(url('/slow'), caPem)).rejects.toMatchObject({ code: 'CAS_UNREACHABLE' });
  });

  it('resolves names only through the injected lookup', async () => {
    await expect(
      fetch(`https://elsewhere.test:${port}/autodiscover/metadata/json/1`, caPem),
    ).rejects.toMatchObject({
      code: 'CAS_UNREACHABLE',
      details: { reason: 'dns' },
    });
  });

  it('refuses http', async () => {
    await expect(
      fetch(`http://cas.corp.test:${port}/autodiscover/metadata/json/1`, caPem),
    ).rejects.toMatchObject({
      code: 'CAS_PROTOCOL_ERROR',
    });
  });
});
