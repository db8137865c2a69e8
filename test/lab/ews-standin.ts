/**
 * The EWS stand-in: a persistent Node HTTP server that Apache (the CAS) proxies /EWS/ to
 * after authenticating the caller. Run as its own process:
 *
 *   node --import tsx test/lab/ews-standin.ts [--port N] [--control-port N]
 *
 * It prints one JSON line `{"ready":true,"port":…,"controlPort":…}` on stdout once both ports
 * listen (0 = let the kernel choose). Apache passes the authenticated user and mechanism in
 * X-Lab-User / X-Lab-Mech, which it sets itself after authentication.
 *
 * A control surface on a *separate* loopback port (Apache never proxies to it) lets fault
 * tests make the stand-in misbehave:
 *   POST /__lab/mode  {"mode": Mode, "times"?: n, "delayMs"?: ms}  → next n EWS requests (or all)
 *   GET  /__lab/mode                                              → current mode
 *   GET  /__lab/requests                                          → recent EWS requests (no bodies)
 *   POST /__lab/requests/clear
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { answerEws, schemaFault } from './ews-xml.ts';

export const MODES = ['normal', 'stall', 'reset', 'garbage', '500', 'redirect', 'slow'] as const;
export type StandinMode = (typeof MODES)[number];

export interface ModeState {
  mode: StandinMode;
  /** Requests left in this mode before going back to normal; undefined = until changed. */
  times?: number;
  delayMs: number;
}

export interface RequestRecord {
  at: string;
  method: string;
  path: string;
  user: string | null;
  mech: string | null;
  auth: string | null;
  op: string;
  status: number;
  mode: StandinMode;
  /** Requests seen on this backend connection so far (Apache reuses them). */
  connRequests: number;
}

const MAX_BODY = 1 << 20;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

const header = (req: IncomingMessage, name: string): string | null => {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' && v !== '(null)' ? v : null;
};

// What IIS in front of EWS says to a plain GET of Exchange.asmx: a small HTML page.
const GET_PAGE =
  '<html><head><title>Exchange Web Services</title></head><body><p>You have created a service.</p></body></html>';

const IIS_500 =
  "<!DOCTYPE html><html><head><title>Runtime Error</title></head><body><h1>Server Error in '/EWS' Application.</h1></body></html>";

export interface Standin {
  ewsServer: Server;
  controlServer: Server;
  port: number;
  controlPort: number;
  close(): Promise<void>;
}

