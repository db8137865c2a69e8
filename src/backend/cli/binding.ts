/** `outlook-iwa binding list [--mailbox M]` and `binding revoke (--mailbox M | --amurl U --msexchuid X)`. */
import type { Command } from 'commander';
import { IwaError } from '../../protocol/errors.ts';
import type { IdentityBinding } from '../storage/types.ts';
import {
  type CommonOptions,
  badFlag,
  group,
  count,
  listCommand,
  report,
  storeCommand,
  useStore,
  when,
} from './admin.ts';
import { option, tableOr } from './options.ts';

/** `binding list` for humans. */
export const formatBindings = tableOr(
  'No identity-token bindings.',
  ['MAILBOX', 'MSEXCHUID', 'AMURL', 'BOUND'],
  (b: IdentityBinding) => [b.mailbox, b.msexchuid, b.amurl, when(b.createdAt)],
);

/**
 * `outlook-iwa binding …`: the Exchange identity tokens that verified sign-ins tied to a
 * mailbox. Revoking one makes that Outlook sign in with IWA or a password again.
 */
export function bindingCommand(): Command {
  return group(
    'binding',
    'list and revoke Exchange identity-token bindings',
    listCommand(
      'list bindings, newest first',
      'only the bindings of this mailbox',
      (store, filter) => store.bindings.list(filter),
      formatBindings,
    ),
    storeCommand('revoke', 'revoke every binding of a mailbox, or one by --amurl and --msexchuid')
      .addOption(option('--mailbox <mailbox>', 'revoke every binding of this mailbox'))
      .addOption(option('--amurl <url>', 'the binding’s auth-metadata URL'))
      .addOption(option('--msexchuid <id>', 'the binding’s Exchange user id'))
      .action(async (opts: CommonOptions & { mailbox?: string; amurl?: string; msexchuid?: string }) => {
        const byKey = opts.amurl !== undefined || opts.msexchuid !== undefined;
        if (byKey === (opts.mailbox !== undefined)) {
          throw badFlag('mailbox', 'give either --mailbox or --amurl with --msexchuid');
        }
        const revoked = await useStore(opts, async (store) => {
          if (opts.mailbox !== undefined) return store.bindings.revokeMailbox(opts.mailbox);
          if (opts.amurl === undefined || opts.msexchuid === undefined) {
            throw badFlag(
              opts.amurl === undefined ? 'amurl' : 'msexchuid',
              'give --amurl and --msexchuid together',
            );
          }
          const n = await store.bindings.revoke(opts.amurl, opts.msexchuid);
          if (n === 0) throw new IwaError('NOT_FOUND', { field: 'msexchuid' }, 'There is no such binding.');
          return n;
        });
        report(opts, revoked, (n) => `Revoked ${count(n, 'binding')}.`, { revoked });
      }),
  );
}
