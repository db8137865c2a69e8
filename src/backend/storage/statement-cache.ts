/**
 * better-sqlite3 behind Kysely with each SQL text prepared once. Kysely's SQLite driver calls
 * `prepare` for every query; SQLite's own compile of the statement was a visible part of a
 * sign-in's storage time (docs/performance.md). Statements are reusable, and SQLite
 * re-prepares one by itself when the schema changes under it (sqlite3_prepare_v2).
 *
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Enough for every query shape the store builds; a bound keeps a stream of distinct SQL texts
 * (an `IN` list of every length, say) from growing it without end. The oldest is dropped.
 */
export const STATEMENT_CACHE_SIZE = 256;

/** `database` for Kysely's `SqliteDialect`, preparing each distinct SQL text once. */
export function preparedOnce(db: BetterSqlite3.Database, max = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        if (statements.size >= max) {
          const oldest = statements.keys().next();
          if (oldest.done !== true) statements.delete(oldest.value);
        }
        statements.set(sql, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      db.close();
    },
  };
}
