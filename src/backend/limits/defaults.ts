/**
 * The default sign-in limits, in a module of their own so that the CLI can show them in
 * `serve --help` without loading the relay or the password sign-in. What each protects:
 * docs/admin-guide.md §11.
 */
import { DEFAULT_ACCOUNT_BACKOFF, DEFAULT_ADDRESS_BACKOFF } from '../password/lockout.ts';
import type { PasswordLimits } from '../password/sign-in.ts';
import type { RateLimitPolicy } from '../relay/rate-limit.ts';
import type { RelayLimits } from '../relay/relay.ts';

export const DEFAULT_PASSWORD_LIMITS: PasswordLimits = {
  perAddress: { burst: 20, perMinute: 20 },
  addressBackoff: DEFAULT_ADDRESS_BACKOFF,
  accountBackoff: DEFAULT_ACCOUNT_BACKOFF,
  maxInFlight: 200,
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 15_000,
  maxResponseBytes: 1024 * 1024,
};

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  maxAuthorizationBytes: 32 * 1024,
  maxLegs: 4,
  handshakeTtlMs: 60_000,
  maxHandshakes: 10_000,
  maxHandshakesPerAddress: 100,
  perAddress: { burst: 60, perMinute: 60 },
  perMailbox: { burst: 20, perMinute: 10 },
  accountBackoff: DEFAULT_ACCOUNT_BACKOFF,
  addressBackoff: DEFAULT_ADDRESS_BACKOFF,
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 15_000,
  maxResponseBytes: 1024 * 1024,
};

/** Failed identity-token sign-ins per client address: as many as password attempts. */
export const DEFAULT_IDENTITY_TOKEN_FAILURES: RateLimitPolicy = { burst: 20, perMinute: 20 };
