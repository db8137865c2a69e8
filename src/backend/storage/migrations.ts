/**
 * Versioned schema migrations, run every time a store opens. Each step is written to be safe
 * to run again (`IF NOT EXISTS` everywhere), the applied versions are recorded in
 * `schema_version`, and a database that is newer than this code is refused before anything
 * is written to it.
 */
import { sql } from 'kysely';
import { IwaError } from '../../protocol/errors.ts';
import { type Ctx, type Db, millis, writeTx } from './db.ts';
import type { Dialect } from './types.ts';

export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: Db, dialect: Dialect): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'profiles, sessions, audit log, admin credential, identity-token bindings',
    async up(db, dialect) {
      await db.schema
        .createTable('profiles')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('methods', 'text', (c) => c.notNull())
        .addColumn('cas_url', 'text', (c) => c.notNull())
        .addColumn('cas_ca', 'text')
        .addColumn('session_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('idle_ttl_seconds', 'integer', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('domains', 'text', (c) => c.notNull())
        .addColumn('mailboxes', 'text', (c) => c.notNull())
        .addColumn('precedence', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // At most one default profile, even when two writers race past the check in code.
      await db.schema
        .createIndex('profiles_one_default')
        .ifNotExists()
        .unique()
        .on('profiles')
        .column('is_default')
        .where(sql<boolean>`is_default = 1`)
        .execute();

      await db.schema
        .createTable('sessions')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('mailbox', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('mechanism', 'text')
        // Deleting a profile deletes its sessions, whichever path deletes it.
        .addColumn('profile', 'text', (c) => c.notNull().references('profiles.name').onDelete('cascade'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('idle_ttl_seconds', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('sessions_mailbox')
        .ifNotExists()
        .on('sessions')
        .column('mailbox')
        .execute();
      await db.schema
        .createIndex('sessions_profile')
        .ifNotExists()
        .on('sessions')
        .column('profile')
        .execute();

      await db.schema
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('client_address', 'text', (c) => c.notNull())
        .addColumn('claimed_mailbox', 'text')
        .addColumn('proven_mailbox', 'text')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('mechanism', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('profile', 'text')
        .execute();
      await db.schema.createIndex('audit_log_at').ifNotExists().on('audit_log').column('at').execute();
      await db.schema
        .createIndex('audit_log_claimed')
        .ifNotExists()
        .on('audit_log')
        .columns(['claimed_mailbox', 'at'])
        .execute();
      await db.schema
        .createIndex('audit_log_proven')
        .ifNotExists()
        .on('audit_log')
        .columns(['proven_mailbox', 'at'])
        .execute();

      await db.schema
        .createTable('admin_credentials')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('identity_bindings')
        .ifNotExists()
        .addColumn('amurl', 'text', (c) => c.notNull())
        .addColumn('msexchuid', 'text', (c) => c.notNull())
        .addColumn('mailbox', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('identity_bindings_pk', ['amurl', 'msexchuid'])
        .execute();
      await db.schema
        .createIndex('identity_bindings_mailbox')
        .ifNotExists()
        .on('identity_bindings')
        .column('mailbox')
        .execute();
    },
  },
  {
    version: 2,
    description: 'shared sign-in limit counters; the account an NTLM attempt named in the audit log',
    async up(db, dialect) {
      await db.schema
        .createTable('limit_counters')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('class', 'text', (c) => c.notNull())
        .addColumn('count', 'double precision', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('ref', 'text')
        .execute();
      await db.schema
        .createIndex('limit_counters_expiry')
        .ifNotExists()
        .on('limit_counters')
        .columns(['class', 'expires_at'])
        .execute();
      // SQLite has no ADD COLUMN IF NOT EXISTS: look first, so the step can run again.
      if (dialect === 'postgres') {
        await sql`alter table audit_log add column if not exists account text`.execute(db);
      } else {
        const { rows } = await sql<{ n: number }>`
          select count(*) as n from pragma_table_info('audit_log') where name = 'account'`.execute(db);
        if ((rows[0]?.n ?? 0) === 0) await sql`alter table audit_log add column account text`.execute(db);
      }
    },
  },
  {
    version: 3,
    description: 'bindings remember the session that made them (once per session); audit msexchuid',
    async up(db) {
      // ADD COLUMN has no IF NOT EXISTS on SQLite: look first, so the step can run again.
      const tables = await db.introspection.getTables();
      const has = (table: string, column: string) =>
        tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
      if (!has('identity_bindings', 'session_id')) {
        await db.schema.alterTable('identity_bindings').addColumn('session_id', 'text').execute();
      }
      // One binding per session, even when two binds with it race.
      await db.schema
        .createIndex('identity_bindings_session')
        .ifNotExists()
        .unique()
        .on('identity_bindings')
        .column('session_id')
        .execute();
      if (!has('audit_log', 'msexchuid')) {
        await db.schema.alterTable('audit_log').addColumn('msexchuid', 'text').execute();
      }
      // The sweep deletes expired sessions by their absolute expiry.
      await db.schema
        .createIndex('sessions_expires_at')
        .ifNotExists()
        .on('sessions')
        .column('expires_at')
        .execute();
    },
  },
  {
    version: 4,
    description: 'access tokens: signing keys, audiences, introspection clients, issued-token audit',
    async up(db) {
      await db.schema
        .createTable('signing_keys')
        .ifNotExists()
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('alg', 'text', (c) => c.notNull())
        .addColumn('public_jwk', 'text', (c) => c.notNull())
        .addColumn('private_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('rotated_at', 'bigint')
        .addColumn('publish_until', 'bigint')
        .addColumn('retired_at', 'bigint')
        .execute();

      await db.schema
        .createTable('token_audiences')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('lifetime_seconds', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('token_clients')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('token_issuances')
        .ifNotExists()
        .addColumn('jti', 'text', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('mailbox', 'text', (c) => c.notNull())
        .addColumn('audience', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('kid', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('token_issuances_mailbox')
        .ifNotExists()
        .on('token_issuances')
        .columns(['mailbox', 'at'])
        .execute();
      await db.schema
        .createIndex('token_issuances_at')
        .ifNotExists()
        .on('token_issuances')
        .column('at')
        .execute();

      await db.schema
        .createTable('token_settings')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** Serialises migrations of several instances that start at once against one PostgreSQL. */
const PG_MIGRATION_LOCK = 0x6f697761; // "oiwa"

/**
 * Brings the schema up to `SCHEMA_VERSION` in one transaction, or throws `SCHEMA_TOO_NEW`
 * without writing anything. Returns the versions before and after.
 */
export async function migrate(ctx: Ctx): Promise<{ from: number; to: number }> {
  return writeTx(ctx, async (trx) => {
    if (ctx.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`.execute(trx);
    await trx.schema
      .createTable('schema_version')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    const row = await trx
      .selectFrom('schema_version')
      .select((eb) => eb.fn.max('version').as('version'))
      .executeTakeFirst();
    const from = row?.version == null ? 0 : millis(row.version);
    // Versions are handed out to parallel branches, so a database may hold 4 but not 2:
    // apply every migration not yet recorded, not just those above the highest.
    const applied = new Set(
      (await trx.selectFrom('schema_version').select('version').execute()).map((r) => millis(r.version)),
    );
    if (from > SCHEMA_VERSION) {
      throw new IwaError(
        'SCHEMA_TOO_NEW',
        { found: from, supported: SCHEMA_VERSION },
        `The database schema is version ${from}, but this version of outlook-iwa knows versions up to ${SCHEMA_VERSION}.`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await migration.up(trx, ctx.dialect);
      await trx
        .insertInto('schema_version')
        .values({ version: migration.version, applied_at: ctx.now().getTime() })
        .onConflict((oc) => oc.column('version').doNothing())
        .execute();
    }
    return { from, to: Math.max(from, SCHEMA_VERSION) };
  });
}