export async function startStandin(opts: { port?: number; controlPort?: number } = {}): Promise<Standin> {
  let state: ModeState = { mode: 'normal', delayMs: 0 };
  const log: RequestRecord[] = [];
  const stalled = new Set<ServerResponse>();
  const connCount = new WeakMap<object, number>();

  const takeMode = (): StandinMode => {
    const m = state.mode;
    if (state.times !== undefined) {
      state.times -= 1;
      if (state.times <= 0) state = { mode: 'normal', delayMs: 0 };
    }
    return m;
  };

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'request-id': randomUUID(),
      'X-Lab-Standin': '1',
      ...extra,
    });
    res.end(body);
  };

  const ews = createServer({ noDelay: true, keepAliveTimeout: 60_000 }, (req, res) => {
    void (async () => {
      const n = (connCount.get(req.socket) ?? 0) + 1;
      connCount.set(req.socket, n);
      const user = header(req, 'x-lab-user');
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const record = (op: string, status: number, mode: StandinMode) => {
        log.push({
          at: new Date().toISOString(),
          method: req.method ?? '?',
          path,
          user,
          mech: header(req, 'x-lab-mech'),
          auth: header(req, 'x-lab-auth'),
          op,
          status,
          mode,
          connRequests: n,
        });
        if (log.length > 200) log.shift();
      };
      const body = await readBody(req);
      if (!/^\/ews\/exchange\.asmx$/i.test(path)) {
        record('not-found', 404, 'normal');
        send(res, 404, 'text/html', '<html><body>404 Not Found</body></html>');
        return;
      }
      const mode = takeMode();
      switch (mode) {
        case 'stall':
          // Never answer; the socket stays open until the client or close() gives up.
          record('stall', 0, mode);
          stalled.add(res);
          return;
        case 'reset':
          record('reset', 0, mode);
          req.socket.resetAndDestroy();
          return;
        case 'garbage':
          record('garbage', 200, mode);
          send(res, 200, 'text/xml; charset=utf-8', '\u0000<<garbage>> this is not XML {');
          return;
        case '500':
          record('500', 500, mode);
          send(res, 500, 'text/html', IIS_500);
          return;
        case 'redirect':
          record('redirect', 302, mode);
          send(res, 302, 'text/html', '<html><body>Object moved</body></html>', {
            Location:
              'https://cas.corp.test/owa/auth/logon.aspx?url=https%3a%2f%2fcas.corp.test%2fEWS%2fExchange.asmx',
          });
          return;
        case 'slow':
          await new Promise((r) => setTimeout(r, state.delayMs > 0 ? state.delayMs : 2000));
          break;
        case 'normal':
          break;
      }
      if (req.method === 'GET' && body === '') {
        record('get', 200, mode);
        send(res, 200, 'text/html', GET_PAGE);
        return;
      }
      if (req.method !== 'POST') {
        record('fault', 500, mode);
        send(
          res,
          500,
          'text/xml; charset=utf-8',
          schemaFault(`The HTTP verb ${req.method ?? '?'} is not allowed.`),
        );
        return;
      }
      // No (or an unknown) identity: GetFolder answers ErrorNonExistentMailbox, as Exchange
      // does for an account without a mailbox.
      const a = answerEws(body, user ?? undefined);
      record(a.op, a.status, mode);
      send(res, a.status, 'text/xml; charset=utf-8', a.body);
    })().catch(() => {
      if (!res.headersSent)
        send(res, 500, 'text/xml; charset=utf-8', schemaFault('Internal stand-in error.'));
      else res.destroy();
    });
  });

  const control = createServer({ noDelay: true }, (req, res) => {
    void (async () => {
      const body = await readBody(req);
      const json = (status: number, v: unknown) => {
        send(res, status, 'application/json', JSON.stringify(v));
      };
      if (req.url === '/__lab/mode' && req.method === 'POST') {
        const p = JSON.parse(body) as { mode?: unknown; times?: unknown; delayMs?: unknown };
        if (typeof p.mode !== 'string' || !(MODES as readonly string[]).includes(p.mode)) {
          json(400, { error: `mode must be one of ${MODES.join(', ')}` });
          return;
        }
        state = {
          mode: p.mode as StandinMode,
          delayMs: typeof p.delayMs === 'number' ? p.delayMs : 0,
          ...(typeof p.times === 'number' ? { times: p.times } : {}),
        };
        // Leaving 'stall' releases nobody: the stalled requests stay stalled, like a hung server.
        json(200, state);
      } else if (req.url === '/__lab/mode' && req.method === 'GET') json(200, state);
      else if (req.url === '/__lab/requests' && req.method === 'GET') json(200, log);
      else if (req.url === '/__lab/requests/clear' && req.method === 'POST') {
        log.length = 0;
        json(200, { ok: true });
      } else json(404, { error: 'unknown control endpoint' });
    })().catch((err: unknown) => {
      send(res, 400, 'application/json', JSON.stringify({ error: String(err) }));
    });
  });

  const listen = (srv: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen({ host: '127.0.0.1', port }, () => {
        resolve((srv.address() as AddressInfo).port);
      });
    });
  const port = await listen(ews, opts.port ?? 0);
  const controlPort = await listen(control, opts.controlPort ?? 0);
  return {
    ewsServer: ews,
    controlServer: control,
    port,
    controlPort,
    close: async () => {
      for (const r of stalled) r.destroy();
      ews.closeAllConnections();
      control.closeAllConnections();
      await Promise.all([new Promise((r) => ews.close(r)), new Promise((r) => control.close(r))]);
    },
  };
}

// Run as a process: `node --import tsx test/lab/ews-standin.ts`.
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'control-port': { type: 'string', default: '0' },
      'exit-with-stdin': { type: 'boolean', default: false },
    },
  });
  const s = await startStandin({ port: Number(values.port), controlPort: Number(values['control-port']) });
  process.stdout.write(`${JSON.stringify({ ready: true, port: s.port, controlPort: s.controlPort })}\n`);
  const stop = () => {
    void s.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (values['exit-with-stdin']) {
    // The lab holds our stdin: if it dies without stopping us, do not linger.
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}
