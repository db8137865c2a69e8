/**
 * Failure back-off for the domain-password sign-in: the part that keeps us from becoming the
 * tool that locks an Active Directory account out (docs/architecture.md §6).
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
 * The arithmetic is in `limits/policy.ts`; the counters live in a `LimitStore` (`limits/`),
 * shared by the password sign-in and the IWA relay, and by every instance on PostgreSQL.
 *
 * @see https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-10/security/threat-protection/security-policy-settings/account-lockout-threshold
 * @see https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-10/security/threat-protection/security-policy-settings/reset-account-lockout-counter-after
 * @module
 */

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
