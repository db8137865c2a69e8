/**
 * The sign-in limits every path shares (IWA relay, password sign-in, identity token), over one
 * {@link LimitStore}. The point of sharing: an AD account has one bad-password budget, so at
 * most `holdAfterFailures` wrong passwords reach the CAS per quiet period whether they come as
 * relayed NTLM AUTHENTICATE messages or as password sign-ins (design: `docs/admin-guide.md`
 * § Security; numbers: `src/backend/password/README.md`).
 *
 * @module
 */

import { IwaError } from '../../protocol/errors.ts';
import type { BackoffPolicy } from '../password/lockout.ts';
import type { RateLimitPolicy } from '../relay/rate-limit.ts';
import { backoffCharge, backoffRefund, backoffWaitMs, bucketTake, type Counter } from './policy.ts';
import type { LimitKey, LimitStore, LimitWrite } from './store.ts';

export type RateScope = 'address' | 'mailbox' | 'account';

/** One limit to check (and, if all pass, to charge) in {@link SignInLimits.admit}. */
export type LimitCheck =
  | {
      readonly kind: 'backoff';
      readonly scope: RateScope;
      readonly key: LimitKey;
      readonly policy: BackoffPolicy;
      /** Count a failure now, pessimistically, if everything passes. */
      readonly charge: boolean;
    }
  | {
      readonly kind: 'bucket';
      readonly scope: RateScope;
      readonly key: LimitKey;
      readonly policy: RateLimitPolicy;
      /** Take a token if everything passes; otherwise only check that one is left. */
      readonly take: boolean;
    };

/** What happened, once an attempt is over. */
export type LimitSettle =
  | { readonly op: 'refund'; readonly key: LimitKey }
  | { readonly op: 'clear'; readonly key: LimitKey }
  | { readonly op: 'charge'; readonly key: LimitKey; readonly policy: BackoffPolicy }
  | { readonly op: 'take'; readonly key: LimitKey; readonly policy: RateLimitPolicy }
  | { readonly op: 'alias'; readonly key: LimitKey; readonly mailbox: string; readonly ttlMs: number };

/** Key names, one place: the prefixes keep the paths' counters apart where they must be. */
export const limitKeys = {
  /** An AD account's bad-password budget (both paths). */
  account: (account: string): LimitKey => ({ key: `acct:${account}`, class: 'account' }),
  /** Which proven mailbox an account last signed in as. */
  alias: (account: string): LimitKey => ({ key: `alias:${account}`, class: 'account' }),
  /** The budget of the person behind a proven mailbox, whatever account name they used. */
  provenMailbox: (mailbox: string): LimitKey => ({ key: `proven:${mailbox}`, class: 'account' }),
  /** Failed sign-ins from one client address (both paths). */
  addressFailures: (address: string): LimitKey => ({ key: `addr-fail:${address}`, class: 'address' }),
  /** Password attempts per client address. */
  passwordRate: (address: string): LimitKey => ({ key: `pw-rate:${address}`, class: 'address' }),
  /** Password attempts claiming one mailbox. */
  passwordMailbox: (mailbox: string): LimitKey => ({ key: `pw-mbx:${mailbox}`, class: 'address' }),
  /** IWA handshakes per client address. */
  iwaRate: (address: string): LimitKey => ({ key: `iwa-rate:${address}`, class: 'address' }),
  /** Failed IWA sign-ins claiming one mailbox. */
  iwaMailboxFailures: (mailbox: string): LimitKey => ({ key: `iwa-mbx:${mailbox}`, class: 'address' }),
  /** Diagnosis or methods requests per client address, each route its own budget. */
  probeRate: (route: 'diagnose' | 'methods', address: string): LimitKey => ({
    key: `probe-rate:${route}:${address}`,
    class: 'address',
  }),
  /** Failed identity-token sign-ins per client address. */
  identityTokenFailures: (address: string): LimitKey => ({ key: `idt-fail:${address}`, class: 'address' }),
};

