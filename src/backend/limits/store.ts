/**
 * Where the sign-in limits keep their counters. One small interface, two implementations: in
 * this process ({@link MemoryLimitStore}, what a SQLite deployment uses: one process) and in
 * the database (`storage/limits.ts`, what PostgreSQL deployments use, so N instances share one
 * budget instead of N). Both are bounded and forget expired keys.
 *
 * @module
 */

import type { Clock } from '../domain.ts';
import type { Counter } from './policy.ts';

/**
 * What a key counts, which decides what happens when the table is full: `address` keys (rate
 * limits and back-offs per client address or mailbox claim) fail open, since refusing them
 * would let a flood lock everyone out; `account` keys (an AD account's bad-password budget,
 * and the aliases between accounts and mailboxes) have their own room, so an address flood
 * can never crowd them out, and the guard refuses a new account key when that room is full
 * rather than let an uncounted guess reach AD.
 */
export type LimitClass = 'address' | 'account';

export interface LimitKey {
  readonly key: string;
  readonly class: LimitClass;
}

/** `undefined`: leave the counter as it is; `null`: forget it. */
export type LimitWrite = Counter | null | undefined;

/**
 * Decides one step from the current counters (`undefined`: none, or expired) and whether an
 * absent key may be created (`room`). Writes for absent keys without room are dropped.
 */
export type LimitStep<T> = (
  now: number,
  current: readonly (Counter | undefined)[],
  room: readonly boolean[],
) => { readonly result: T; readonly writes: readonly LimitWrite[] };

export interface LimitStore {
  /**
   * Reads the counters of `keys`, runs `step` and writes its result, as one atomic step with
   * respect to every other call on every instance sharing the store: two attempts can never
   * both pass a check that only one of them should.
   */
  step<T>(keys: readonly LimitKey[], step: LimitStep<T>): Promise<T>;
  /** Deletes expired counters; returns how many. */
  sweep(): Promise<number>;
  /** Live counters per class (for tests and metrics). */
  size(): Promise<Record<LimitClass, number>>;
}

/** How many live keys each class may hold. */
export type LimitCapacity = Readonly<Record<LimitClass, number>>;

export const DEFAULT_LIMIT_CAPACITY: LimitCapacity = { address: 100_000, account: 100_000 };

interface Row {
  readonly class: LimitClass;
  counter: Counter;
}

/** The counters in this process: a Map with a per-class cap. */
export class MemoryLimitStore implements LimitStore {
  readonly #clock: Clock;
  readonly #capacity: LimitCapacity;
  readonly #rows = new Map<string, Row>();
  readonly #count: Record<LimitClass, number> = { address: 0, account: 0 };

  constructor(clock: Clock, capacity: LimitCapacity = DEFAULT_LIMIT_CAPACITY) {
    this.#clock = clock;
    this.#capacity = capacity;
  }

  step<T>(keys: readonly LimitKey[], step: LimitStep<T>): Promise<T> {
    // No await between the read and the write: atomic within the process.
    try {
      const now = this.#clock.now().getTime();
      const current = keys.map((k) => this.#live(k.key, now));
      const room = keys.map((k, i) => current[i] !== undefined || this.#hasRoom(k.class, now));
      const { result, writes } = step(now, current, room);
      keys.forEach((k, i) => {
        const w = writes[i];
        if (w === undefined) return;
        if (w === null) this.#delete(k.key);
        else if (this.#rows.has(k.key)) this.#set(k, w);
        else if (room[i] === true && this.#hasRoom(k.class, now)) this.#set(k, w);
      });
      return Promise.resolve(result);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  sweep(): Promise<number> {
    return Promise.resolve(this.#sweep(this.#clock.now().getTime()));
  }

  size(): Promise<Record<LimitClass, number>> {
    this.#sweep(this.#clock.now().getTime());
    return Promise.resolve({ ...this.#count });
  }

  #live(key: string, now: number): Counter | undefined {
    const row = this.#rows.get(key);
    if (row === undefined) return undefined;
    if (now >= row.counter.expiresAt) {
      this.#delete(key);
      return undefined;
    }
    return row.counter;
  }

  #hasRoom(cls: LimitClass, now: number): boolean {
    if (this.#count[cls] < this.#capacity[cls]) return true;
    this.#sweep(now);
    return this.#count[cls] < this.#capacity[cls];
  }

  #set(k: LimitKey, counter: Counter): void {
    const row = this.#rows.get(k.key);
    if (row === undefined) {
      this.#rows.set(k.key, { class: k.class, counter });
      this.#count[k.class]++;
    } else row.counter = counter;
  }

  #delete(key: string): void {
    const row = this.#rows.get(key);
    if (row === undefined) return;
    this.#rows.delete(key);
    this.#count[row.class]--;
  }

  #sweep(now: number): number {
    let n = 0;
    for (const [key, row] of this.#rows) {
      if (now >= row.counter.expiresAt) {
        this.#delete(key);
        n++;
      }
    }
    return n;
  }
}
