/**
 * The one storage interface. SQLite and PostgreSQL implement it through Kysely, and one
 * contract suite (test/db) runs unchanged against both. Other modules use only this file for
 * storage; the domain types it stores (profiles, sessions, audit entries) are `../domain.ts`.
 */
import type { LimitCapacity, LimitStore } from '../limits/store.ts';
import type {
  AuditEntry,
  Clock,
  EffectiveProfile,
  IssuedSession,
  Mechanism,
  Method,
  Profile,
  RandomBytes,
  Session,
} from '../domain.ts';

export interface AuditQuery {
  readonly mailbox?: string;
  readonly since?: Date;
  readonly until?: Date;
  readonly limit?: number;
}

/**
 * What an admin (CLI or API) gives to create a profile. Everything but the name and the CAS
 * URL has a default; the store validates it at run time, so untyped input is safe to pass.
 */
export interface ProfileDraft {
  readonly name: string;
  readonly casUrl: string;
  readonly description?: string;
  readonly methods?: readonly Method[];
  readonly casCa?: string | null;
  readonly sessionTtlSeconds?: number;
  readonly idleTtlSeconds?: number;
  readonly isDefault?: boolean;
  readonly domains?: readonly string[];
  readonly mailboxes?: readonly string[];
  readonly precedence?: number;
}

/** Only the fields given change. A profile cannot be renamed: sessions refer to it by name. */
export type ProfilePatch = Partial<Omit<ProfileDraft, 'name'>>;

export interface ProfileStore {
  /** Validates and adds a profile. `INPUT_INVALID` or `CONFLICT` (field `name` or `default`). */
  create(draft: ProfileDraft): Promise<Profile>;
  get(name: string): Promise<Profile | null>;
  /** Ordered by name. */
  list(): Promise<Profile[]>;
  /** `NOT_FOUND` if there is no such profile; validation as for `create`. */
  update(name: string, patch: ProfilePatch): Promise<Profile>;
  /** Deletes the profile and, in the same transaction, revokes its sessions. `NOT_FOUND` if absent. */
  delete(name: string): Promise<{ readonly revokedSessions: number }>;
  /** The effective profile of a mailbox (`MAILBOX_INVALID` if it is not an address), or null. */
  effective(mailbox: string): Promise<EffectiveProfile | null>;
}

export interface IssueSessionInput {
  /** The proven mailbox (never the mere claim). */
  readonly mailbox: string;
  readonly method: Method;
  readonly mechanism: Mechanism | null;
  /** The lifetimes are copied at issue time; later profile edits do not stretch a session. */
  readonly profile: Pick<Profile, 'name' | 'sessionTtlSeconds' | 'idleTtlSeconds'>;
}

export interface SessionStore {
  /** A new random token at every call. `PROFILE_NOT_FOUND` if the profile no longer exists. */
  issue(input: IssueSessionInput): Promise<IssuedSession>;
  /** `SESSION_INVALID` for a malformed, unknown, revoked or expired token; else slides the idle expiry. */
  verify(token: string): Promise<Session>;
  /** Admin revocation of one session; false if there was none. */
  revoke(id: string): Promise<boolean>;
  /** A live session by id, without sliding its idle expiry (introspection); null otherwise. */
  get(id: string): Promise<Session | null>;
  /** Sign-out: the token must verify first, so knowing a session id is not enough. */
  revokeByToken(token: string): Promise<void>;
  /** Revokes every session of a mailbox and returns how many there were. */
  revokeMailbox(mailbox: string): Promise<number>;
  /** Deletes the sessions past their absolute or idle expiry; returns how many. */
  sweepExpired(): Promise<number>;
  /** Live sessions, newest first. */
  list(filter?: { readonly mailbox?: string }): Promise<Session[]>;
}

