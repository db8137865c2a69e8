/**
 * The CasClient against a loopback TLS server that writes its HTTP/1.1 answers byte by byte,
 * so every framing and failure the client must handle can be produced: keep-alive on one
 * pinned socket, `Connection: close` ending it for good (NTLM must never move to a new socket),
 * chunked and length bodies, interim 1xx, size and time limits, malformed heads, request
 * splitting, and the probe cache and spares running on the injected clock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CasClient, type CasTarget, type ConnectOptions } from '../../src/backend/cas/client.ts';
import { fakeClock, type FakeClock } from '../db/helpers.ts';
import { labLookup as lookup } from '../lab/clients.ts';
import { makePki, readPem } from '../lab/pki.ts';

let dir: string;
let caPem: string;
let server: tls.Server;
let port: number;
/** TLS connections the server accepted, in order (1-based ids). */
let accepted = 0;
/** Anonymous probes (`/probe` without Authorization) the server answered. */
let probes = 0;
/** Connections open at the server that have carried no request yet: the client's spares. */
const unused = new Set<number>();
/** Every request head the server read. */
const heads: string[] = [];

const ok = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n${extra}Content-Length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`;

/** Answers one request on a connection; `n` counts requests on it, `id` names it. */
function answer(socket: tls.TLSSocket, path: string, head: string, id: number, n: number): void {
  switch (path) {
    case '/keep':
      socket.write(ok(`conn ${String(id)} request ${String(n)}`));
      return;
    case '/close':
      socket.end(ok('bye', 'Connection: close\r\n'));
      return;
    case '/chunked':
      socket.write(
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel',
      );
      setImmediate(() => socket.write('lo\r\n6\r\n world\r\n0\r\n\r\n'));
      return;
    case '/fin-after':
      // Answers with keep-alive framing, then hangs up while the client is idle.
      socket.end(ok('then gone'));
      return;
    case '/until-close':
      socket.end('HTTP/1.1 200 OK\r\n\r\nall of it');
      return;
    case '/big':
      socket.write(ok('x'.repeat(5000)));
      return;
    case '/big-chunked':
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      socket.write(`400\r\n${'y'.repeat(0x400)}\r\n`);
      socket.write(`400\r\n${'y'.repeat(0x400)}\r\n`);
      return;
    case '/bad':
      socket.write('HTTP/1.1 2000 OK\r\n\r\n');
      return;
    case '/slow':
      return;
    case '/probe':
      if (!/\r\nAuthorization:/i.test(head)) probes++;
      socket.write(
        'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    default:
      socket.write('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iwa-cas-'));
  const pki = await makePki(dir);
  caPem = await readPem(pki.ca.certPath);
  server = tls.createServer(
    { cert: await readPem(pki.cas.certPath), key: await readPem(pki.cas.keyPath) },
    (socket) => {
      const id = ++accepted;
      let n = 0;
      let buf = '';
      unused.add(id);
      socket.on('close', () => unused.delete(id));
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        buf += chunk.toString('latin1');
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.slice(0, end);
          const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? '0');
          if (buf.length < end + 4 + length) return;
          buf = buf.slice(end + 4 + length);
          heads.push(head);
          unused.delete(id);
          answer(socket, head.split(' ')[1] ?? '/', head, id, ++n);
        }
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  await rm(dir, { recursive: true, force: true });
});

const target = (path: string, ca: string | undefined = caPem): CasTarget => ({
  url: new URL(`https://cas.corp.test:${String(port)}${path}`),
  ca,
});

let clock: FakeClock;
let cas: CasClient;
function client(efficiency: { spares?: number; probeCacheMs?: number; spareMaxIdleMs?: number } = {}) {
  clock = fakeClock();
  cas = new CasClient({ clock, lookup, efficiency: { spares: 0, ...efficiency } });
  return cas;
}
afterEach(() => {
  cas.close();
});

const connect = (path: string, options: ConnectOptions = {}) => cas.connect(target(path), options);

