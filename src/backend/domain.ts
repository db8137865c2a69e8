/**
 * The backend's domain vocabulary: what a profile, a session and a sign-in attempt are,
 * independent of where they are kept (`storage/` persists them, docs/architecture.md §8).
 * Method and mechanism ids are the API's own (`src/contract/api.ts`, docs/interface.md).
 *
 * @module
 */
import { METHOD_IDS, type Mechanism, type MethodId } from '../contract/api.ts';
import type { ErrorCode } from '../protocol/errors.ts';

export type { Mechanism };
export type Method = MethodId;
export const METHODS = METHOD_IDS;

/** Time and randomness are injected so tests can control expiry and tokens. */
export interface Clock {
  now(): Date;
}
export type RandomBytes = (size: number) => Uint8Array;

export interface Profile {
  readonly name: string;
  readonly description: string;
  /** In the order the add-in should try them silently. */
  readonly methods: readonly Method[];
  /** https only; the relay connects to exactly this URL. */
  readonly casUrl: string;
  /** PEM bundle trusted for this CAS in addition to nothing else; null = system roots. */
  readonly casCa: string | null;
  readonly sessionTtlSeconds: number;
  readonly idleTtlSeconds: number;
  readonly isDefault: boolean;
  /** Lower-case DNS domains. */
  readonly domains: readonly string[];
  /** Lower-case SMTP addresses. */
  readonly mailboxes: readonly string[];
  /** Higher wins a tie between profiles that match at the same level. */
  readonly precedence: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type ProfileInput = Omit<Profile, 'createdAt' | 'updatedAt'>;

export interface EffectiveProfile {
  readonly profile: Profile;
  readonly match: 'mailbox' | 'domain' | 'default';
  /** Human explanation, e.g. "domain corp.test matched profile lab". */
  readonly reason: string;
}

export interface Session {
  readonly id: string;
  readonly mailbox: string;
  readonly method: Method;
  readonly mechanism: Mechanism | null;
  readonly profile: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** The absolute expiry; the idle expiry is lastSeenAt + the profile's idle lifetime. */
  readonly expiresAt: Date;
  readonly idleExpiresAt: Date;
}

export interface IssuedSession {
  /** `id.secret`; shown once, never stored. */
  readonly token: string;
  readonly session: Session;
}

export type Outcome = 'success' | 'failure';

/** Why a sign-in attempt ended: `OK`, or the catalogue code it ended with (docs/interface.md). */
export type AuditReason = 'OK' | ErrorCode;

export interface AuditEntry {
  readonly at: Date;
  readonly clientAddress: string;
  readonly claimedMailbox: string | null;
  readonly provenMailbox: string | null;
  readonly method: Method;
  readonly mechanism: Mechanism | null;
  readonly outcome: Outcome;
  readonly reason: AuditReason;
  readonly profile: string | null;
  /** The account an NTLM attempt named (`DOMAIN\\user`, or a UPN); absent or null otherwise. */
  readonly account?: string | null;
  /** Identity-token sign-ins: the token's `msexchuid`, which names the Exchange user. */
  readonly msexchuid?: string | null;
}