export interface AuditStore {
  /** Strings are capped; the entry has no field that could hold a token, challenge or password. */
  record(entry: AuditEntry): Promise<void>;
  /** Newest first; `mailbox` matches the claimed or the proven mailbox; `since` ≤ at < `until`. */
  query(query?: AuditQuery): Promise<AuditEntry[]>;
  /** Deletes entries older than the date and returns how many. */
  prune(olderThan: Date): Promise<number>;
}

/** What a successful sign-in writes (storage/sign-in.ts). */
export interface SignInRecordStore {
  /**
   * Issues the session and records its audit row in one transaction: both or neither.
   * `PROFILE_NOT_FOUND` if the profile no longer exists, `INPUT_INVALID` for a bad entry.
   */
  succeeded(session: IssueSessionInput, audit: AuditEntry): Promise<IssuedSession>;
}

export interface AdminCredentialStore {
  /**
   * Mints the admin credential and returns it; only its hash is kept, so it is shown once.
   * Without `rotate`, `CONFLICT` if one exists; with it, the previous one stops working.
   */
  mint(options?: { readonly rotate?: boolean }): Promise<string>;
  verify(credential: string): Promise<boolean>;
  exists(): Promise<boolean>;
}

/** An Exchange identity token's `amurl`+`msexchuid`, bound to a mailbox by a verified sign-in. */
export interface IdentityBinding {
  readonly amurl: string;
  readonly msexchuid: string;
  readonly mailbox: string;
  readonly createdAt: Date;
}

export interface BindingStore {
  /**
   * Creates or replaces the binding of (amurl, msexchuid). With `sessionId`, `CONFLICT`
   * (field `sessionId`) if that session already made a binding: one per session.
   */
  bind(
    binding: Omit<IdentityBinding, 'createdAt'> & { readonly sessionId?: string },
  ): Promise<IdentityBinding>;
  lookup(amurl: string, msexchuid: string): Promise<IdentityBinding | null>;
  /** Newest first; every binding, or those of one mailbox. */
  list(filter?: { readonly mailbox?: string }): Promise<IdentityBinding[]>;
  /** Removes one binding and returns how many (0 or 1). */
  revoke(amurl: string, msexchuid: string): Promise<number>;
  /** Removes every binding to the mailbox and returns how many. */
  revokeMailbox(mailbox: string): Promise<number>;
  /** Deletes bindings made before the date; returns how many. */
  prune(olderThan: Date): Promise<number>;
}

/** An access-token signing key as stored; `privateKey` is sealed (see src/backend/tokens/kek.ts). */
export interface SigningKeyRecord {
  readonly kid: string;
  readonly alg: 'ES256' | 'RS256';
  /** The public JWK as JSON text. */
  readonly publicJwk: string;
  readonly privateKey: string;
  readonly createdAt: Date;
  /** When a newer key took over signing; null while this one signs. */
  readonly rotatedAt: Date | null;
  /** Until when a rotated-out key stays in the JWKS. */
  readonly publishUntil: Date | null;
  readonly retiredAt: Date | null;
}

export type NewSigningKey = Pick<SigningKeyRecord, 'kid' | 'alg' | 'publicJwk' | 'privateKey'>;

export interface SigningKeyStore {
  /** The key that signs now: the newest not rotated out and not retired, or null. */
  active(): Promise<SigningKeyRecord | null>;
  /**
   * Adds `key` as the signing key only if there is none (first use); returns the one that
   * signs now, which is another instance's if it won the race.
   */
  addIfNone(key: NewSigningKey): Promise<SigningKeyRecord>;
  /**
   * Makes `key` the signing key; in the same transaction every previous signing key is
   * rotated out and kept in the JWKS for `publishSeconds` (the longest a token it signed
   * can still live).
   */
  rotate(key: NewSigningKey, publishSeconds: number): Promise<SigningKeyRecord>;
  /** Keys for the JWKS: not retired, and signing or rotated out less than their publish time ago. */
  published(): Promise<SigningKeyRecord[]>;
  /** Every key, newest first. */
  list(): Promise<SigningKeyRecord[]>;
  /** Withdraws a key at once (compromise); false if there is no such key or it was retired already. */
  retire(kid: string): Promise<boolean>;
}

