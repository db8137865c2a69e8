/**
 * The password sign-in's lockout guard (src/backend/password/lockout.ts) with a fake clock,
 * and a simulation against Active Directory's own bad-password counter: whatever the timing of
 * the attempts, our default policy never lets AD's count reach a threshold of 5 when AD's
 * reset window is 30 minutes or less.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT_BACKOFF,
  DEFAULT_ADDRESS_BACKOFF,
  type BackoffPolicy,
} from '../../src/backend/password/lockout.ts';
import {
  addressKey,
  backoffCharge,
  backoffRefund,
  backoffWaitMs,
  ntlmAccountKey,
  type Counter,
} from '../../src/backend/limits/policy.ts';

function fakeClock(start = Date.UTC(2025, 0, 1)) {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

/** The policy arithmetic over a plain Map, as a LimitStore applies it to its rows. */
class FailureBackoff {
  readonly #rows = new Map<string, Counter>();
  constructor(
    private readonly policy: BackoffPolicy,
    private readonly clock: { now(): Date },
  ) {}
  get size(): number {
    return [...this.#rows.values()].filter((c) => this.#now() < c.expiresAt).length;
  }
  failures(key: string): number {
    const c = this.#rows.get(key);
    return c !== undefined && this.#now() < c.expiresAt ? c.count : 0;
  }
  waitMs(key: string): number {
    return backoffWaitMs(this.#rows.get(key), this.#now(), this.policy);
  }
  charge(key: string): void {
    this.#rows.set(key, backoffCharge(this.#rows.get(key), this.#now(), this.policy));
  }
  refund(key: string): void {
    const next = backoffRefund(this.#rows.get(key));
    if (next === null) this.#rows.delete(key);
    else if (next !== undefined) this.#rows.set(key, next);
  }
  succeed(key: string): void {
    this.#rows.delete(key);
  }
  #now(): number {
    return this.clock.now().getTime();
  }
}

const S = 1000;
const MIN = 60 * S;

describe('FailureBackoff', () => {
  it('the default account policy: 2 free failures, then 30 s, 60 s, then a 30-minute hold', () => {
    const clock = fakeClock();
    const b = new FailureBackoff(DEFAULT_ACCOUNT_BACKOFF, clock);
    expect(b.waitMs('a')).toBe(0);
    b.charge('a');
    expect(b.waitMs('a')).toBe(0);
    b.charge('a');
    expect(b.waitMs('a')).toBe(30 * S);
    clock.advance(29 * S);
    expect(b.waitMs('a')).toBe(1 * S);
    clock.advance(1 * S);
    expect(b.waitMs('a')).toBe(0);
    b.charge('a');
    expect(b.waitMs('a')).toBe(60 * S);
    clock.advance(60 * S);
    b.charge('a');
    // The 4th failure: hold until a whole quiet period has passed, so AD's counter resets too.
    expect(b.failures('a')).toBe(4);
    expect(b.waitMs('a')).toBe(30 * MIN);
    clock.advance(30 * MIN - 1);
    expect(b.waitMs('a')).toBe(1);
    clock.advance(1);
    expect(b.waitMs('a')).toBe(0);
    expect(b.failures('a')).toBe(0);
  });

  it('doubles up to the cap when there is no hold (the address policy)', () => {
    const clock = fakeClock();
    const b = new FailureBackoff(DEFAULT_ADDRESS_BACKOFF, clock);
    for (let i = 0; i < 10; i++) b.charge('10.0.0.1');
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const w = b.waitMs('10.0.0.1');
      waits.push(w / S);
      clock.advance(w);
      b.charge('10.0.0.1');
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('keys are independent; a quiet period forgets; success clears; refund takes one back', () => {
    const clock = fakeClock();
    const b = new FailureBackoff(DEFAULT_ACCOUNT_BACKOFF, clock);
    b.charge('a');
    b.charge('a');
    expect(b.waitMs('a')).toBeGreaterThan(0);
    expect(b.waitMs('b')).toBe(0);
    b.refund('a');
    expect(b.failures('a')).toBe(1);
    expect(b.waitMs('a')).toBe(0);
    b.refund('a');
    b.refund('a'); // never below zero
    expect(b.size).toBe(0);
    b.charge('a');
    b.charge('a');
    b.succeed('a');
    expect(b.failures('a')).toBe(0);
    b.charge('c');
    clock.advance(DEFAULT_ACCOUNT_BACKOFF.quietMs);
    expect(b.failures('c')).toBe(0);
  });
});

describe('ntlmAccountKey', () => {
  it.each([
    ['CORP', 'alice', 'CORP\\ALICE'],
    ['corp', 'Alice', 'CORP\\ALICE'],
    // Another domain's jsmith is another account.
    ['LAB', 'alice', 'LAB\\ALICE'],
    // A UPN is its own key until a success ties it to a mailbox (AccountBudget's aliases).
    ['', 'alice.smith@corp.test', 'ALICE.SMITH@CORP.TEST'],
    ['', '  Alice.Smith@Corp.Test ', 'ALICE.SMITH@CORP.TEST'],
  ])('%s \\ %s counts as %s', (domain, user, key) => {
    expect(ntlmAccountKey(domain, user)).toBe(key);
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    // One /64: a customer line picks any address in it.
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2:bbbb:cccc:dddd:eeee', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s counts as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

/**
 * AD's badPwdCount: +1 per bad password; back to 0 when the previous bad password is at least
 * `resetMs` old (lockoutObservationWindow); locked when it reaches `threshold`.
 */
function adLocksOut(failureTimes: readonly number[], threshold: number, resetMs: number): boolean {
  let count = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of failureTimes) {
    if (t - last >= resetMs) count = 0;
    count++;
    last = t;
    if (count >= threshold) return true;
  }
  return false;
}

/** Attempts at the given gaps, each a bad password if the policy lets it out; returns when AD saw them. */
function failuresReachingAd(policy: BackoffPolicy, gapsMs: readonly number[]): number[] {
  const clock = fakeClock(0);
  const b = new FailureBackoff(policy, clock);
  const seen: number[] = [];
  for (const gap of gapsMs) {
    clock.advance(gap);
    if (b.waitMs('alice') > 0) continue;
    b.charge('alice');
    seen.push(clock.now().getTime());
  }
  return seen;
}

describe('lockout safety of the default policy', () => {
  it('a bad-password storm as fast as allowed: 4 reach AD, then nothing for 30 minutes', () => {
    const seen = failuresReachingAd(
      DEFAULT_ACCOUNT_BACKOFF,
      Array.from({ length: 10_000 }, () => S),
    );
    expect(seen.slice(0, 4)).toEqual([1 * S, 2 * S, 32 * S, 92 * S]);
    expect(seen[4]).toBe(92 * S + 30 * MIN);
    expect(adLocksOut(seen, 5, 30 * MIN)).toBe(false);
  });

  it('never locks out an account with threshold ≥ 5 and a reset window ≤ 30 min, whatever the timing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 * MIN }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 30 }),
        (gaps, resetMinutes) => {
          const seen = failuresReachingAd(DEFAULT_ACCOUNT_BACKOFF, gaps);
          expect(adLocksOut(seen, 5, resetMinutes * MIN)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the simulation does catch an unsafe policy (a plain doubling back-off without a hold)', () => {
    const unsafe: BackoffPolicy = { ...DEFAULT_ACCOUNT_BACKOFF, holdAfterFailures: Number.POSITIVE_INFINITY };
    const seen = failuresReachingAd(
      unsafe,
      Array.from({ length: 10_000 }, () => S),
    );
    expect(adLocksOut(seen, 5, 30 * MIN)).toBe(true);
  });
});
