/**
 * The arithmetic of every sign-in limit, as pure functions over one stored counter: the
 * failure back-off that keeps us from locking Active Directory accounts out (lockout.ts
 * explains its numbers), and the token bucket of the attempt rate limits. Where the counters
 * live (one process, or the shared database) is {@link LimitStore}'s business
 * (`docs/admin-guide.md` § Security, "What each limit protects").
 *
 * @module
 */

import type { BackoffPolicy } from '../password/lockout.ts';
import type { RateLimitPolicy } from '../relay/rate-limit.ts';

/** One stored counter: a failure count (back-off) or the tokens left (bucket), and when. */
export interface Counter {
  /** Failures so far, or tokens left in the bucket. */
  readonly count: number;
  /** Last failure, or last refill, in ms since the epoch. */
  readonly at: number;
  /** A counter with no news before this instant is forgotten (ms since the epoch). */
  readonly expiresAt: number;
  /** For alias rows: the proven mailbox an account signed in as. */
  readonly ref: string | null;
}

/** Milliseconds until a key with counter `c` may try again under `p`; 0 when it may now. */
export function backoffWaitMs(c: Counter | undefined, now: number, p: BackoffPolicy): number {
  if (c === undefined || now >= c.expiresAt) return 0;
  if (c.count >= p.holdAfterFailures) return Math.max(0, c.at + p.quietMs - now);
  if (c.count < p.freeFailures) return 0;
  const delay = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (c.count - p.freeFailures));
  return Math.max(0, c.at + delay - now);
}

/** The counter after one more failure now. */
export function backoffCharge(c: Counter | undefined, now: number, p: BackoffPolicy): Counter {
  const live = c !== undefined && now < c.expiresAt ? c.count : 0;
  return { count: live + 1, at: now, expiresAt: now + p.quietMs, ref: null };
}

/** Takes one failure back (the attempt never reached a password check); `null` deletes. */
export function backoffRefund(c: Counter | undefined): Counter | null | undefined {
  if (c === undefined) return undefined;
  return c.count <= 1 ? null : { ...c, count: c.count - 1 };
}

/**
 * Takes one token from a bucket that refills at `perMinute` up to `burst`. Returns the seconds
 * to wait when none is left (the counter then stays as it was) and the new counter.
 */
export function bucketTake(
  c: Counter | undefined,
  now: number,
  p: RateLimitPolicy,
): { readonly waitSeconds: number; readonly next: Counter | undefined } {
  const ratePerMs = p.perMinute / 60_000;
  const tokens =
    c === undefined || now >= c.expiresAt ? p.burst : Math.min(p.burst, c.count + (now - c.at) * ratePerMs);
  if (tokens < 1) {
    const waitSeconds = Math.max(1, Math.ceil((1 - tokens) / ratePerMs / 1000));
    return { waitSeconds, next: c };
  }
  return { waitSeconds: 0, next: refilled(tokens - 1, now, ratePerMs, p.burst) };
}

/** Seconds until the bucket has a token again (0 if it has one), without taking any. */
export function bucketWaitSeconds(c: Counter | undefined, now: number, p: RateLimitPolicy): number {
  const { waitSeconds } = bucketTake(c, now, p);
  return waitSeconds;
}

function refilled(tokens: number, now: number, ratePerMs: number, burst: number): Counter {
  // A full bucket is the same as no bucket: forget it once it would be full again.
  return { count: tokens, at: now, expiresAt: now + Math.ceil((burst - tokens) / ratePerMs) + 1, ref: null };
}

/**
 * The key a client address is counted under: IPv4 as is (also when IPv4-mapped), IPv6 by its
 * /64, since one customer line gets a whole /64 and can pick any address in it.
 */
export function addressKey(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^(?:0{0,4}:){0,5}(?::|0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (!a.includes(':')) return a;
  const groups = expandIpv6(a.replace(/%.*$/, ''));
  return groups === undefined ? a : `${groups.slice(0, 4).join(':')}::/64`;
}

function expandIpv6(a: string): string[] | undefined {
  const halves = a.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const head = parse(halves[0] ?? '');
  const tail = parse(halves[1] ?? '');
  // An embedded IPv4 tail counts as two groups.
  const last = tail.length > 0 ? tail : head;
  if (last.at(-1)?.includes('.') === true) {
    const v4 = last.pop()?.split('.').map(Number) ?? [];
    last.push(
      ((v4[0] ?? 0) * 256 + (v4[1] ?? 0)).toString(16),
      ((v4[2] ?? 0) * 256 + (v4[3] ?? 0)).toString(16),
    );
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}

/**
 * The AD account an NTLM AUTHENTICATE names (MS-NLMP §2.2.1.3 DomainName + UserName), as the
 * key its bad-password budget is kept under: `DOMAIN\USER`, case-folded, so `corp\Alice` and
 * `CORP\alice` are one account and `CORP\jsmith` and `LAB\jsmith` are two. A UPN (user name
 * with `@`, empty domain, as Windows sends it) is its own key, `ALICE@CORP.TEST`, until a
 * success proves which mailbox it belongs to (see the alias rows in `sign-in-limits.ts`).
 */
export function ntlmAccountKey(domain: string, user: string): string {
  const u = user.trim().toUpperCase();
  const d = domain.trim().toUpperCase();
  if (u.includes('@')) return u;
  return `${d}\\${u}`;
}

/** How an audit row names the account an NTLM attempt used: `DOMAIN\user`, or the UPN. */
export function ntlmAccountLabel(domain: string, user: string): string {
  return domain === '' ? user : `${domain}\\${user}`;
}
