/**
 * Failure back-off for the domain-password sign-in: the part that keeps us from becoming the
 * tool that locks an Active Directory account out (design.md §6).
 *
 * AD counts bad passwords per account (`badPwdCount`) and locks the account when the count
 * reaches the "Account lockout threshold"; the count returns to zero after "Reset account
 * lockout counter after" minutes *without* a bad password, or on a successful logon. Common
 * settings: threshold 10 and reset 10–15 min (Microsoft security baseline), threshold 5 and
 * reset 15 min or more (CIS benchmark). So the only lockout-safe policy is: never let more than
 * threshold − 1 bad passwords go out for one account without a quiet period at least as long
 * as the reset window in between. {@link DEFAULT_ACCOUNT_BACKOFF} allows 4 (< 5) and then
 * holds for 30 min (≥ 15 min), with a doubling back-off before that to slow guessing down.
 * The numbers and their reasons are in `README.md` next to this file.
 *
 * The counter is charged *before* the attempt goes out (pessimistically: every attempt may be
 * a bad password) and cleared on success or refunded when the attempt never reached the CAS's
 * password check. So parallel requests cannot slip past the limit while the first is in flight.
 *
 * @see https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-10/security/threat-protection/security-policy-settings/account-lockout-threshold
 * @see https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-10/security/threat-protection/security-policy-settings/reset-account-lockout-counter-after
 * @module
 */

import type { Clock } from '../storage/types.ts';

/** How failures for one key (a mailbox, an account, a client address) slow the next attempt. */
export interface BackoffPolicy {
  /** Failures allowed back to back before any wait. */
  readonly freeFailures: number;
  /** The wait after failure number `freeFailures`; each further failure doubles it. */
  readonly baseDelayMs: number;
  /** The doubling stops here. */
  readonly maxDelayMs: number;
  /**
   * After this many failures, wait until a whole quiet period has passed since the last one, so
   * AD's own counter has reset too. `Infinity` for keys that are not an AD account.
   */
  readonly holdAfterFailures: number;
  /** A key with no failure for this long starts again from zero (AD's reset window, or more). */
  readonly quietMs: number;
}

/**
 * Per mailbox and per account: 2 free failures, then 30 s and 60 s, and after the 4th failure
 * a 30-minute hold. At most 4 bad passwords per account reach AD in any stretch without a
 * 30-minute pause: below a threshold of 5 with a reset window of up to 30 minutes.
 */
export const DEFAULT_ACCOUNT_BACKOFF: BackoffPolicy = {
  freeFailures: 2,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  holdAfterFailures: 4,
  quietMs: 30 * 60_000,
};

/**
 * Per client address: 10 free failures (an office behind one NAT address mistypes too), then
 * doubling from 30 s up to 15 min; forgotten after 30 quiet minutes. This slows password
 * spraying across many accounts from one address; the per-account policy protects each account.
 */
export const DEFAULT_ADDRESS_BACKOFF: BackoffPolicy = {
  freeFailures: 10,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  holdAfterFailures: Number.POSITIVE_INFINITY,
  quietMs: 30 * 60_000,
};

interface Entry {
  failures: number;
  lastFailureMs: number;
}

/**
 * Failure counters keyed by string, with an injected clock. Bounded: entries that have been
 * quiet for a whole period are swept; when the table is still full a *new* key is refused
 * (fail closed: forgetting an old key could let an attacker reset someone's counter by
 * flooding us with others).
 */
export class FailureBackoff {
  readonly #policy: BackoffPolicy;
  readonly #clock: Clock;
  readonly #maxKeys: number;
  readonly #entries = new Map<string, Entry>();

  constructor(policy: BackoffPolicy, clock: Clock, maxKeys = 100_000) {
    this.#policy = policy;
    this.#clock = clock;
    this.#maxKeys = maxKeys;
  }

  /** Keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.#entries.size;
  }

  /** Failures counted for `key` right now (0 after a quiet period). */
  failures(key: string): number {
    return this.#live(key, this.#clock.now().getTime())?.failures ?? 0;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string): number {
    const now = this.#clock.now().getTime();
    const entry = this.#live(key, now);
    if (entry === undefined) {
      if (this.#entries.size < this.#maxKeys) return 0;
      this.#sweep(now);
      return this.#entries.size < this.#maxKeys ? 0 : this.#policy.quietMs;
    }
    const p = this.#policy;
    if (entry.failures >= p.holdAfterFailures) return Math.max(0, entry.lastFailureMs + p.quietMs - now);
    if (entry.failures < p.freeFailures) return 0;
    const delay = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (entry.failures - p.freeFailures));
    return Math.max(0, entry.lastFailureMs + delay - now);
  }

  /** Counts one failure for `key` now: an attempt is about to go out, or has failed. */
  charge(key: string): void {
    const now = this.#clock.now().getTime();
    const entry = this.#live(key, now);
    if (entry === undefined) this.#entries.set(key, { failures: 1, lastFailureMs: now });
    else {
      entry.failures++;
      entry.lastFailureMs = now;
    }
  }

  /** Takes back one {@link charge}: the attempt ended before any password was checked. */
  refund(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    entry.failures--;
    if (entry.failures <= 0) this.#entries.delete(key);
  }

  /** A successful sign-in clears the key, as a successful logon clears AD's `badPwdCount`. */
  succeed(key: string): void {
    this.#entries.delete(key);
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined && now - entry.lastFailureMs >= this.#policy.quietMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(now: number): void {
    for (const [key, e] of this.#entries) {
      if (now - e.lastFailureMs >= this.#policy.quietMs) this.#entries.delete(key);
    }
  }
}

/**
 * The key an AD account is counted under, whatever form the user typed: the account part
 * only, upper-cased (`CORP\alice`, `alice` and `alice@corp.test` all count as `ALICE`). This
 * merges same-named accounts of different domains, which errs on the safe side, and stops
 * anyone from getting more attempts by spelling the name differently or by claiming a
 * different mailbox for the same account.
 */
export function accountKey(username: string): string {
  let name = username.trim();
  const backslash = name.indexOf('\\');
  if (backslash >= 0) name = name.slice(backslash + 1);
  const at = name.lastIndexOf('@');
  if (at > 0) name = name.slice(0, at);
  return name.toUpperCase();
}
