/**
 * The one storage interface. SQLite and PostgreSQL implement it through Kysely, and one
 * contract suite (test/db) runs unchanged against both. Other modules use only this file.
 */

export const METHODS = ['iwa', 'identity-token', 'password'] as const;
export type Method = (typeof METHODS)[number];
export type Mechanism = 'kerberos' | 'ntlm';

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

export interface AuditEntry {
  readonly at: Date;
  readonly clientAddress: string;
  readonly claimedMailbox: string | null;
  readonly provenMailbox: string | null;
  readonly method: Method;
  readonly mechanism: Mechanism | null;
  readonly outcome: Outcome;
  /** `OK` on success, else an error catalogue code. */
  readonly reason: string;
  readonly profile: string | null;
}

export interface AuditQuery {
  readonly mailbox?: string;
  readonly since?: Date;
  readonly until?: Date;
  readonly limit?: number;
}
