import type { X509Certificate } from 'node:crypto';
import type { LookupFunction, Socket } from 'node:net';
import tls from 'node:tls';
import { Client } from 'undici';
import { IwaError } from '../../protocol/errors.ts';
import { ProbeCache, UpstreamPool } from './pool.ts';
import { transportErrorCode } from './transport-errors.ts';

/** Where the relay may connect: exactly the profile's CAS URL, never anything the client says. */
export interface CasTarget {
  /** The profile's https EWS URL. */
  readonly url: URL;
  /** PEM bundle trusted for this CAS; undefined means the system's roots. */
  readonly ca: string | undefined;
}

export interface UpstreamOptions {
  /** Injected name resolution; tests map the lab's names to loopback. */
  readonly lookup?: LookupFunction | undefined;
  readonly connectTimeoutMs: number;
  /** Time allowed for the CAS to answer one request. */
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
}

export interface UpstreamResponse {
  readonly status: number;
  /** Every `WWW-Authenticate` header value, in order. */
  readonly wwwAuthenticate: readonly string[];
  readonly contentType: string | undefined;
  readonly body: string;
}

/** Counts live upstream sockets so tests and metrics can check none leak. */
let liveSockets = 0;
export function upstreamSocketCount(): number {
  return liveSockets;
}

/**
 * TLS sessions per CAS, so a new handshake's connection resumes instead of doing a full TLS
 * handshake (most of the relay's cost over direct Exchange; see docs/performance.md).
 */
const sessionCache = new Map<string, { session: Buffer; certificate: X509Certificate | undefined }>();
/**
 * The certificate the CAS proved on each socket, read at `secureConnect`: Node reports none
 * later on (once application data flowed), nor on a resumed session, whose certificate is the
 * one of the session it resumed. Channel bindings need it.
 */
const provenCertificate = new WeakMap<tls.TLSSocket, X509Certificate | undefined>();
const SESSION_CACHE_LIMIT = 256;

function sessionKey(target: CasTarget): string {
  return `${target.url.host}\n${target.ca ?? ''}`;
}

export interface UpstreamEfficiency {
  /** Spare, never-used TLS connections kept per CAS (0: none). */
  readonly spares: number;
  /** A spare older than this is closed unused. */
  readonly spareMaxIdleMs: number;
  /** How long a CAS's "Negotiate offered" answer to the anonymous probe is reused (0: never). */
  readonly probeCacheMs: number;
}

export const DEFAULT_UPSTREAM_EFFICIENCY: UpstreamEfficiency = {
  spares: 4,
  spareMaxIdleMs: 5_000,
  probeCacheMs: 15_000,
};

const pool = new UpstreamPool({
  size: DEFAULT_UPSTREAM_EFFICIENCY.spares,
  maxIdleMs: DEFAULT_UPSTREAM_EFFICIENCY.spareMaxIdleMs,
});
const probeCache = new ProbeCache<UpstreamResponse>(DEFAULT_UPSTREAM_EFFICIENCY.probeCacheMs);

/** Process-wide settings for spares and the probe cache (tests and the benchmark switch them). */
export function configureUpstream(settings: Partial<UpstreamEfficiency>): void {
  const s = { ...DEFAULT_UPSTREAM_EFFICIENCY, ...settings };
  pool.configure({ size: s.spares, maxIdleMs: s.spareMaxIdleMs });
  probeCache.configure(s.probeCacheMs);
}

/** Spare connections held (not owned by any handshake, never used). */
export function upstreamSpareCount(): number {
  return pool.size;
}

/** Closes every spare and forgets cached probe answers (shutdown, tests). */
export function resetUpstream(): void {
  pool.clear();
  probeCache.clear();
}

/**
 * One TLS context per trusted-CA bundle: building it parses the PEM bundle, which otherwise
 * happened on every connection.
 */
