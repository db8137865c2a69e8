/**
 * A fault-injecting proxy in front of the lab CAS (Apache), for the relay's fault tests.
 *
 * It terminates TLS with the lab CAS's own certificate and key, so a profile pointing at
 * `https://cas.corp.test:<proxy port>/EWS/Exchange.asmx` with the lab CA still verifies, and
 * forwards every request to Apache over TLS. Each incoming connection gets exactly one
 * upstream connection (a private keep-alive agent with one socket), so connection-bound NTLM
 * works through it as it does directly.
 *
 * Because it sees requests, it can misbehave on the N-th request of a connection without
 * touching the shared EWS stand-in (other test files run against the same lab at the same
 * time): kill the connection mid-request, reset it, stall, close it after a response, or
 * answer by itself (garbage, a 500, a redirect). It records what it saw: connections,
 * requests, and the NTLM/Kerberos kind of each request's token (never the token).
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { parseAuthorization, negotiateToken } from '../../src/protocol/http-auth.ts';
import { inspectNegotiateToken } from '../../src/protocol/negotiate.ts';
import type { LabInfo } from '../lab/lab.ts';

export type FaultAction =
  /** Forward to the CAS and relay its answer. */
  | { readonly kind: 'pass' }
  /** The CAS dies while handling the request: the connection closes with no answer. */
  | { readonly kind: 'kill' }
  /** The connection is reset (RST) instead of answered. */
  | { readonly kind: 'reset' }
  /** Never answer; the connection stays open. */
  | { readonly kind: 'stall' }
  /** Forward and relay the answer, then close the connection (FIN) as the CAS would. */
  | { readonly kind: 'close-after' }
  /** Answer by ourselves; the CAS never sees the request. */
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      readonly body: string;
    };

export interface SeenRequest {
  /** 1-based number of the proxy connection that carried it. */
  readonly connection: number;
  /** 1-based number of the request on that connection. */
  readonly request: number;
  readonly method: string;
  readonly path: string;
  readonly hasAuthorization: boolean;
  /** `inspectNegotiateToken(...).kind` of the token, if any and readable. */
  readonly tokenKind: string | undefined;
  readonly action: FaultAction['kind'];
}

/** Decides what happens to one request. */
export type FaultPlan = (r: Omit<SeenRequest, 'action'>) => FaultAction;

export const PASS: FaultPlan = () => ({ kind: 'pass' });

/** Every request of every connection passes, except request `n` on each connection. */
export function onRequest(n: number, action: FaultAction): FaultPlan {
  return (r) => (r.request === n ? action : { kind: 'pass' });
}

/** The request carrying a token of this kind (e.g. `ntlm-authenticate`) gets `action`. */
export function onToken(kind: string, action: FaultAction): FaultPlan {
  return (r) => (r.tokenKind === kind ? action : { kind: 'pass' });
}

/** The first request after one carrying a token of this kind, on the same connection. */
export function afterToken(kind: string, action: FaultAction): FaultPlan {
  const armed = new Set<number>();
  return (r) => {
    if (r.tokenKind === kind) {
      armed.add(r.connection);
      return { kind: 'pass' };
    }
    if (armed.delete(r.connection)) return action;
    return { kind: 'pass' };
  };
}

export interface FaultProxy {
  readonly port: number;
  /** `https://cas.corp.test:<port>/EWS/Exchange.asmx` */
  readonly ewsUrl: string;
  plan: FaultPlan;
  readonly seen: SeenRequest[];
  /** Connections accepted from the relay since the last {@link FaultProxy.reset}. */
  readonly connections: number;
  /** Connections to the CAS since the last reset. */
  readonly upstreamConnections: number;
  /** Connections from the relay that carried a request and are open now (idle spares the
   * relay may hold open, never used, are not counted). */
  readonly openConnections: number;
  /** Clears the records and goes back to passing everything. */
  reset(): void;
  close(): Promise<void>;
}

function tokenKind(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  try {
    const bytes = negotiateToken(parseAuthorization(authorization));
    return bytes === undefined ? undefined : inspectNegotiateToken(bytes).kind;
  } catch {
    return 'unreadable';
  }
}

