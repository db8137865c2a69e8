/**
 * Versioned schema migrations, run every time a store opens. Each step is written to be safe
 * to run again (`IF NOT EXISTS` everywhere), the applied versions are recorded in
 * `schema_version`, and a database that is newer than this code is refused before anything
 * is written to it.
 */
import {
  type ColumnDefinitionBuilderCallback,
  type CreateTableBuilder,
  type ColumnDataType,
  type RawBuilder,
  sql,
} from 'kysely';
import { IwaError } from '../../protocol/errors.ts';
import { type Ctx, type Db, millis, writeTx } from './db.ts';
import type { Dialect } from './types.ts';

export interface Migration {
  readonly version: number;
  readonly description: string;
  up(db: Db, dialect: Dialect): Promise<void>;
}

type Column = readonly [name: string, type: ColumnDataType, build?: ColumnDefinitionBuilderCallback];

const key: ColumnDefinitionBuilderCallback = (c) => c.primaryKey();
const required: ColumnDefinitionBuilderCallback = (c) => c.notNull();
const createdAt: Column = ['created_at', 'bigint', required];

/**
 * `CREATE TABLE IF NOT EXISTS` with the columns in the order given. Shipped migrations call it,
 * so it must keep producing the DDL they produced (the contract suite reopens old schemas).
 */
async function createTable(
  db: Db,
  name: string,
  columns: readonly Column[],
  finish: (t: CreateTableBuilder<string, string>) => CreateTableBuilder<string, string> = (t) => t,
): Promise<void> {
  let table: CreateTableBuilder<string, string> = db.schema.createTable(name).ifNotExists();
  for (const [column, type, build] of columns) table = table.addColumn(column, type, build ?? ((c) => c));
  await finish(table).execute();
}

