/**
 * A token bucket: `burst` attempts at once, refilled at `perMinute`. The arithmetic is
 * `bucketTake` in `limits/policy.ts`; the buckets live in a `LimitStore` (`limits/store.ts`),
 * shared by every instance on PostgreSQL (admin guide § Security).
 */
export interface RateLimitPolicy {
  /** Attempts allowed in a burst. */
  readonly burst: number;
  /** Sustained attempts per minute once the burst is spent. */
  readonly perMinute: number;
}
