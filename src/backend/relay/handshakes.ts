import type { Socket } from 'node:net';
import type { Mechanism, Profile } from '../domain.ts';
import type { CasConnection } from '../cas/client.ts';
import type { ChargedAccount } from '../limits/sign-in-limits.ts';

/** One in-flight Negotiate handshake: a browser connection paired with one CAS connection. */
export interface Handshake {
  readonly socket: Socket;
  readonly mailbox: string;
  readonly clientAddress: string;
  /** The address as limits count it (IPv6: its /64). */
  readonly addressKey: string;
  readonly profile: Profile;
  /** The account an NTLM AUTHENTICATE on this handshake named (`DOMAIN\\user`), for the audit. */
  account: string | null;
  /** The bad-password budget this handshake's AUTHENTICATE was charged to. */
  charged: ChargedAccount | undefined;
  readonly upstream: CasConnection;
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
 * authenticates the connection, so the socket is the only honest key (docs/architecture.md §2). The
 * table owns expiry and teardown; the upstream socket never outlives its entry.
 */
export class HandshakeTable {
  readonly #bySocket = new Map<Socket, Handshake>();
  readonly #byAddress = new Map<string, number>();
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

  /** Open handshakes from one client address key. */
  openFrom(addressKey: string): number {
    return this.#byAddress.get(addressKey) ?? 0;
  }

  get(socket: Socket): Handshake | undefined {
    return this.#bySocket.get(socket);
  }

  add(h: Handshake): void {
    const previous = this.#bySocket.get(h.socket);
    if (previous !== undefined) this.end(previous, 'replaced');
    this.#bySocket.set(h.socket, h);
    this.#byAddress.set(h.addressKey, this.openFrom(h.addressKey) + 1);
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
    if (this.#bySocket.get(h.socket) === h) {
      this.#bySocket.delete(h.socket);
      const open = this.openFrom(h.addressKey) - 1;
      if (open > 0) this.#byAddress.set(h.addressKey, open);
      else this.#byAddress.delete(h.addressKey);
    }
    h.upstream.destroy();
    this.#onEnd(h, reason);
  }

  endAll(reason: EndReason): void {
    for (const h of [...this.#bySocket.values()]) this.end(h, reason);
  }
}