const contexts = new Map<string, tls.SecureContext>();
function secureContext(ca: string | undefined): tls.SecureContext {
  const key = ca ?? '';
  let ctx = contexts.get(key);
  if (ctx === undefined) {
    if (contexts.size >= SESSION_CACHE_LIMIT) contexts.clear();
    ctx = tls.createSecureContext({ ca, minVersion: 'TLSv1.2' });
    contexts.set(key, ctx);
  }
  return ctx;
}

/** A new TLS connection to the profile's CAS, resuming the last TLS session when there is one. */
function openTls(target: CasTarget, lookup: LookupFunction | undefined): tls.TLSSocket {
  const { url, ca } = target;
  const key = sessionKey(target);
  const cached = sessionCache.get(key);
  const socket = tls.connect({
    host: url.hostname,
    port: url.port === '' ? 443 : Number(url.port),
    servername: url.hostname,
    secureContext: secureContext(ca),
    ALPNProtocols: ['http/1.1'],
    session: cached?.session,
    lookup,
    rejectUnauthorized: true,
  });
  socket.once('secureConnect', () => {
    const certificate =
      socket.getPeerX509Certificate() ?? (socket.isSessionReused() ? cached?.certificate : undefined);
    provenCertificate.set(socket, certificate);
  });
  socket.setNoDelay(true);
  socket.on('session', (session: Buffer) => {
    if (sessionCache.size >= SESSION_CACHE_LIMIT && !sessionCache.has(key)) {
      const oldest = sessionCache.keys().next().value;
      if (oldest !== undefined) sessionCache.delete(oldest);
    }
    sessionCache.set(key, { session, certificate: provenCertificate.get(socket) });
  });
  return socket;
}

/** Only a positive probe answer is reused: a 401 that offers Negotiate. */
function offersNegotiate(res: UpstreamResponse): boolean {
  return res.status === 401 && res.wwwAuthenticate.some((v) => /^negotiate(\s|$)/i.test(v.trim()));
}

/**
 * One pinned HTTP/1.1 keep-alive connection to the CAS, owned by one handshake. NTLM
 * authenticates a connection, not a request, so every leg must travel on the socket that
 * carried the first one: if the socket was lost, `request` fails rather than reconnecting.
 */
export class UpstreamConnection {
  readonly #client: Client;
  readonly #target: CasTarget;
  readonly #options: UpstreamOptions;
  #connects = 0;
  #requests = 0;
  #socket: Socket | undefined;
  #closed = false;

