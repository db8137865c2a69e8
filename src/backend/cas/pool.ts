import type { TLSSocket } from 'node:tls';
import type { Clock } from '../domain.ts';

/**
 * Spare upstream TLS connections per CAS, opened ahead of need so a sign-in does not wait for
 * TCP + TLS. A spare has never carried a request: `take` hands it to exactly one handshake,
 * which owns it from then on and destroys it at the end. Nothing is ever returned here.
 *
 * Spares are refilled only when one is taken (or a handshake had to connect itself), so an idle
 * relay drains to zero connections after `maxIdleMs`.
 */
export interface PoolOptions {
  /** Spares kept per CAS; 0 disables the pool. */
  readonly size: number;
  /** A spare older than this is closed, never used: the CAS may be about to drop it. */
  readonly maxIdleMs: number;
}

interface Spare {
  readonly socket: TLSSocket;
  readonly openedAt: number;
  readonly timer: NodeJS.Timeout;
  readonly drop: () => void;
}

export class SparePool {
  readonly #idle = new Map<string, Spare[]>();
  readonly #opening = new Map<string, number>();
  readonly #options: PoolOptions;
  readonly #clock: Clock;

  constructor(options: PoolOptions, clock: Clock) {
    this.#options = options;
    this.#clock = clock;
  }

  /** Spare connections currently held (all CAS). */
  get size(): number {
    let n = 0;
    for (const list of this.#idle.values()) n += list.length;
    return n;
  }

  /**
   * A connected, unused spare for `key`, or undefined. The caller owns it: the pool forgets it,
   * its listeners are removed and it is ref'd again.
   */
  take(key: string): TLSSocket | undefined {
    const list = this.#idle.get(key);
    const now = this.#clock.now().getTime();
    while (list !== undefined && list.length > 0) {
      const spare = list.pop();
      if (spare === undefined) break;
      clearTimeout(spare.timer);
      spare.socket.off('close', spare.drop);
      spare.socket.off('error', spare.drop);
      spare.socket.off('end', spare.drop);
      const s = spare.socket;
      const fresh = now - spare.openedAt < this.#options.maxIdleMs;
      if (fresh && !s.destroyed && s.readyState === 'open' && s.readableLength === 0 && s.writable) {
        s.ref();
        return s;
      }
      s.destroy();
    }
    return undefined;
  }

  /** Opens spares for `key` in the background until `size` are held or opening. */
  fill(key: string, open: () => TLSSocket): void {
    const { size, maxIdleMs } = this.#options;
    const held = this.#idle.get(key)?.length ?? 0;
    let opening = this.#opening.get(key) ?? 0;
    for (let missing = size - held - opening; missing > 0; missing--) {
      opening++;
      let socket: TLSSocket;
      try {
        socket = open();
      } catch {
        opening--;
        break;
      }
      socket.unref();
      let settled = false;
      const settle = () => {
        if (settled) return false;
        settled = true;
        this.#opening.set(key, (this.#opening.get(key) ?? 1) - 1);
        return true;
      };
      socket.once('secureConnect', () => {
        if (!settle()) return;
        const drop = () => {
          clearTimeout(timer);
          this.#remove(key, socket);
          socket.destroy();
        };
        const timer = setTimeout(drop, maxIdleMs);
        timer.unref();
        socket.once('close', drop);
        socket.once('error', drop);
        socket.once('end', drop);
        const list = this.#idle.get(key) ?? [];
        list.push({ socket, openedAt: this.#clock.now().getTime(), timer, drop });
        this.#idle.set(key, list);
      });
      // A spare that fails to connect is just not there; the handshake will connect itself.
      socket.once('error', () => {
        if (settle()) socket.destroy();
      });
    }
    this.#opening.set(key, opening);
  }

  #remove(key: string, socket: TLSSocket): void {
    const list = this.#idle.get(key);
    if (list === undefined) return;
    const i = list.findIndex((s) => s.socket === socket);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#idle.delete(key);
  }

  /** Closes every spare. */
  clear(): void {
    for (const list of this.#idle.values()) {
      for (const spare of list) {
        clearTimeout(spare.timer);
        spare.socket.destroy();
      }
    }
    this.#idle.clear();
  }
}

/**
 * The profile's anonymous probe answer ("401, Negotiate offered"), kept for a short time per
 * CAS so the browser's first leg is answered without touching the CAS. Only that positive answer
 * is cached: errors, and CASes that do not offer Negotiate, are probed every time.
 */
export class ProbeCache<T> {
  readonly #entries = new Map<string, { value: T; expires: number }>();
  /** Probes on their way: concurrent first legs wait for one answer instead of each probing. */
  readonly #inFlight = new Map<string, Promise<T | undefined>>();
  readonly #ttlMs: number;
  readonly #clock: Clock;
  static readonly LIMIT = 1024;

  constructor(ttlMs: number, clock: Clock) {
    this.#ttlMs = ttlMs;
    this.#clock = clock;
  }

  get(key: string): T | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    if (this.#clock.now().getTime() >= e.expires) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T): void {
    if (this.#ttlMs <= 0) return;
    if (this.#entries.size >= ProbeCache.LIMIT && !this.#entries.has(key)) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expires: this.#clock.now().getTime() + this.#ttlMs });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /**
   * The answer of a probe already on its way for `key` (undefined if there is none, or if it
   * did not find Negotiate offered: the caller then probes itself).
   */
  async pending(key: string): Promise<T | undefined> {
    if (this.#ttlMs <= 0) return undefined;
    return this.#inFlight.get(key);
  }

  /**
   * Marks a probe for `key` as on its way, unless one already is; the returned function
   * settles it with the positive answer, or undefined. Waiters never wait for longer than the
   * probe itself, which is bounded by the request timeout.
   */
  begin(key: string): ((value: T | undefined) => void) | undefined {
    if (this.#ttlMs <= 0 || this.#inFlight.has(key)) return undefined;
    let settle: (value: T | undefined) => void = () => undefined;
    const promise = new Promise<T | undefined>((resolve) => {
      settle = resolve;
    });
    this.#inFlight.set(key, promise);
    return (value) => {
      if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
      settle(value);
    };
  }

  clear(): void {
    this.#entries.clear();
  }
}
