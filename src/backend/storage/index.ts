/**
 * Opens the one store over SQLite (default, zero set-up) or PostgreSQL (several instances),
 * runs the migrations, and hands out the parts. See `types.ts` for the interface.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { IwaError } from '../../protocol/errors.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { accessTokenStore } from './access-tokens.ts';
import { adminCredentialStore } from './admin-credentials.ts';
import { auditStore } from './audit.ts';
import { bindingStore } from './bindings.ts';
import { type Ctx, guarded, toIwaError, writeTx } from './db.ts';
import { MemoryLimitStore } from '../limits/store.ts';
import { dbLimitStore } from './limits.ts';
import { migrate } from './migrations.ts';
import { profileStore } from './profiles.ts';
import type { Database } from './schema.ts';
import { sessionStore } from './sessions.ts';
import { preparedOnce } from './statement-cache.ts';
import { signInRecordStore } from './sign-in.ts';
import type { Dialect, Store, StoreDeps } from './types.ts';

export type * from './types.ts';
export { SCHEMA_VERSION } from './migrations.ts';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/outlook-iwa.db';

/** How long a writer waits for another process's lock before `DATABASE_UNAVAILABLE`. */
const BUSY_TIMEOUT_MS = 5000;
const PG_CONNECT_TIMEOUT_MS = 5000;

export type DatabaseLocation = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/** Reads a `--database` value: `sqlite:PATH`, `sqlite::memory:` or `postgres://…`. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path !== '') return { dialect: 'sqlite', path };
  } else if (/^postgres(ql)?:\/\//.test(url)) {
    return { dialect: 'postgres', url };
  }
  throw new IwaError(
    'CONFIG_INVALID',
    { field: 'database' },
    'The database must be sqlite:PATH or a postgres:// URL.',
  );
}

function openSqlite(path: string, busyTimeoutMs: number): Kysely<Database> {
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
    const database = new BetterSqlite3(path, { timeout: busyTimeoutMs });
    // WAL lets the CLI write while the server reads and writes the same file.
    if (path !== ':memory:') database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    // Off by default in SQLite; sessions cascade away with their profile.
    database.pragma('foreign_keys = ON');
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: preparedOnce(database) }) });
  } catch (err) {
    // Whatever stops us creating the directory or opening the file, the database is unusable.
    const cause = (err as { code?: unknown }).code;
    throw new IwaError('DATABASE_UNAVAILABLE', { cause: typeof cause === 'string' ? cause : 'open' });
  }
}

async function openPostgres(url: string): Promise<Kysely<Database>> {
  // Imported only for a postgres:// URL: SQLite deployments and the CLI never load the driver.
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server emits here; without a listener Node would crash. The
  // next query reports the outage as DATABASE_UNAVAILABLE.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Opens the store at `url` and migrates it. Throws `DATABASE_UNAVAILABLE` if it cannot be
 * opened, `SCHEMA_TOO_NEW` if a newer outlook-iwa made it, `CONFIG_INVALID` for a bad URL.
 *
 * @param url `sqlite:PATH` (the directory is created on first use) or `postgres://…`.
 * @param deps injected clock and CSPRNG; the real ones by default.
 */
export async function openStore(url: string = DEFAULT_DATABASE_URL, deps: StoreDeps = {}): Promise<Store> {
  const location = parseDatabaseUrl(url);
  const dialect: Dialect = location.dialect;
  const db =
    location.dialect === 'sqlite'
      ? openSqlite(location.path, deps.busyTimeoutMs ?? BUSY_TIMEOUT_MS)
      : await openPostgres(location.url);
  const clock = deps.clock ?? { now: () => new Date() };
  const ctx: Ctx = {
    db,
    dialect,
    now: () => clock.now(),
    randomBytes: deps.randomBytes ?? ((size) => nodeRandomBytes(size)),
  };
  try {
    await migrate(ctx);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw toIwaError(err);
  }

  let closed: Promise<void> | undefined;
  return {
    dialect,
    profiles: profileStore(ctx),
    sessions: sessionStore(ctx),
    audit: auditStore(ctx),
    signIns: signInRecordStore(ctx),
    adminCredentials: adminCredentialStore(ctx),
    bindings: bindingStore(ctx),
    limits:
      dialect === 'postgres' || deps.sharedLimits === true
        ? dbLimitStore(ctx, deps.limitCapacity)
        : new MemoryLimitStore(clock, deps.limitCapacity),
    revokeMailbox: (mailbox) =>
      guarded(async () => {
        const address = parseMailbox(mailbox);
        return writeTx(ctx, async (trx) => {
          const sessions = await trx.deleteFrom('sessions').where('mailbox', '=', address).executeTakeFirst();
          const bindings = await trx
            .deleteFrom('identity_bindings')
            .where('mailbox', '=', address)
            .executeTakeFirst();
          return { sessions: Number(sessions.numDeletedRows), bindings: Number(bindings.numDeletedRows) };
        });
      }),
    accessTokens: accessTokenStore(ctx),
    close: () => (closed ??= db.destroy()),
  };
}

/** Opens a store, runs `fn` with it and closes it, whatever happens: for CLI commands. */
export async function withStore<T>(
  url: string,
  fn: (store: Store) => Promise<T>,
  deps: StoreDeps = {},
): Promise<T> {
  const store = await openStore(url, deps);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
