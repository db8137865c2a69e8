import type { X509Certificate } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { IwaError } from '../../protocol/errors.ts';
import { formatRequestHead, type RequestField } from '../../protocol/http1.ts';
import { ProtocolParseError } from '../../protocol/parse-error.ts';
import { definedOnly } from '../config.ts';
import type { Clock } from '../domain.ts';
import { exchange } from './http1.ts';
import { ProbeCache, SparePool } from './pool.ts';
import { TlsConnector, targetKey, type CasTarget } from './tls.ts';
import { toTransportError } from './transport-errors.ts';

export type { CasTarget } from './tls.ts';

/** Per-connection limits; each caller (relay, password sign-in, diagnosis) has its own. */
export interface ConnectionLimits {
  readonly connectTimeoutMs: number;
  /** Time allowed for the CAS to answer one request. */
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
}

export interface CasResponse {
  readonly status: number;
  /** Every `WWW-Authenticate` header value, in order. */
  readonly wwwAuthenticate: readonly string[];
  readonly contentType: string | undefined;
  readonly body: string;
}

export interface CasEfficiency {
  /** Spare, never-used TLS connections kept per CAS (0: none). */
  readonly spares: number;
  /** A spare older than this is closed unused. */
  readonly spareMaxIdleMs: number;
  /** How long a CAS's "Negotiate offered" answer to the anonymous probe is reused (0: never). */
  readonly probeCacheMs: number;
}

export const DEFAULT_CAS_EFFICIENCY: CasEfficiency = {
  spares: 4,
  spareMaxIdleMs: 5_000,
  probeCacheMs: 15_000,
};

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  maxResponseBytes: 1024 * 1024,
};

/** Response heads: Kerberos mutual-auth tokens with big PACs in `WWW-Authenticate`. */
const MAX_HEAD_BYTES = 64 * 1024;

export interface CasClientOptions {
  readonly clock: Clock;
  /** Injected name resolution; tests map the lab's names to loopback. */
  readonly lookup?: LookupFunction | undefined;
  readonly efficiency?: Partial<CasEfficiency> | undefined;
  /** Defaults for connections whose caller gives none. */
  readonly limits?: Partial<ConnectionLimits> | undefined;
}

export interface ConnectOptions extends Partial<ConnectionLimits> {
  /** Answer the anonymous probe from the cache when it can (default true). Diagnosis never does. */
  readonly probeCache?: boolean;
  /** Take and top up spare connections for this CAS (default true). */
  readonly spares?: boolean;
}

/** What a connection needs from its client. */
interface Link {
  readonly tls: TlsConnector;
  readonly pool: SparePool;
  readonly probes: ProbeCache<CasResponse>;
  isClosed(): boolean;
  adopt(socket: TLSSocket): void;
  forget(connection: CasConnection): void;
}

/**
 * Everything the backend keeps about the CASes it talks to, for one app: the TLS sessions and
 * secure contexts, the spare connections, the cached probe answers and the count of live
 * sockets. The relay, the password sign-in, diagnosis and the auth-metadata fetch share one
 * instance; `close()` ends it all when the app closes. Ages are read from the injected clock.
 */
export class CasClient {
  readonly lookup: LookupFunction | undefined;
  readonly #limits: ConnectionLimits;
  readonly #link: Link;
  readonly #connections = new Set<CasConnection>();
  #live = 0;
  #closed = false;

