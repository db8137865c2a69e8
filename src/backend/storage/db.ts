/**
 * Helpers shared by the store's parts: write transactions that behave the same on both
 * dialects, and the translation of driver errors into catalogue codes.
 */
import { type Kysely, sql } from 'kysely';
import { IwaError } from '../../protocol/errors.ts';
import type { Database } from './schema.ts';
import type { Dialect } from './types.ts';

export type Db = Kysely<Database>;

/** Everything a store part needs: the connection, its dialect, and injected time. */
export interface Ctx {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly now: () => Date;
  readonly randomBytes: (size: number) => Uint8Array;
}

/** A `bigint` column as a number (pg returns int8 as a string to keep precision; ours fit). */
export function millis(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

/**
 * Runs `fn` in a write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, which takes
 * the write lock up front: a deferred transaction that reads and then writes can fail at
 * once with SQLITE_BUSY when another process (the CLI next to the server) wrote meanwhile,
 * whereas an immediate one waits out the busy timeout. Either all rows are written or none.
 * Inside `fn` use only `trx`: on SQLite the store's one connection is held until it returns.
 */
export async function writeTx<T>(ctx: Ctx, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (ctx.dialect === 'postgres') return ctx.db.transaction().execute(fn);
  return ctx.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A unique or primary-key violation; `constraint` narrows it to one index or column. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const code = errorCode(err);
  const unique =
    code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (!unique || constraint === undefined) return unique;
  const e = err as { constraint?: unknown; message?: unknown };
  return [e.constraint, e.message].some((v) => typeof v === 'string' && v.includes(constraint));
}

export function isForeignKeyViolation(err: unknown): boolean {
  const code = errorCode(err);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EACCES',
  'EPERM',
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'EROFS',
  'ENOSPC',
]);

/**
 * True if the error means the database cannot be used right now (cannot open, locked too
 * long, disk full, server down), rather than a bug in a query.
 */
function isUnavailable(err: unknown): boolean {
  const code = errorCode(err);
  if (code !== undefined) {
    if (UNAVAILABLE_ERRNO.has(code)) return true;
    if (/^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|CORRUPT|NOTADB|PERM|AUTH)/.test(code)) return true;
    // PostgreSQL SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention, 58 system.
    if (/^(08|53|57|58)[0-9A-Z]{3}$/.test(code) || code === '3D000' || code === '28P01' || code === '28000') {
      return true;
    }
  }
  const message = err instanceof Error ? err.message : '';
  // pg's pool and client report these without a code.
  // Kysely after close(): the store is gone for good, which to a caller is "unavailable".
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONN|pool (has ended|is ending)|database connection is not open|The database connection is not open|driver has already been destroyed/i.test(
    message,
  );
}

/**
 * Translates a driver error into the catalogue. Only the driver's code travels in the details:
 * driver messages can quote row values (a unique violation names the key), which may be
 * hashes or addresses that have no place in an error answer.
 */
export function toIwaError(err: unknown): IwaError {
  if (err instanceof IwaError) return err;
  const cause = errorCode(err) ?? (err instanceof Error ? err.name : 'unknown');
  if (isUnavailable(err)) return new IwaError('DATABASE_UNAVAILABLE', { cause });
  const internal = new IwaError('INTERNAL', { cause });
  // Kept off the answer body (toBody ignores it) but available to a server-side debugger.
  Object.defineProperty(internal, 'cause', { value: err, enumerable: false });
  return internal;
}

/** Runs a store operation and rethrows whatever it throws as an `IwaError`. */
export async function guarded<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw toIwaError(err);
  }
}