export interface Audience {
  readonly name: string;
  readonly lifetimeSeconds: number;
  readonly createdAt: Date;
}

export interface AudienceStore {
  /** `INPUT_INVALID` for a bad name or lifetime; `CONFLICT` if it exists. */
  add(input: { readonly name: string; readonly lifetimeSeconds?: number }): Promise<Audience>;
  get(name: string): Promise<Audience | null>;
  /** Ordered by name. */
  list(): Promise<Audience[]>;
  /** False if there was no such audience. */
  remove(name: string): Promise<boolean>;
}

export interface TokenClient {
  readonly name: string;
  readonly createdAt: Date;
}

export interface TokenClientStore {
  /** Mints a credential (`id.secret`, shown once; only its hash is kept). `CONFLICT` if the name exists. */
  add(name: string): Promise<{ readonly client: TokenClient; readonly credential: string }>;
  /** The client a credential belongs to, or null. */
  verify(credential: string): Promise<TokenClient | null>;
  list(): Promise<TokenClient[]>;
  remove(name: string): Promise<boolean>;
}

/** One issued access token in the audit trail; there is no field that could hold the token. */
export interface TokenIssuance {
  readonly jti: string;
  readonly at: Date;
  readonly mailbox: string;
  readonly audience: string;
  readonly sessionId: string;
  readonly kid: string;
  readonly expiresAt: Date;
}

export interface TokenIssuanceStore {
  record(entry: TokenIssuance): Promise<void>;
  /** Newest first. */
  query(query?: { readonly mailbox?: string; readonly limit?: number }): Promise<TokenIssuance[]>;
}

export interface AccessTokenStore {
  readonly keys: SigningKeyStore;
  readonly audiences: AudienceStore;
  readonly clients: TokenClientStore;
  readonly issued: TokenIssuanceStore;
  /**
   * The deployment's 256-bit secret that derives `sub` from a mailbox; made on first use and
   * the same for every instance and every signing key.
   */
  subjectSecret(): Promise<Uint8Array>;
}

export type Dialect = 'sqlite' | 'postgres';

/** The one storage interface: every module reads and writes persistent state through it. */
export interface Store {
  readonly dialect: Dialect;
  readonly profiles: ProfileStore;
  readonly sessions: SessionStore;
  readonly audit: AuditStore;
  readonly signIns: SignInRecordStore;
  readonly adminCredentials: AdminCredentialStore;
  readonly bindings: BindingStore;
  /**
   * The sign-in limits' counters: in the database on PostgreSQL (shared by every instance), in
   * this process on SQLite (one process).
   */
  readonly limits: LimitStore;
  /**
   * Ends a mailbox's access: its sessions and, in the same transaction, the identity-token
   * bindings those sign-ins made (a binding must not outlive a revocation).
   */
  revokeMailbox(mailbox: string): Promise<{ readonly sessions: number; readonly bindings: number }>;
  readonly accessTokens: AccessTokenStore;
  close(): Promise<void>;
}

export interface StoreDeps {
  /** Defaults to the system clock. */
  readonly clock?: Clock;
  /** Defaults to `node:crypto` `randomBytes`; must be a CSPRNG outside tests. */
  readonly randomBytes?: RandomBytes;
  /** SQLite: how long a write waits for another process's lock (default 5 s). */
  readonly busyTimeoutMs?: number;
  /** Live limit counters each class may hold (default 100 000 each). */
  readonly limitCapacity?: LimitCapacity;
  /**
   * Keep the limit counters in the database on SQLite too, so several processes on one file
   * (`serve --workers N`) share one budget. PostgreSQL always does.
   */
  readonly sharedLimits?: boolean;
}
