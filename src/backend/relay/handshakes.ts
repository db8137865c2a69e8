import type { Socket } from 'node:net';
import type { Mechanism, Profile } from '../storage/types.ts';
import type { UpstreamConnection } from './upstream.ts';

/** One in-flight Negotiate handshake: a browser connection paired with one CAS connection. */
export interface Handshake {
  readonly socket: Socket;
  readonly mailbox: string;
  readonly clientAddress: string;
  readonly profile: Profile;
  readonly upstream: UpstreamConnection;
  readonly startedMs: number;
  legs: number;
  mechanism: Mechanism | null;
  /** Set once the handshake has reached its end, so late events do nothing twice. */
  done: boolean;
  timer: NodeJS.Timeout | undefined;
}

export type EndReason = 'completed' | 'failed' | 'client-closed' | 'expired' | 'replaced' | 'shutdown';

/**
 * Handshakes keyed by the browser's TCP socket: browsers send no id between legs and NTLM
 * authenticates the connection, so the socket is the only honest key (design.md §2). The
 * table owns expiry and teardown; the upstream socket never outlives its entry.
 */
export class HandshakeTable {
  readonly #bySocket = new Map<Socket, Handshake>();
  readonly #watched = new WeakSet<Socket>();
  readonly #ttlMs: number;
  readonly #onEnd: (h: Handshake, reason: EndReason) => void;

  constructor(ttlMs: number, onEnd: (h: Handshake, reason: EndReason) => void) {
    this.#ttlMs = ttlMs;
    this.#onEnd = onEnd;
  }

  get size(): number {
    return this.#bySocket.size;
  }

  get(socket: Socket): Handshake | undefined {
    return this.#bySocket.get(socket);
  }

  add(h: Handshake): void {
    const previous = this.#bySocket.get(h.socket);
    if (previous !== undefined) this.end(previous, 'replaced');
    this.#bySocket.set(h.socket, h);
    h.timer = setTimeout(() => {
      this.end(h, 'expired');
    }, this.#ttlMs);
    h.timer.unref();
    if (!this.#watched.has(h.socket)) {
      this.#watched.add(h.socket);
      h.socket.once('close', () => {
        const current = this.#bySocket.get(h.socket);
        if (current !== undefined) this.end(current, 'client-closed');
      });
    }
  }

  /** Ends a handshake exactly once: drops it, stops its timer and destroys its CAS connection. */
  end(h: Handshake, reason: EndReason): void {
    if (h.done) return;
    h.done = true;
    if (h.timer !== undefined) clearTimeout(h.timer);
    if (this.#bySocket.get(h.socket) === h) this.#bySocket.delete(h.socket);
    h.upstream.destroy();
    this.#onEnd(h, reason);
  }

  endAll(reason: EndReason): void {
    for (const h of [...this.#bySocket.values()]) this.end(h, reason);
  }
}
