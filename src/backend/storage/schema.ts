/**
 * The tables as Kysely sees them. Times are milliseconds since the epoch in `bigint`
 * columns (PostgreSQL's driver returns them as strings, hence `Millis`); lists are JSON
 * text; booleans are 0/1 integers. Both dialects store exactly the same values.
 */
import type { ColumnType, Generated } from 'kysely';

export type Millis = ColumnType<number | string, number, number>;

export interface SchemaVersionTable {
  version: number;
  applied_at: Millis;
}

export interface ProfilesTable {
  name: string;
  description: string;
  /** JSON array of methods. */
  methods: string;
  cas_url: string;
  cas_ca: string | null;
  session_ttl_seconds: number;
  idle_ttl_seconds: number;
  /** 1 for the default profile; a partial unique index allows only one. */
  is_default: number;
  /** JSON array of lower-case domains. */
  domains: string;
  /** JSON array of lower-case addresses. */
  mailboxes: string;
  precedence: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface SessionsTable {
  id: string;
  /** Hex SHA-256 of the token's secret; never leaves the storage layer. */
  secret_hash: string;
  mailbox: string;
  method: string;
  mechanism: string | null;
  profile: string;
  created_at: Millis;
  last_seen_at: Millis;
  expires_at: Millis;
  idle_ttl_seconds: number;
}

export interface AuditTable {
  id: Generated<number | string>;
  at: Millis;
  client_address: string;
  claimed_mailbox: string | null;
  proven_mailbox: string | null;
  method: string;
  mechanism: string | null;
  outcome: string;
  reason: string;
  profile: string | null;
  /** The account an NTLM attempt named (`DOMAIN\\user`); null for other attempts. */
  account: string | null;
  /** The Exchange identity token's `msexchuid` of an identity-token sign-in (schema v3). */
  msexchuid: string | null;
}

export interface AdminCredentialsTable {
  id: string;
  secret_hash: string;
  created_at: Millis;
}

export interface IdentityBindingsTable {
  amurl: string;
  msexchuid: string;
  mailbox: string;
  created_at: Millis;
  /** The session whose sign-in made the binding; unique (schema v3), null for older rows. */
  session_id: string | null;
}

/** The sign-in limits' counters when they live in the database (`limits/store.ts`). */
export interface LimitCountersTable {
  key: string;
  /** `address` or `account`: which capacity the row counts against. */
  class: string;
  count: number;
  at: Millis;
  expires_at: Millis;
  ref: string | null;
}

/** Migration 4: access-token signing keys; the private key is sealed by the key-encryption key. */
export interface SigningKeysTable {
  kid: string;
  alg: string;
  /** The public JWK as JSON text. */
  public_jwk: string;
  /** AES-256-GCM envelope of the PKCS#8 private key; never leaves the token service. */
  private_key: string;
  created_at: Millis;
  /** When a newer key took over signing; null while this one signs. */
  rotated_at: Millis | null;
  /** Until when a rotated-out key stays in the JWKS (its last token's latest expiry). */
  publish_until: Millis | null;
  /** Withdrawn by an admin: out of the JWKS at once. */
  retired_at: Millis | null;
}

export interface TokenAudiencesTable {
  name: string;
  lifetime_seconds: number;
  created_at: Millis;
}

export interface TokenClientsTable {
  id: string;
  name: string;
  secret_hash: string;
  created_at: Millis;
}

/** The audit trail of issued access tokens: who, for which API, which `jti`; never the token. */
export interface TokenIssuancesTable {
  jti: string;
  at: Millis;
  mailbox: string;
  audience: string;
  session_id: string;
  kid: string;
  expires_at: Millis;
}

/** Small per-deployment values, e.g. the secret that derives `sub`. */
export interface TokenSettingsTable {
  name: string;
  value: string;
}

export interface Database {
  schema_version: SchemaVersionTable;
  profiles: ProfilesTable;
  sessions: SessionsTable;
  audit_log: AuditTable;
  admin_credentials: AdminCredentialsTable;
  identity_bindings: IdentityBindingsTable;
  limit_counters: LimitCountersTable;
  signing_keys: SigningKeysTable;
  token_audiences: TokenAudiencesTable;
  token_clients: TokenClientsTable;
  token_issuances: TokenIssuancesTable;
  token_settings: TokenSettingsTable;
}