describe('CasClient: HTTP/1.1 on the pinned socket', () => {
  it('sends every request of a connection on one socket, with a well-formed head', async () => {
    client();
    const c = connect('/keep');
    const before = accepted;
    expect((await c.post('<a/>', 'Negotiate AAAA')).body).toBe(`conn ${String(before + 1)} request 1`);
    expect((await c.post('<b/>')).body).toBe(`conn ${String(before + 1)} request 2`);
    expect(accepted).toBe(before + 1);
    expect(c.connects).toBe(1);
    expect(heads.at(-2)).toBe(
      'POST /keep HTTP/1.1\r\nHost: cas.corp.test:' +
        `${String(port)}\r\nContent-Type: text/xml; charset=utf-8\r\nAuthorization: Negotiate AAAA\r\n` +
        'User-Agent: outlook-iwa\r\nContent-Length: 4\r\nConnection: keep-alive',
    );
    expect(c.peerCertificate()?.subject).toMatch(/CN=cas\.corp\.test/);
    c.destroy();
  });

  it('a response with Connection: close ends the pinned socket: the next leg fails, never reconnects', async () => {
    client();
    const c = connect('/close');
    const before = accepted;
    expect((await c.post('<a/>', 'Negotiate AAAA')).body).toBe('bye');
    await expect(c.post('<b/>', 'Negotiate BBBB')).rejects.toMatchObject({
      code: 'CAS_UNREACHABLE',
      details: { reason: 'connection-lost' },
    });
    expect(accepted).toBe(before + 1);
    c.destroy();
  });

  it('a CAS that hangs up between requests: the next leg fails and is never written', async () => {
    client();
    const c = connect('/fin-after');
    expect((await c.post('<a/>', 'Negotiate AAAA')).body).toBe('then gone');
    await expect.poll(() => cas.liveSockets).toBe(0);
    const seen = heads.length;
    await expect(c.post('<b/>', 'Negotiate BBBB')).rejects.toMatchObject({
      code: 'CAS_UNREACHABLE',
      details: { reason: 'connection-lost' },
    });
    expect(heads.length).toBe(seen);
    c.destroy();
  });

  it('a body read to the connection end also ends the connection', async () => {
    client();
    const c = connect('/until-close');
    expect((await c.post('<a/>')).body).toBe('all of it');
    await expect(c.post('<b/>')).rejects.toMatchObject({ details: { reason: 'connection-lost' } });
    c.destroy();
  });

  it('skips an interim 100 and decodes a chunked body that arrives in pieces', async () => {
    client();
    const c = connect('/chunked');
    const r = await c.post('<a/>');
    expect(r).toMatchObject({ status: 200, body: 'hello world' });
    // The connection stays usable after a chunked answer.
    expect((await c.post('<b/>')).body).toBe('hello world');
    c.destroy();
  });

  it.each([
    [
      'a length body over the size limit',
      '/big',
      { maxResponseBytes: 1500 },
      'CAS_PROTOCOL_ERROR',
      'response-too-large',
    ],
    [
      'a chunked body over the size limit',
      '/big-chunked',
      { maxResponseBytes: 1500 },
      'CAS_PROTOCOL_ERROR',
      'response-too-large',
    ],
    ['a malformed head', '/bad', {}, 'CAS_PROTOCOL_ERROR', 'http-bad-status-line'],
    ['a CAS that does not answer', '/slow', { requestTimeoutMs: 100 }, 'CAS_UNREACHABLE', 'response-timeout'],
  ] as const)(
    'maps %s to its code, and the connection is lost',
    async (_name, path, options, code, reason) => {
      client();
      const c = connect(path, options);
      await expect(c.post('<a/>')).rejects.toMatchObject({ code, details: { reason } });
      await expect(c.post('<a/>')).rejects.toMatchObject({ details: { reason: 'connection-lost' } });
      c.destroy();
    },
  );

  it('never writes an Authorization value that would end the header early', async () => {
    client();
    const c = connect('/keep');
    const seen = heads.length;
    await expect(c.post('<a/>', 'Negotiate x\r\nX-Evil: 1')).rejects.toMatchObject({
      code: 'HANDSHAKE_INVALID',
    });
    expect(heads.length).toBe(seen);
    c.destroy();
  });

  it('maps TLS and name failures with the one transport mapper', async () => {
    client();
    await expect(connect('/keep').post('<a/>')).resolves.toMatchObject({ status: 200 });
    await expect(cas.connect({ ...target('/keep'), ca: undefined }).post('<a/>')).rejects.toMatchObject({
      code: 'CAS_TLS_UNTRUSTED',
    });
    await expect(
      cas.connect({ url: new URL(`https://elsewhere.test:${String(port)}/`), ca: caPem }).post('<a/>'),
    ).rejects.toMatchObject({ code: 'CAS_UNREACHABLE', details: { reason: 'dns' } });
  });

  it('counts live sockets, and close() ends every connection', async () => {
    client();
    const a = connect('/keep');
    const b = connect('/keep');
    await a.post('<a/>');
    await b.post('<a/>');
    expect(cas.liveSockets).toBe(2);
    a.destroy();
    await expect.poll(() => cas.liveSockets).toBe(1);
    cas.close();
    await expect.poll(() => cas.liveSockets).toBe(0);
    await expect(b.post('<a/>')).rejects.toMatchObject({ code: 'HANDSHAKE_INVALID' });
  });
});

describe('CasClient: the probe cache and spares run on the injected clock', () => {
  it('reuses a "Negotiate offered" answer until the clock says it expired', async () => {
    client({ probeCacheMs: 15_000 });
    const before = probes;
    const probe = async (options: ConnectOptions = {}) => {
      const c = connect('/probe', options);
      try {
        return await c.post('<probe/>');
      } finally {
        c.destroy();
      }
    };
    expect((await probe()).wwwAuthenticate).toEqual(['Negotiate', 'NTLM']);
    await probe();
    expect(probes).toBe(before + 1);
    clock.advance(14_999);
    await probe();
    expect(probes).toBe(before + 1);
    clock.advance(1);
    await probe();
    expect(probes).toBe(before + 2);
    // Diagnosis asks for no cache: it always reaches the CAS.
    await probe({ probeCache: false });
    expect(probes).toBe(before + 3);
  });

  it('hands out a fresh spare, and closes one the clock says is too old', async () => {
    client({ spares: 1, spareMaxIdleMs: 5_000 });
    const first = connect('/keep');
    await first.post('<a/>');
    first.destroy();
    await expect.poll(() => cas.spareSockets).toBe(1);
    await expect.poll(() => unused.size).toBe(1);
    const [spareId] = unused;
    const second = connect('/keep');
    expect((await second.post('<a/>')).body).toBe(`conn ${String(spareId)} request 1`);
    second.destroy();
    await expect.poll(() => cas.spareSockets).toBe(1);
    await expect.poll(() => unused.size).toBe(1);
    const [staleId] = unused;
    clock.advance(5_000);
    const third = connect('/keep');
    expect((await third.post('<a/>')).body).not.toBe(`conn ${String(staleId)} request 1`);
    third.destroy();
  });
});