export async function startFaultProxy(lab: LabInfo): Promise<FaultProxy> {
  // The lab's PKI keeps each key next to its certificate (test/lab/pki.ts).
  const keyPath = join(dirname(lab.tls.casCertPath), `${lab.hosts.cas}.key`);
  const key = readFileSync(keyPath, 'utf8');
  const seen: SeenRequest[] = [];
  const raw = new Map<string, Socket>();
  const open = new Set<Socket>();
  const used = new Set<Socket>();
  const agents = new WeakMap<Socket, { agent: https.Agent; id: number; requests: number }>();
  const stalled = new Set<ServerResponse>();
  let connections = 0;
  let upstreamConnections = 0;
  const countedUpstream = new WeakSet<Socket>();
  let plan: FaultPlan = PASS;

  const peer = (s: Socket) => `${s.remoteAddress ?? ''}:${String(s.remotePort)}`;

  const server = https.createServer(
    { key, cert: lab.tls.casCertPem, minVersion: 'TLSv1.2', keepAliveTimeout: 120_000 },
    (req: IncomingMessage, res: ServerResponse) => {
      const tlsSocket = req.socket;
      let state = agents.get(tlsSocket);
      if (state === undefined) {
        state = {
          agent: new https.Agent({ keepAlive: true, maxSockets: 1, ca: lab.tls.caCertPem }),
          id: ++connections,
          requests: 0,
        };
        agents.set(tlsSocket, state);
        used.add(tlsSocket);
        const agent = state.agent;
        tlsSocket.once('close', () => {
          used.delete(tlsSocket);
          agent.destroy();
        });
      }
      const authorization = req.headers.authorization;
      const info = {
        connection: state.id,
        request: ++state.requests,
        method: req.method ?? '?',
        path: req.url ?? '/',
        hasAuthorization: authorization !== undefined,
        tokenKind: tokenKind(authorization),
      };
      const action = plan(info);
      seen.push({ ...info, action: action.kind });
      const rawSocket = raw.get(peer(tlsSocket));

      switch (action.kind) {
        case 'kill':
          // Like a process dying: the kernel closes its sockets, the CAS side included.
          req.resume();
          state.agent.destroy();
          tlsSocket.destroy();
          rawSocket?.destroy();
          return;
        case 'reset':
          req.resume();
          state.agent.destroy();
          if (rawSocket !== undefined) rawSocket.resetAndDestroy();
          else tlsSocket.destroy();
          return;
        case 'stall':
          req.resume();
          stalled.add(res);
          return;
        case 'respond': {
          req.resume();
          req.on('end', () => {
            res.writeHead(action.status, {
              'content-length': Buffer.byteLength(action.body),
              ...action.headers,
            });
            res.end(action.body);
          });
          return;
        }
        case 'pass':
        case 'close-after':
          break;
      }

      const headers = { ...req.headers, host: `${lab.hosts.cas}:${String(lab.cas.port)}` };
      const upstream = https.request(
        {
          host: '127.0.0.1',
          port: lab.cas.port,
          servername: lab.hosts.cas,
          method: req.method,
          path: req.url,
          headers,
          agent: state.agent,
        },
        (up) => {
          // rawHeaders keeps every WWW-Authenticate header, in order.
          res.writeHead(up.statusCode ?? 502, up.rawHeaders);
          up.pipe(res);
          if (action.kind === 'close-after') {
            res.once('finish', () => {
              setImmediate(() => {
                tlsSocket.end();
                state.agent.destroy();
              });
            });
          }
        },
      );
      upstream.on('socket', (s) => {
        if (!countedUpstream.has(s)) {
          countedUpstream.add(s);
          upstreamConnections++;
        }
      });
      upstream.on('error', () => {
        tlsSocket.destroy();
      });
      req.pipe(upstream);
    },
  );
  server.on('connection', (s: Socket) => {
    const k = peer(s);
    raw.set(k, s);
    open.add(s);
    s.once('close', () => {
      raw.delete(k);
      open.delete(s);
    });
  });
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve) => {
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    ewsUrl: `https://${lab.hosts.cas}:${String(port)}/EWS/Exchange.asmx`,
    get plan() {
      return plan;
    },
    set plan(p: FaultPlan) {
      plan = p;
    },
    seen,
    get connections() {
      return connections;
    },
    get upstreamConnections() {
      return upstreamConnections;
    },
    get openConnections() {
      return used.size;
    },
    reset() {
      plan = PASS;
      seen.length = 0;
      connections = 0;
      upstreamConnections = 0;
      for (const r of stalled) r.destroy();
      stalled.clear();
    },
    async close() {
      for (const r of stalled) r.destroy();
      for (const s of open) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

/** A plain TCP pipe (for a database): `cut()` drops every connection and refuses new ones. */
export interface TcpPipe {
  readonly port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpPipe(targetPort: number): Promise<TcpPipe> {
  const open = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const target = connect({ host: '127.0.0.1', port: targetPort });
    open.add(client);
    open.add(target);
    const drop = () => {
      client.destroy();
      target.destroy();
      open.delete(client);
      open.delete(target);
    };
    client.on('error', drop).on('close', drop);
    target.on('error', drop).on('close', drop);
    client.pipe(target).pipe(client);
  });
  await new Promise<void>((resolve) => {
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      cut = true;
      for (const s of open) s.resetAndDestroy();
      open.clear();
    },
    restore() {
      cut = false;
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
