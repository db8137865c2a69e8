import type { X509Certificate } from 'node:crypto';
import { isIP, type LookupFunction } from 'node:net';
import tls from 'node:tls';

/** Where the backend may connect: exactly a profile's CAS URL, never anything a client says. */
export interface CasTarget {
  /** An https URL on the CAS (the profile's EWS URL, or its auth-metadata document). */
  readonly url: URL;
  /** PEM bundle trusted for this CAS; undefined means the system's roots. */
  readonly ca: string | undefined;
}

const CACHE_LIMIT = 256;

/** The pool and session key of a CAS: same host and same trust, same connections. */
export function targetKey(target: CasTarget): string {
  return `${target.url.host}\n${target.ca ?? ''}`;
}

/**
 * Opens verified TLS connections to CASes: TLS 1.2 or newer, the certificate checked against
 * the profile's CA bundle and host name (docs/architecture.md §6), ALPN `http/1.1` only.
 * It keeps, per CAS, the last TLS session, so a new handshake's connection resumes instead of
 * doing a full TLS handshake (most of the relay's cost over direct Exchange; see
 * docs/performance.md), and one secure context per CA bundle, so the PEM is parsed once.
 */
export class TlsConnector {
  readonly #lookup: LookupFunction | undefined;
  readonly #contexts = new Map<string, tls.SecureContext>();
  readonly #sessions = new Map<string, { session: Buffer; certificate: X509Certificate | undefined }>();
  /**
   * The certificate the CAS proved on each socket, read at `secureConnect`: Node reports none
   * later on (once application data flowed), nor on a resumed session, whose certificate is
   * the one of the session it resumed. Channel bindings need it.
   */
  readonly #proven = new WeakMap<tls.TLSSocket, X509Certificate | undefined>();

  constructor(lookup: LookupFunction | undefined) {
    this.#lookup = lookup;
  }

  #context(ca: string | undefined): tls.SecureContext {
    const key = ca ?? '';
    let ctx = this.#contexts.get(key);
    if (ctx === undefined) {
      if (this.#contexts.size >= CACHE_LIMIT) this.#contexts.clear();
      ctx = tls.createSecureContext({ ca, minVersion: 'TLSv1.2' });
      this.#contexts.set(key, ctx);
    }
    return ctx;
  }

  /** A new TLS connection to the target's host, resuming its last TLS session if there is one. */
  open(target: CasTarget): tls.TLSSocket {
    const { url } = target;
    const key = targetKey(target);
    const cached = this.#sessions.get(key);
    const socket = tls.connect({
      host: url.hostname,
      port: url.port === '' ? 443 : Number(url.port),
      // SNI must be a host name; RFC 6066 §3 forbids IP literals.
      ...(isIP(url.hostname) === 0 ? { servername: url.hostname } : {}),
      secureContext: this.#context(target.ca),
      ALPNProtocols: ['http/1.1'],
      session: cached?.session,
      lookup: this.#lookup,
      rejectUnauthorized: true,
    });
    socket.once('secureConnect', () => {
      const certificate =
        socket.getPeerX509Certificate() ?? (socket.isSessionReused() ? cached?.certificate : undefined);
      this.#proven.set(socket, certificate);
    });
    socket.setNoDelay(true);
    socket.on('session', (session: Buffer) => {
      if (this.#sessions.size >= CACHE_LIMIT && !this.#sessions.has(key)) {
        const oldest = this.#sessions.keys().next().value;
        if (oldest !== undefined) this.#sessions.delete(oldest);
      }
      this.#sessions.set(key, { session, certificate: this.#proven.get(socket) });
    });
    return socket;
  }

  /** The certificate the CAS proved when `socket` connected. */
  certificate(socket: tls.TLSSocket): X509Certificate | undefined {
    return this.#proven.get(socket);
  }
}
