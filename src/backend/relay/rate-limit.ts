import type { Clock } from '../storage/types.ts';

export interface RateLimitPolicy {
  /** Attempts allowed in a burst. */
  readonly burst: number;
  /** Sustained attempts per minute once the burst is spent. */
  readonly perMinute: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token buckets keyed by client address or mailbox. Counting per mailbox as well as per
 * address means nobody can use us to lock an account out or to guess passwords from many
 * addresses (design.md §6). State is per instance and bounded: idle full buckets are dropped.
 */
export class RateLimiter {
  readonly #policy: RateLimitPolicy;
  readonly #clock: Clock;
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxKeys: number;

  constructor(policy: RateLimitPolicy, clock: Clock, maxKeys = 100_000) {
    this.#policy = policy;
    this.#clock = clock;
    this.#maxKeys = maxKeys;
  }

  /** Takes one attempt for `key`; returns the seconds to wait when none is left, else 0. */
  take(key: string): number {
    const now = this.#clock.now().getTime();
    const ratePerMs = this.#policy.perMinute / 60_000;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) this.#sweep(now, ratePerMs);
      bucket = { tokens: this.#policy.burst, updatedMs: now };
      this.#buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(this.#policy.burst, bucket.tokens + (now - bucket.updatedMs) * ratePerMs);
      bucket.updatedMs = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / ratePerMs / 1000);
  }

  #sweep(now: number, ratePerMs: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (now - b.updatedMs) * ratePerMs >= this.#policy.burst) this.#buckets.delete(key);
    }
    // Still full of active attackers: forget the oldest rather than grow without bound.
    while (this.#buckets.size >= this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest === undefined) break;
      this.#buckets.delete(oldest);
    }
  }
}