/** `CREATE [UNIQUE] INDEX IF NOT EXISTS name ON table (columns) [WHERE where]`. */
async function createIndex(
  db: Db,
  name: string,
  table: string,
  columns: readonly string[],
  options: { readonly unique?: boolean; readonly where?: RawBuilder<boolean> } = {},
): Promise<void> {
  let index = db.schema.createIndex(name).ifNotExists();
  if (options.unique === true) index = index.unique();
  index = index.on(table).columns([...columns]);
  if (options.where !== undefined) index = index.where(options.where);
  await index.execute();
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'profiles, sessions, audit log, admin credential, identity-token bindings',
    async up(db, dialect) {
      await createTable(db, 'profiles', [
        ['name', 'text', key],
        ['description', 'text', required],
        ['methods', 'text', required],
        ['cas_url', 'text', required],
        ['cas_ca', 'text'],
        ['session_ttl_seconds', 'integer', required],
        ['idle_ttl_seconds', 'integer', required],
        ['is_default', 'integer', (c) => c.notNull().defaultTo(0)],
        ['domains', 'text', required],
        ['mailboxes', 'text', required],
        ['precedence', 'integer', (c) => c.notNull().defaultTo(0)],
        createdAt,
        ['updated_at', 'bigint', required],
      ]);
      // At most one default profile, even when two writers race past the check in code.
      await createIndex(db, 'profiles_one_default', 'profiles', ['is_default'], {
        unique: true,
        where: sql<boolean>`is_default = 1`,
      });

      await createTable(db, 'sessions', [
        ['id', 'text', key],
        ['secret_hash', 'text', required],
        ['mailbox', 'text', required],
        ['method', 'text', required],
        ['mechanism', 'text'],
        // Deleting a profile deletes its sessions, whichever path deletes it.
        ['profile', 'text', (c) => c.notNull().references('profiles.name').onDelete('cascade')],
        createdAt,
        ['last_seen_at', 'bigint', required],
        ['expires_at', 'bigint', required],
        ['idle_ttl_seconds', 'integer', required],
      ]);
      await createIndex(db, 'sessions_mailbox', 'sessions', ['mailbox']);
      await createIndex(db, 'sessions_profile', 'sessions', ['profile']);

      await createTable(db, 'audit_log', [
        [
          'id',
          dialect === 'postgres' ? 'bigserial' : 'integer',
          (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()),
        ],
        ['at', 'bigint', required],
        ['client_address', 'text', required],
        ['claimed_mailbox', 'text'],
        ['proven_mailbox', 'text'],
        ['method', 'text', required],
        ['mechanism', 'text'],
        ['outcome', 'text', required],
        ['reason', 'text', required],
        ['profile', 'text'],
      ]);
      await createIndex(db, 'audit_log_at', 'audit_log', ['at']);
      await createIndex(db, 'audit_log_claimed', 'audit_log', ['claimed_mailbox', 'at']);
      await createIndex(db, 'audit_log_proven', 'audit_log', ['proven_mailbox', 'at']);

      await createTable(db, 'admin_credentials', [
        ['id', 'text', key],
        ['secret_hash', 'text', required],
        createdAt,
      ]);

      await createTable(
        db,
        'identity_bindings',
        [
          ['amurl', 'text', required],
          ['msexchuid', 'text', required],
          ['mailbox', 'text', required],
          createdAt,
        ],
        (t) => t.addPrimaryKeyConstraint('identity_bindings_pk', ['amurl', 'msexchuid']),
      );
      await createIndex(db, 'identity_bindings_mailbox', 'identity_bindings', ['mailbox']);
    },
  },
  {
    version: 2,
    description: 'shared sign-in limit counters; the account an NTLM attempt named in the audit log',
    async up(db, dialect) {
      await createTable(db, 'limit_counters', [
        ['key', 'text', key],
        ['class', 'text', required],
        ['count', 'double precision', required],
        ['at', 'bigint', required],
        ['expires_at', 'bigint', required],
        ['ref', 'text'],
      ]);
      await createIndex(db, 'limit_counters_expiry', 'limit_counters', ['class', 'expires_at']);
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
      await createIndex(db, 'identity_bindings_session', 'identity_bindings', ['session_id'], {
        unique: true,
      });
      if (!has('audit_log', 'msexchuid')) {
        await db.schema.alterTable('audit_log').addColumn('msexchuid', 'text').execute();
      }
      // The sweep deletes expired sessions by their absolute expiry.
      await createIndex(db, 'sessions_expires_at', 'sessions', ['expires_at']);
    },
  },
  {
    version: 4,
    description: 'access tokens: signing keys, audiences, introspection clients, issued-token audit',
    async up(db) {
      await createTable(db, 'signing_keys', [
        ['kid', 'text', key],
        ['alg', 'text', required],
        ['public_jwk', 'text', required],
        ['private_key', 'text', required],
        createdAt,
        ['rotated_at', 'bigint'],
        ['publish_until', 'bigint'],
        ['retired_at', 'bigint'],
      ]);

      await createTable(db, 'token_audiences', [
        ['name', 'text', key],
        ['lifetime_seconds', 'integer', required],
        createdAt,
      ]);

      await createTable(db, 'token_clients', [
        ['id', 'text', key],
        ['name', 'text', (c) => c.notNull().unique()],
        ['secret_hash', 'text', required],
        createdAt,
      ]);

      await createTable(db, 'token_issuances', [
        ['jti', 'text', key],
        ['at', 'bigint', required],
        ['mailbox', 'text', required],
        ['audience', 'text', required],
        ['session_id', 'text', required],
        ['kid', 'text', required],
        ['expires_at', 'bigint', required],
      ]);
      await createIndex(db, 'token_issuances_mailbox', 'token_issuances', ['mailbox', 'at']);
      await createIndex(db, 'token_issuances_at', 'token_issuances', ['at']);

      await createTable(db, 'token_settings', [
        ['name', 'text', key],
        ['value', 'text', required],
      ]);
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
