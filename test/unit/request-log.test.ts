import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OneLinePerRequest, loggerOptions } from '../../src/backend/logging.ts';
import { createLabSigningKey } from '../lab/identity-token-lab.ts';

// TLS matters here: a TLS socket forgets its peer's address once destroyed (a plain TCP socket
// remembers it), which is how the client address went missing from completion lines.
let tls: { key: string; cert: string };
beforeAll(async () => {
  const { signingKeyPem, certPem } = await createLabSigningKey('localhost');
  tls = { key: signingKeyPem, cert: certPem };
});

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** An HTTPS server with our request logging, whose log lines the test reads. */
async function served(): Promise<{ port: number; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(JSON.parse(l) as Record<string, unknown>);
      }
      done();
    },
  });
  const app = Fastify({
    https: tls,
    logger: loggerOptions('info', sink),
    logController: new OneLinePerRequest(),
  });
  apps.push(app);
  app.get('/answered', () => ({ ok: true }));
  // The connection is gone before the line is written: what a client that hangs up as soon as
  // it has its answer does when it wins the race against the server's completion callback.
  app.addHook('onResponse', (req, _reply, done) => {
    req.raw.socket.destroy();
    done();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { port: (app.server.address() as AddressInfo).port, lines };
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false, ca: tls.cert, servername: 'localhost' }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve(res.statusCode ?? 0);
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('request logging', () => {
  it('writes one line per request, with the address the client came from even after it hung up', async () => {
    const { port, lines } = await served();
    expect(await get(port, '/answered?mailbox=alice%40lab.test&token=x')).toBe(200);
    expect(await get(port, '/missing')).toBe(404);
    const completed = () => lines.filter((l) => l.msg === 'request completed');
    await expect.poll(() => completed().length).toBe(2);
    const anyId: unknown = expect.any(String);
    expect(completed().map((l) => [l.req, l.res])).toEqual([
      [
        {
          id: anyId,
          method: 'GET',
          path: '/answered',
          mailbox: 'alice@lab.test',
          ip: '127.0.0.1',
        },
        { statusCode: 200 },
      ],
      [{ id: anyId, method: 'GET', path: '/missing', ip: '127.0.0.1' }, { statusCode: 404 }],
    ]);
    expect(lines.filter((l) => l.msg === 'incoming request')).toEqual([]);
  });
});
