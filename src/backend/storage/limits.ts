/**
 * The sign-in limits' counters in the database (`limit_counters`), so several instances on one
 * PostgreSQL share one budget per account and per address. Each step runs in one transaction
 * that first takes a transaction-scoped advisory lock per key (sorted, so two steps cannot
 * deadlock); a key that has no row yet is locked too, which a `SELECT … FOR UPDATE` could not
 * do. Writes are upserts. Bounded per class like the in-process store.
 *
 * @see https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 * @module
 */
import { sql } from 'kysely';
import type { Counter } from '../limits/policy.ts';
import {
  DEFAULT_LIMIT_CAPACITY,
  type LimitCapacity,
  type LimitClass,
  type LimitStep,
  type LimitStore,
  type LimitKey,
} from '../limits/store.ts';
import { type Ctx, type Db, guarded, millis, writeTx } from './db.ts';

/** Namespace of our advisory locks (the migration lock uses the one-argument form). */
const LOCK_SPACE = 0x6c696d; // "lim"

export function dbLimitStore(ctx: Ctx, capacity: LimitCapacity = DEFAULT_LIMIT_CAPACITY): LimitStore {
  const sweep = (db: Db, now: number, cls?: LimitClass) => {
    let q = db.deleteFrom('limit_counters').where('expires_at', '<=', now);
    if (cls !== undefined) q = q.where('class', '=', cls);
    return q.executeTakeFirst();
  };
  const live = async (db: Db, cls: LimitClass, now: number): Promise<number> => {
    const row = await db
      .selectFrom('limit_counters')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('class', '=', cls)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return millis(row?.n ?? 0);
  };

  return {
    step<T>(keys: readonly LimitKey[], step: LimitStep<T>): Promise<T> {
      return guarded(() =>
        writeTx(ctx, async (trx) => {
          const names = [...new Set(keys.map((k) => k.key))].sort();
          if (ctx.dialect === 'postgres') {
            for (const name of names) {
              await sql`select pg_advisory_xact_lock(${LOCK_SPACE}, hashtext(${name}))`.execute(trx);
            }
          }
          const now = ctx.now().getTime();
          const rows =
            names.length === 0
              ? []
              : await trx.selectFrom('limit_counters').selectAll().where('key', 'in', names).execute();
          const byKey = new Map(
            rows
              .filter((r) => millis(r.expires_at) > now)
              .map((r) => [
                r.key,
                { count: r.count, at: millis(r.at), expiresAt: millis(r.expires_at), ref: r.ref },
              ]),
          );
          const current = keys.map((k) => byKey.get(k.key));
          const roomOf = new Map<LimitClass, boolean>();
          const hasRoom = async (cls: LimitClass): Promise<boolean> => {
            let room = roomOf.get(cls);
            if (room === undefined) {
              room = (await live(trx, cls, now)) < capacity[cls];
              roomOf.set(cls, room);
            }
            return room;
          };
          const room: boolean[] = [];
          for (const [i, k] of keys.entries())
            room.push(current[i] !== undefined || (await hasRoom(k.class)));
          const { result, writes } = step(now, current, room);
          for (const [i, k] of keys.entries()) {
            const w = writes[i];
            if (w === undefined) continue;
            if (w === null) {
              await trx.deleteFrom('limit_counters').where('key', '=', k.key).execute();
            } else if (room[i] === true) {
              await upsert(trx, k, w);
            }
          }
          // A full class: forget what has expired, so the next new key finds room.
          if ([...roomOf.values()].includes(false)) await sweep(trx, now);
          return result;
        }),
      );
    },

    sweep: () =>
      guarded(async () => {
        const result = await sweep(ctx.db, ctx.now().getTime());
        return Number(result.numDeletedRows);
      }),

    size: () =>
      guarded(async () => {
        const now = ctx.now().getTime();
        return { address: await live(ctx.db, 'address', now), account: await live(ctx.db, 'account', now) };
      }),
  };
}

async function upsert(db: Db, k: LimitKey, c: Counter): Promise<void> {
  const values = { count: c.count, at: c.at, expires_at: c.expiresAt, ref: c.ref };
  await db
    .insertInto('limit_counters')
    .values({ key: k.key, class: k.class, ...values })
    .onConflict((oc) => oc.column('key').doUpdateSet(values))
    .execute();
}
