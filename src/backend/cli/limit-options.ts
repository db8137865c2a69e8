/**
 * The `serve` flags of every sign-in limit (each also read from `OUTLOOK_IWA_<FLAG>`), with
 * today's values as defaults. What each protects: `docs/admin-guide.md` § Security.
 */
import type { Option } from 'commander';
import { IwaError } from '../../protocol/errors.ts';
import {
  DEFAULT_IDENTITY_TOKEN_FAILURES,
  DEFAULT_PASSWORD_LIMITS,
  DEFAULT_RELAY_LIMITS,
} from '../limits/defaults.ts';
import { DEFAULT_LIMIT_CAPACITY, type LimitCapacity } from '../limits/store.ts';
import type { PasswordLimits } from '../password/sign-in.ts';
import type { RateLimitPolicy } from '../relay/rate-limit.ts';
import type { RelayLimits } from '../relay/relay.ts';
import { option } from './options.ts';

const rate = (p: RateLimitPolicy) => `${String(p.burst)}/${String(p.perMinute)}`;
const account = DEFAULT_PASSWORD_LIMITS.accountBackoff;
const address = DEFAULT_PASSWORD_LIMITS.addressBackoff;

/** Each flag, its help and its default (today's value), in `--help` order. */
const FLAGS: readonly (readonly [flags: string, description: string, value: number | string])[] = [
  [
    '--account-failures <n>',
    'wrong passwords per AD account before the hold; keep below AD lockout',
    account.holdAfterFailures,
  ],
  ['--account-free-failures <n>', 'wrong passwords per account before the first wait', account.freeFailures],
  [
    '--account-hold-minutes <n>',
    'quiet period after the last wrong password; keep ≥ AD reset window',
    account.quietMs / 60_000,
  ],
  [
    '--address-free-failures <n>',
    'failed sign-ins per client address (IPv6: /64) before it waits',
    address.freeFailures,
  ],
  [
    '--iwa-address-rate <burst/perMinute>',
    'IWA handshakes started per client address',
    rate(DEFAULT_RELAY_LIMITS.perAddress),
  ],
  [
    '--iwa-mailbox-failures <burst/perMinute>',
    'failed IWA sign-ins claiming one mailbox',
    rate(DEFAULT_RELAY_LIMITS.perMailbox),
  ],
  [
    '--password-address-rate <burst/perMinute>',
    'password sign-in attempts per client address',
    rate(DEFAULT_PASSWORD_LIMITS.perAddress),
  ],
  [
    '--identity-token-failures <burst/perMinute>',
    'failed identity-token sign-ins per client address',
    rate(DEFAULT_IDENTITY_TOKEN_FAILURES),
  ],
  ['--max-handshakes <n>', 'open IWA handshakes in all', DEFAULT_RELAY_LIMITS.maxHandshakes],
  [
    '--max-handshakes-per-address <n>',
    'open IWA handshakes per client address',
    DEFAULT_RELAY_LIMITS.maxHandshakesPerAddress,
  ],
  [
    '--handshake-ttl <seconds>',
    'how long an unfinished IWA handshake may stay open',
    DEFAULT_RELAY_LIMITS.handshakeTtlMs / 1000,
  ],
  [
    '--max-password-in-flight <n>',
    'password sign-ins talking to a CAS at once',
    DEFAULT_PASSWORD_LIMITS.maxInFlight,
  ],
  ['--limit-keys <n>', 'limit counters kept per class (address, account)', DEFAULT_LIMIT_CAPACITY.address],
];

/** The flags, in `--help` order. */
export function limitOptions(): Option[] {
  return FLAGS.map(([flags, description, value]) => option(flags, description).default(String(value)));
}

/** The limit flags as commander hands them over (all strings, defaults filled in). */
export interface LimitFlags {
  readonly accountFailures: string;
  readonly accountFreeFailures: string;
  readonly accountHoldMinutes: string;
  readonly addressFreeFailures: string;
  readonly iwaAddressRate: string;
  readonly iwaMailboxFailures: string;
  readonly passwordAddressRate: string;
  readonly identityTokenFailures: string;
  readonly maxHandshakes: string;
  readonly maxHandshakesPerAddress: string;
  readonly handshakeTtl: string;
  readonly maxPasswordInFlight: string;
  readonly limitKeys: string;
}

export interface ServeLimits {
  readonly relay: Partial<RelayLimits>;
  readonly password: Partial<PasswordLimits>;
  readonly identityTokenFailures: RateLimitPolicy;
  readonly capacity: LimitCapacity;
}

function invalid(flag: string, problem: string): IwaError {
  const env = `OUTLOOK_IWA_${flag.replace(/^--/, '').toUpperCase().replaceAll('-', '_')}`;
  return new IwaError('CONFIG_INVALID', { flag, env, problem }, `${flag} (${env}): ${problem}`);
}

function count(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > 1_000_000_000) {
    throw invalid(flag, `must be a whole number ≥ ${String(min)}, got "${value}"`);
  }
  return n;
}

function ratePolicy(flag: string, value: string): RateLimitPolicy {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (m === null) throw invalid(flag, `must be BURST/PER_MINUTE, e.g. 20/10, got "${value}"`);
  return { burst: count(flag, m[1] ?? ''), perMinute: count(flag, m[2] ?? '') };
}

/** Validates the limit flags at boot, naming the flag and its environment variable. */
export function parseLimitFlags(flags: LimitFlags): ServeLimits {
  const hold = count('--account-failures', flags.accountFailures);
  const free = count('--account-free-failures', flags.accountFreeFailures, 0);
  if (free > hold) throw invalid('--account-free-failures', 'must not exceed --account-failures');
  const accountBackoff = {
    ...account,
    holdAfterFailures: hold,
    freeFailures: free,
    quietMs: count('--account-hold-minutes', flags.accountHoldMinutes) * 60_000,
  };
  const addressBackoff = {
    ...address,
    freeFailures: count('--address-free-failures', flags.addressFreeFailures, 0),
  };
  const keys = count('--limit-keys', flags.limitKeys, 100);
  return {
    relay: {
      perAddress: ratePolicy('--iwa-address-rate', flags.iwaAddressRate),
      perMailbox: ratePolicy('--iwa-mailbox-failures', flags.iwaMailboxFailures),
      maxHandshakes: count('--max-handshakes', flags.maxHandshakes),
      maxHandshakesPerAddress: count('--max-handshakes-per-address', flags.maxHandshakesPerAddress),
      handshakeTtlMs: count('--handshake-ttl', flags.handshakeTtl) * 1000,
      accountBackoff,
      addressBackoff,
    },
    password: {
      perAddress: ratePolicy('--password-address-rate', flags.passwordAddressRate),
      maxInFlight: count('--max-password-in-flight', flags.maxPasswordInFlight),
      accountBackoff,
      addressBackoff,
    },
    identityTokenFailures: ratePolicy('--identity-token-failures', flags.identityTokenFailures),
    capacity: { address: keys, account: keys },
  };
}