  constructor(options: CasClientOptions) {
    const efficiency = { ...DEFAULT_CAS_EFFICIENCY, ...options.efficiency };
    this.lookup = options.lookup;
    this.#limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
    this.#link = {
      tls: new TlsConnector(options.lookup),
      pool: new SparePool({ size: efficiency.spares, maxIdleMs: efficiency.spareMaxIdleMs }, options.clock),
      probes: new ProbeCache<CasResponse>(efficiency.probeCacheMs, options.clock),
      isClosed: () => this.#closed,
      adopt: (socket) => {
        this.#live++;
        socket.once('close', () => {
          this.#live--;
        });
      },
      forget: (connection) => {
        this.#connections.delete(connection);
      },
    };
  }

  /**
   * A connection to `target` for one handshake or one sign-in (docs/architecture.md §2): it
   * connects on its first request and every later request goes out on that same socket.
   */
  connect(target: CasTarget, options: ConnectOptions = {}): CasConnection {
    const { probeCache = true, spares = true, ...limits } = options;
    const connection = new CasConnection(
      this.#link,
      target,
      { ...this.#limits, ...definedOnly(limits) },
      { probeCache, spares },
    );
    this.#connections.add(connection);
    return connection;
  }

  /**
   * One GET of `target.url` on a connection of its own, e.g. Exchange's auth-metadata document.
   * Redirects are never followed: a 3xx is returned like any other status.
   */
  async get(
    target: CasTarget,
    accept: string,
    options: Partial<ConnectionLimits> = {},
  ): Promise<CasResponse> {
    const connection = this.connect(target, { ...options, probeCache: false, spares: false });
    try {
      return await connection.request('GET', undefined, [['Accept', accept]]);
    } finally {
      connection.destroy();
    }
  }

  /** TLS sockets to CASes owned by connections now (spares apart): the `outlook_iwa_upstream_sockets` gauge. */
  get liveSockets(): number {
    return this.#live;
  }

  /** Spare connections held (not owned by any handshake, never used). */
  get spareSockets(): number {
    return this.#link.pool.size;
  }

  /** Closes every connection and spare and forgets cached answers (the app is closing). */
  close(): void {
    this.#closed = true;
    this.#link.pool.clear();
    this.#link.probes.clear();
    for (const connection of [...this.#connections]) connection.destroy();
  }
}

/** Only a positive probe answer is reused: a 401 that offers Negotiate. */
function offersNegotiate(res: CasResponse): boolean {
  return res.status === 401 && res.wwwAuthenticate.some((v) => /^negotiate(\s|$)/i.test(v.trim()));
}

function lost(): IwaError {
  // The pinned socket is gone: a later NTLM leg on a fresh socket would be refused by the CAS,
  // or worse, accepted out of context. The CAS (or something between us and it) closed the
  // connection, not the browser: CAS_UNREACHABLE, 502.
  return new IwaError('CAS_UNREACHABLE', { reason: 'connection-lost' });
}

/**
 * One pinned HTTP/1.1 keep-alive connection to a CAS, owned by one handshake. NTLM
 * authenticates a connection, not a request, so every leg must travel on the socket that
 * carried the first one: once that socket is lost (an error, the CAS's `Connection: close`, a
 * response without a length), every later request fails rather than reconnecting.
 */
export class CasConnection {
  readonly #link: Link;
  readonly #target: CasTarget;
  readonly #limits: ConnectionLimits;
  readonly #useProbeCache: boolean;
  readonly #useSpares: boolean;
  #connects = 0;
  #requests = 0;
  #socket: TLSSocket | undefined;
  /** The socket can carry no further request. */
  #lost = false;
  /** A request is out and its response not yet read. */
  #busy = false;
  #closed = false;
  /** Requests go out one at a time, in order. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    link: Link,
    target: CasTarget,
    limits: ConnectionLimits,
    use: { readonly probeCache: boolean; readonly spares: boolean },
  ) {
    this.#link = link;
    this.#target = target;
    this.#limits = limits;
    this.#useProbeCache = use.probeCache;
    this.#useSpares = use.spares;
  }

  /** How many TCP connections this handshake has opened; more than one would mean it was not reused. */
  get connects(): number {
    return this.#connects;
  }

  /**
   * POSTs a SOAP body to the target's path on the pinned connection. Redirects are never
   * followed: a 3xx is returned as is, for the classifier to refuse.
   */
  async post(body: string, authorization?: string): Promise<CasResponse> {
    if (this.#closed) throw new IwaError('HANDSHAKE_INVALID', { reason: 'upstream-closed' });
    // The anonymous probe (no token, nothing sent yet on this connection): a recent "Negotiate
    // offered" answer from this CAS stands in for it, and the connection opens on the first leg
    // that carries a token.
    const probeKey =
      this.#useProbeCache && authorization === undefined && this.#requests === 0
        ? `${this.#target.url.href}\n${this.#target.ca ?? ''}\n${body}`
        : undefined;
    const probes = this.#link.probes;
    if (probeKey !== undefined) {
      const cached = probes.get(probeKey) ?? (await probes.pending(probeKey));
      if (cached !== undefined) return cached;
      // The handshake may have ended while it waited for another probe.
      if (this.#isClosed()) throw new IwaError('HANDSHAKE_INVALID', { reason: 'upstream-closed' });
    }
    const probing = probeKey === undefined ? undefined : probes.begin(probeKey);
    const fields: RequestField[] = [['Content-Type', 'text/xml; charset=utf-8']];
    if (authorization !== undefined) fields.push(['Authorization', authorization]);
    try {
      const answer = await this.request('POST', body, fields);
      const positive = offersNegotiate(answer);
      if (probeKey !== undefined && positive) probes.set(probeKey, answer);
      probing?.(positive ? answer : undefined);
      return answer;
    } catch (err) {
      // Whatever was cached about this CAS may be stale: probe it again next time.
      if (probeKey !== undefined) probes.delete(probeKey);
      probing?.(undefined);
      throw err;
    }
  }

  /** Sends one request on the pinned connection (connecting it first if it is the first). */
  request(
    method: 'GET' | 'POST',
    body: string | undefined,
    fields: readonly RequestField[],
  ): Promise<CasResponse> {
    if (this.#closed) return Promise.reject(new IwaError('HANDSHAKE_INVALID', { reason: 'upstream-closed' }));
    this.#requests++;
    const run = this.#queue.then(() => this.#send(method, body, fields));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #send(
    method: string,
    body: string | undefined,
    fields: readonly RequestField[],
  ): Promise<CasResponse> {
    const url = this.#target.url;
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    let head: string;
    try {
      head = formatRequestHead(method, url.pathname + url.search, [
        ['Host', url.host],
        ...fields,
        ['User-Agent', 'outlook-iwa'],
        ...(payload === undefined ? [] : [['Content-Length', String(payload.length)] as const]),
        ['Connection', 'keep-alive'],
      ]);
    } catch (err) {
      // Only the client's Authorization can hold a forbidden byte; it never leaves.
      if (err instanceof ProtocolParseError)
        throw new IwaError('HANDSHAKE_INVALID', { reason: 'header-value' });
      throw err;
    }
    const socket = await this.#connected();
    const wire = Buffer.from(head, 'latin1');
    this.#busy = true;
    try {
      const res = await exchange(socket, payload === undefined ? wire : Buffer.concat([wire, payload]), {
        requestTimeoutMs: this.#limits.requestTimeoutMs,
        maxResponseBytes: this.#limits.maxResponseBytes,
        maxHeadBytes: MAX_HEAD_BYTES,
      });
      if (!res.reusable) this.#lose();
      return {
        status: res.head.status,
        wwwAuthenticate: res.head.wwwAuthenticate,
        contentType: res.head.contentType,
        body: res.body.toString('utf8'),
      };
    } catch (err) {
      this.#lose();
      throw toTransportError(err);
    } finally {
      this.#busy = false;
    }
  }

  /** The pinned socket, connected; it is opened (or taken from the spares) only once. */
  async #connected(): Promise<TLSSocket> {
    if (this.#closed) throw new IwaError('HANDSHAKE_INVALID', { reason: 'upstream-closed' });
    const current = this.#socket;
    if (current !== undefined || this.#connects > 0) {
      if (current === undefined || this.#lost || current.destroyed || !current.writable) throw lost();
      return current;
    }
    this.#connects++;
    const { tls, pool } = this.#link;
    const key = targetKey(this.#target);
    const open = () => tls.open(this.#target);
    const spare = this.#useSpares ? pool.take(key) : undefined;
    // Top the spares up for the next handshakes (in the background, off this one's path).
    if (this.#useSpares && !this.#link.isClosed()) pool.fill(key, open);
    let socket: TLSSocket;
    try {
      socket = spare ?? open();
    } catch (err) {
      throw toTransportError(err);
    }
    this.#socket = socket;
    this.#link.adopt(socket);
    // Errors surface on the request that hits them; one on an idle socket must not crash us.
    socket.on('error', () => {
      this.#lost = true;
    });
    socket.once('close', () => {
      this.#lost = true;
    });
    // Between requests the socket is still read, so the CAS closing it is noticed before the
    // next leg is written; a byte it sends unasked means this connection's framing cannot be
    // trusted any more.
    socket.once('end', () => {
      this.#lost = true;
    });
    socket.on('data', () => {
      if (!this.#busy) this.#lose();
    });
    if (spare === undefined) await this.#secureConnect(socket);
    return socket;
  }

  #secureConnect(socket: TLSSocket): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: unknown) => {
        clearTimeout(timer);
        socket.off('secureConnect', onConnect);
        socket.off('error', onError);
        socket.off('close', onClose);
        if (err === undefined) {
          resolve();
          return;
        }
        this.#lose();
        reject(toTransportError(err));
      };
      const onConnect = () => {
        done();
      };
      const onError = (err: Error) => {
        done(err);
      };
      const onClose = () => {
        done(new IwaError('CAS_UNREACHABLE', { reason: 'connection-closed' }));
      };
      const timer = setTimeout(() => {
        done(new IwaError('CAS_UNREACHABLE', { reason: 'connect-timeout' }));
      }, this.#limits.connectTimeoutMs);
      socket.once('secureConnect', onConnect);
      socket.once('error', onError);
      socket.once('close', onClose);
    });
  }

  #lose(): void {
    this.#lost = true;
    this.#socket?.destroy();
  }

  /** The certificate the CAS presented on the pinned connection; undefined before it connected. */
  peerCertificate(): X509Certificate | undefined {
    const socket = this.#socket;
    return socket === undefined ? undefined : this.#link.tls.certificate(socket);
  }

  #isClosed(): boolean {
    return this.#closed;
  }

  /** Tears the connection down: the socket is destroyed, never returned to any pool. */
  destroy(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket?.destroy();
    this.#link.forget(this);
  }
}
