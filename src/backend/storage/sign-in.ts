/**
 * A successful sign-in's writes: the session and its audit row, in one transaction, so there
 * is never a session the audit trail does not show, nor a success row without its session
 * (docs/architecture.md §6).
 */
import { insertAudit } from './audit.ts';
import { type Ctx, guarded, writeTx } from './db.ts';
import { insertSession } from './sessions.ts';
import type { SignInRecordStore } from './types.ts';

export function signInRecordStore(ctx: Ctx): SignInRecordStore {
  return {
    succeeded: (session, audit) =>
      guarded(() =>
        writeTx(ctx, async (trx) => {
          const issued = await insertSession(ctx, trx, session);
          await insertAudit(trx, audit);
          return issued;
        }),
      ),
  };
}