  constructor(target: CasTarget, options: UpstreamOptions) {
    this.#target = target;
    this.#options = options;
    this.#client = new Client(target.url.origin, {
      connect: (_opts, callback) => {
        this.#connect(callback);
      },
      pipelining: 1,
      connectTimeout: options.connectTimeoutMs,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      // Hold the connection for the whole handshake (≤ 60 s), whatever keep-alive hint the CAS sends.
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 60_000,
      maxResponseSize: options.maxResponseBytes,
    });
    // Errors surface on the request that hit them; an idle socket error must not crash us.
    this.#client.on('connectionError', () => undefined);
  }

  /** How many TCP connections this handshake has opened; more than one means it was not reused. */
  get connects(): number {
    return this.#connects;
  }

  #connect(callback: (...args: [null, Socket] | [Error, null]) => void): void {
    if (this.#connects > 0) {
      // A second connect means the pinned socket is gone: a later NTLM leg on a fresh socket
      // would be refused by the CAS, or worse, accepted out of context. The CAS (or something
      // between us and it) closed the connection, not the browser: CAS_UNREACHABLE, 502.
      callback(new IwaError('CAS_UNREACHABLE', { reason: 'connection-lost' }), null);
      return;
    }
    this.#connects++;
    const key = sessionKey(this.#target);
    const open = () => openTls(this.#target, this.#options.lookup);
    const spare = pool.take(key);
    // Top the spares up for the next handshakes (in the background, off this one's path).
    pool.fill(key, open);
    const socket = spare ?? open();
    this.#socket = socket;
    liveSockets++;
    let counted = true;
    const uncount = () => {
      if (counted) {
        counted = false;
        liveSockets--;
      }
    };
    socket.once('close', uncount);
    if (spare !== undefined) {
      // Asynchronously, as for a new connection: undici is still inside its connect step.
      process.nextTick(() => {
        callback(null, spare);
        if (this.#closed) spare.destroy();
      });
      return;
    }
    let settled = false;
    socket.once('secureConnect', () => {
      settled = true;
      callback(null, socket);
    });
    socket.once('error', (err: Error) => {
      if (settled) return;
      settled = true;
      uncount();
      socket.destroy();
      callback(err, null);
    });
    if (this.#closed) socket.destroy();
  }

  /**
   * POSTs a SOAP body to the profile's EWS path on the pinned connection. Redirects are never
   * followed: a 3xx is returned as is, for the classifier to refuse.
   */
  async post(body: string, authorization?: string): Promise<UpstreamResponse> {
    if (this.#closed) throw new IwaError('HANDSHAKE_INVALID', { reason: 'upstream-closed' });
    // The anonymous probe (no token, nothing sent yet on this connection): a recent "Negotiate
    // offered" answer from this CAS stands in for it, and the connection opens on the first leg
    // that carries a token.
    const probeKey =
      authorization === undefined && this.#requests === 0
        ? `${this.#target.url.href}\n${this.#target.ca ?? ''}\n${body}`
        : undefined;
    if (probeKey !== undefined) {
      const cached = probeCache.get(probeKey) ?? (await probeCache.pending(probeKey));
      if (cached !== undefined) return cached;
      // The handshake may have ended while it waited for another probe.
      if (this.#isClosed()) throw new IwaError('HANDSHAKE_INVALID', { reason: 'upstream-closed' });
    }
    this.#requests++;
    const probing = probeKey === undefined ? undefined : probeCache.begin(probeKey);
    const headers: Record<string, string> = {
      host: this.#target.url.host,
      'content-type': 'text/xml; charset=utf-8',
      'user-agent': 'outlook-iwa',
    };
    if (authorization !== undefined) headers.authorization = authorization;
    try {
      const res = await this.#client.request({
        method: 'POST',
        path: this.#target.url.pathname + this.#target.url.search,
        headers,
        body,
        maxRedirections: 0,
      } as Parameters<Client['request']>[0]);
      const text = await res.body.text();
      const www = res.headers['www-authenticate'];
      const contentType = res.headers['content-type'];
      const answer: UpstreamResponse = {
        status: res.statusCode,
        wwwAuthenticate: www === undefined ? [] : Array.isArray(www) ? www : [www],
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        body: text,
      };
      if (probeKey !== undefined && offersNegotiate(answer)) probeCache.set(probeKey, answer);
      probing?.(offersNegotiate(answer) ? answer : undefined);
      return answer;
    } catch (err) {
      // Whatever was cached about this CAS may be stale: probe it again next time.
      if (probeKey !== undefined) probeCache.delete(probeKey);
      probing?.(undefined);
      throw toIwaError(err);
    }
  }

  /** The certificate the CAS presented on the pinned connection; undefined before it connected. */
  peerCertificate(): X509Certificate | undefined {
    const socket = this.#socket;
    return socket instanceof tls.TLSSocket ? provenCertificate.get(socket) : undefined;
  }

  #isClosed(): boolean {
    return this.#closed;
  }

  /** Tears the connection down: the socket is destroyed, never returned to any pool. */
  destroy(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket?.destroy();
    void this.#client.destroy().catch(() => undefined);
  }
}

function toIwaError(err: unknown): IwaError {
  if (err instanceof IwaError) return err;
  // undici wraps the connector's error as the cause of its own.
  let cursor: unknown = err;
  for (let depth = 0; depth < 4 && cursor instanceof Error; depth++) {
    if (cursor instanceof IwaError) return cursor;
    const code = (cursor as { code?: unknown }).code;
    const mapped = typeof code === 'string' ? transportErrorCode(code) : undefined;
    if (mapped !== undefined) return new IwaError(mapped.code, { reason: mapped.reason });
    cursor = cursor.cause;
  }
  return new IwaError('CAS_UNREACHABLE', { reason: 'transport' });
}
