import type { Selectable } from 'kysely';
import { IwaError } from '../../protocol/errors.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { type Ctx, guarded, isUniqueViolation, millis } from './db.ts';
import { deletedRows, firstOrNull } from './queries.ts';
import type { IdentityBindingsTable } from './schema.ts';
import type { BindingStore, IdentityBinding } from './types.ts';

/** `amurl` is a URL and `msexchuid` an opaque id; both are bounded to keep rows small. */
const MAX_KEY_LENGTH = 2048;

function toBinding(row: Selectable<IdentityBindingsTable>): IdentityBinding {
  return {
    amurl: row.amurl,
    msexchuid: row.msexchuid,
    mailbox: row.mailbox,
    createdAt: new Date(millis(row.created_at)),
  };
}

function checkKey(field: 'amurl' | 'msexchuid', value: string): void {
  if (value.length === 0 || value.length > MAX_KEY_LENGTH) {
    throw new IwaError('INPUT_INVALID', { field, problem: `must hold 1 to ${MAX_KEY_LENGTH} characters` });
  }
}

/** Exchange identity-token bindings (amurl, msexchuid) → mailbox over Kysely. */
export function bindingStore(ctx: Ctx): BindingStore {
  return {
    bind: ({ amurl, msexchuid, mailbox, sessionId }) =>
      guarded(async () => {
        checkKey('amurl', amurl);
        checkKey('msexchuid', msexchuid);
        const row = {
          amurl,
          msexchuid,
          mailbox: parseMailbox(mailbox),
          created_at: ctx.now().getTime(),
          session_id: sessionId ?? null,
        };
        const once = () =>
          new IwaError('CONFLICT', { field: 'sessionId' }, 'This session already made a binding.');
        if (sessionId !== undefined) {
          const used = await ctx.db
            .selectFrom('identity_bindings')
            .select('amurl')
            .where('session_id', '=', sessionId)
            .executeTakeFirst();
          if (used !== undefined) throw once();
        }
        try {
          await ctx.db
            .insertInto('identity_bindings')
            .values(row)
            .onConflict((oc) =>
              oc.columns(['amurl', 'msexchuid']).doUpdateSet({
                mailbox: row.mailbox,
                created_at: row.created_at,
                session_id: row.session_id,
              }),
            )
            .execute();
        } catch (err) {
          // Two binds with one session raced past the check above.
          if (isUniqueViolation(err, 'session')) throw once();
          throw err;
        }
        return toBinding(row);
      }),

    lookup: (amurl, msexchuid) =>
      guarded(() =>
        firstOrNull(
          ctx.db
            .selectFrom('identity_bindings')
            .selectAll()
            .where('amurl', '=', amurl)
            .where('msexchuid', '=', msexchuid),
          toBinding,
        ),
      ),

    list: (filter = {}) =>
      guarded(async () => {
        let query = ctx.db.selectFrom('identity_bindings').selectAll();
        if (filter.mailbox !== undefined) query = query.where('mailbox', '=', parseMailbox(filter.mailbox));
        const rows = await query
          .orderBy('created_at', 'desc')
          .orderBy('amurl')
          .orderBy('msexchuid')
          .execute();
        return rows.map(toBinding);
      }),

    revoke: (amurl, msexchuid) =>
      guarded(() =>
        deletedRows(
          ctx.db
            .deleteFrom('identity_bindings')
            .where('amurl', '=', amurl)
            .where('msexchuid', '=', msexchuid),
        ),
      ),

    prune: (olderThan) =>
      guarded(() =>
        deletedRows(ctx.db.deleteFrom('identity_bindings').where('created_at', '<', olderThan.getTime())),
      ),

    revokeMailbox: (mailbox) =>
      guarded(() =>
        deletedRows(ctx.db.deleteFrom('identity_bindings').where('mailbox', '=', parseMailbox(mailbox))),
      ),
  };
}
