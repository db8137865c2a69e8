/**
 * The two ways every store reads a query's answer: the first row or none, and how many rows a
 * DELETE removed. Kept apart from `db.ts` (connections and transactions).
 */
import type { DeleteResult } from 'kysely';

/** The first row a query finds, mapped to its domain shape, or null when it finds none. */
export async function firstOrNull<R, T>(
  query: { executeTakeFirst(): Promise<R | undefined> },
  map: (row: R) => T,
): Promise<T | null> {
  const row = await query.executeTakeFirst();
  return row === undefined ? null : map(row);
}

/** Runs a DELETE and says how many rows it removed (drivers report a bigint). */
export async function deletedRows(query: { executeTakeFirst(): Promise<DeleteResult> }): Promise<number> {
  return Number((await query.executeTakeFirst()).numDeletedRows);
}
