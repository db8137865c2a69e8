import { IwaError } from '../../protocol/errors.ts';
import { type Ctx, guarded, writeTx } from './db.ts';
import { mintToken, rowForToken } from './tokens.ts';
import type { AdminCredentialStore } from './types.ts';

/**
 * The admin API's credential: one at a time, `id.secret` like a session token, only the
 * hash of the secret stored. Minting it again requires `rotate`, which replaces the old one
 * in the same transaction, so there is never a moment with two or with none.
 */
export function adminCredentialStore(ctx: Ctx): AdminCredentialStore {
  return {
    mint: (options = {}) =>
      guarded(() =>
        writeTx(ctx, async (trx) => {
          const existing = await trx.selectFrom('admin_credentials').select('id').executeTakeFirst();
          if (existing !== undefined && options.rotate !== true) {
            throw new IwaError(
              'CONFLICT',
              { field: 'rotate' },
              'An admin credential already exists; rotate it to replace it (the old one stops working).',
            );
          }
          await trx.deleteFrom('admin_credentials').execute();
          const { id, token, secretHash } = mintToken(ctx.randomBytes);
          await trx
            .insertInto('admin_credentials')
            .values({ id, secret_hash: secretHash, created_at: ctx.now().getTime() })
            .execute();
          return token;
        }),
      ),

    verify: (credential) =>
      guarded(
        async () =>
          (await rowForToken(credential, (id) =>
            ctx.db
              .selectFrom('admin_credentials')
              .select('secret_hash')
              .where('id', '=', id)
              .executeTakeFirst(),
          )) !== null,
      ),

    exists: () =>
      guarded(
        async () =>
          (await ctx.db.selectFrom('admin_credentials').select('id').executeTakeFirst()) !== undefined,
      ),
  };
}
