import type { Selectable } from 'kysely';
import { z } from 'zod';
import { isErrorCode } from '../../protocol/errors.ts';
import { inputError } from '../profiles/schema.ts';
import { type Ctx, type Db, guarded, millis } from './db.ts';
import { deletedRows } from './queries.ts';
import type { AuditTable } from './schema.ts';
import type { AuditStore } from './types.ts';
import {
  METHODS,
  type AuditEntry,
  type AuditReason,
  type Mechanism,
  type Method,
  type Outcome,
} from '../domain.ts';

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 10_000;

/** Caps keep a hostile claim (a megabyte "mailbox") from bloating the log. */
const cap = (max: number) => z.string().transform((s) => s.slice(0, max));

/**
 * What may be recorded. There is no field for a token, a challenge or a password, and the
 * reason must look like a catalogue code, so free text cannot smuggle one in.
 */
const entrySchema = z.strictObject({
  at: z.date(),
  clientAddress: cap(100),
  claimedMailbox: cap(320).nullable(),
  provenMailbox: cap(320).nullable(),
  method: z.enum(METHODS),
  mechanism: z.enum(['kerberos', 'ntlm']).nullable(),
  outcome: z.enum(['success', 'failure']),
  reason: z.custom<AuditReason>((r) => r === 'OK' || isErrorCode(r), 'must be OK or an error catalogue code'),
  profile: cap(64).nullable(),
  account: cap(256).nullable().optional(),
  msexchuid: cap(256).nullable().optional(),
});

function toEntry(row: Selectable<AuditTable>): AuditEntry {
  return {
    at: new Date(millis(row.at)),
    clientAddress: row.client_address,
    claimedMailbox: row.claimed_mailbox,
    provenMailbox: row.proven_mailbox,
    method: row.method as Method,
    mechanism: row.mechanism as Mechanism | null,
    outcome: row.outcome as Outcome,
    reason: row.reason as AuditReason,
    profile: row.profile,
    ...(row.account === null ? {} : { account: row.account }),
    ...(row.msexchuid === null ? {} : { msexchuid: row.msexchuid }),
  };
}

/**
 * Validates and inserts one audit row through `db` (the store's connection, or the transaction
 * that also issues the sign-in's session: storage/sign-in.ts).
 */
export async function insertAudit(db: Db, entry: AuditEntry): Promise<void> {
  const parsed = entrySchema.safeParse(entry);
  if (!parsed.success) throw inputError(parsed.error);
  const e = parsed.data;
  await db
    .insertInto('audit_log')
    .values({
      at: e.at.getTime(),
      client_address: e.clientAddress,
      claimed_mailbox: e.claimedMailbox,
      proven_mailbox: e.provenMailbox,
      method: e.method,
      mechanism: e.mechanism,
      outcome: e.outcome,
      reason: e.reason,
      profile: e.profile,
      account: e.account ?? null,
      msexchuid: e.msexchuid ?? null,
    })
    .execute();
}

/** The sign-in audit trail over Kysely. */
export function auditStore(ctx: Ctx): AuditStore {
  return {
    record: (entry) => guarded(() => insertAudit(ctx.db, entry)),

    query: (q = {}) =>
      guarded(async () => {
        let query = ctx.db.selectFrom('audit_log').selectAll();
        if (q.mailbox !== undefined) {
          const mailbox = q.mailbox.trim().toLowerCase();
          query = query.where((eb) =>
            eb.or([eb('claimed_mailbox', '=', mailbox), eb('proven_mailbox', '=', mailbox)]),
          );
        }
        if (q.since !== undefined) query = query.where('at', '>=', q.since.getTime());
        if (q.until !== undefined) query = query.where('at', '<', q.until.getTime());
        const limit = Math.min(Math.max(Math.trunc(q.limit ?? AUDIT_DEFAULT_LIMIT), 1), AUDIT_MAX_LIMIT);
        const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
        return rows.map(toEntry);
      }),

    prune: (olderThan) =>
      guarded(() => deletedRows(ctx.db.deleteFrom('audit_log').where('at', '<', olderThan.getTime()))),
  };
}