export function rateLimited(scope: RateScope, waitMs: number): IwaError {
  return new IwaError('RATE_LIMITED', { scope, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
}

/** The shared limits over one store. Stateless itself: every counter is in the store. */
export class SignInLimits {
  readonly store: LimitStore;

  constructor(store: LimitStore) {
    this.store = store;
  }

  /**
   * Checks every limit and, only if all pass, charges them, in one atomic step. Throws
   * `RATE_LIMITED {scope, retryAfterSeconds}` for the first that does not pass. A new key of
   * class `account` with no room left is refused (no uncounted guess ever reaches AD); a new
   * key of class `address` with no room passes uncounted.
   */
  async admit(checks: readonly LimitCheck[]): Promise<void> {
    const refusal = await this.store.step(
      checks.map((c) => c.key),
      (now, current, room) => {
        const writes: LimitWrite[] = [];
        // A refusal keeps the tokens the buckets before it took (a refused attempt is still an
        // attempt) and drops every failure charge (nothing goes out).
        const refuse = (error: IwaError) => ({
          result: error,
          writes: writes.map((w, i) => (checks[i]?.kind === 'bucket' ? w : undefined)),
        });
        for (const [i, check] of checks.entries()) {
          const c = current[i];
          if (c === undefined && room[i] !== true && check.key.class === 'account') {
            return refuse(rateLimited(check.scope, check.kind === 'backoff' ? check.policy.quietMs : 60_000));
          }
          if (check.kind === 'backoff') {
            const wait = backoffWaitMs(c, now, check.policy);
            if (wait > 0) return refuse(rateLimited(check.scope, wait));
            writes.push(check.charge ? backoffCharge(c, now, check.policy) : undefined);
          } else {
            const { waitSeconds, next } = bucketTake(c, now, check.policy);
            if (waitSeconds > 0) return refuse(rateLimited(check.scope, waitSeconds * 1000));
            writes.push(check.take ? next : undefined);
          }
        }
        return { result: undefined, writes };
      },
    );
    if (refusal !== undefined) throw refusal;
  }

  /** Turns an attempt's pessimistic charges into what happened. */
  async settle(ops: readonly LimitSettle[]): Promise<void> {
    if (ops.length === 0) return;
    await this.store.step(
      ops.map((o) => o.key),
      (now, current) => ({
        result: undefined,
        writes: ops.map((o, i): LimitWrite => {
          const c = current[i];
          switch (o.op) {
            case 'refund':
              return backoffRefund(c);
            case 'clear':
              return c === undefined ? undefined : null;
            case 'charge':
              return backoffCharge(c, now, o.policy);
            case 'take':
              return bucketTake(c, now, o.policy).next;
            case 'alias':
              return { count: 0, at: now, expiresAt: now + o.ttlMs, ref: o.mailbox } satisfies Counter;
          }
        }),
      }),
    );
  }

  /** The proven mailbox an account last signed in as, if we know it. */
  async aliasOf(account: string): Promise<string | null> {
    return this.store.step([limitKeys.alias(account)], (_now, [c]) => ({
      result: c?.ref ?? null,
      writes: [],
    }));
  }
}

/** An account charged by {@link AccountBudget.charge}, with the mailbox it is known to be. */
export interface ChargedAccount {
  readonly account: string;
  readonly alias: string | null;
}

/** How long we remember which mailbox an account signed in as (re-learnt at every success). */
export const ALIAS_TTL_MS = 30 * 24 * 60 * 60_000;

/**
 * One AD account's bad-password budget, charged by every path that sends a password proof
 * (relayed NTLM AUTHENTICATE, password sign-in). Once an account has signed in, we know the
 * mailbox it proved; from then on its attempts are charged to that mailbox's budget too, so a
 * person's UPN and `DOMAIN\user` (two keys until then) draw on one budget.
 */
export class AccountBudget {
  readonly #limits: SignInLimits;
  readonly #policy: BackoffPolicy;

  constructor(limits: SignInLimits, policy: BackoffPolicy) {
    this.#limits = limits;
    this.#policy = policy;
  }

  /**
   * Checks and charges one attempt, with `also` in the same atomic step; `RATE_LIMITED
   * {scope: 'account'}` when over budget.
   */
  async charge(account: string, also: readonly LimitCheck[] = []): Promise<ChargedAccount> {
    const alias = await this.#limits.aliasOf(account);
    const check = (key: LimitKey): LimitCheck => ({
      kind: 'backoff',
      scope: 'account',
      key,
      policy: this.#policy,
      charge: true,
    });
    await this.#limits.admit([
      ...also,
      check(limitKeys.account(account)),
      ...(alias === null ? [] : [check(limitKeys.provenMailbox(alias))]),
    ]);
    return { account, alias };
  }

  /** The attempt never reached a password check. */
  refund(c: ChargedAccount): LimitSettle[] {
    return this.#keys(c).map((key) => ({ op: 'refund', key }));
  }

  /**
   * The CAS accepted the credentials (AD cleared the account's count, so do we) and proved
   * `proven` (null if the probe failed): remember the account as that mailbox's.
   */
  succeeded(c: ChargedAccount, proven: string | null): LimitSettle[] {
    const keys = this.#keys(c);
    if (proven !== null && proven !== c.alias) keys.push(limitKeys.provenMailbox(proven));
    const ops: LimitSettle[] = keys.map((key) => ({ op: 'clear', key }));
    if (proven !== null) {
      ops.push({ op: 'alias', key: limitKeys.alias(c.account), mailbox: proven, ttlMs: ALIAS_TTL_MS });
    }
    return ops;
  }

  #keys(c: ChargedAccount): LimitKey[] {
    return [limitKeys.account(c.account), ...(c.alias === null ? [] : [limitKeys.provenMailbox(c.alias)])];
  }
}
