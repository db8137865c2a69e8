/** `outlook-iwa session list [--mailbox M]` and `session revoke (ID | --mailbox M)`. */
import type { Command } from 'commander';
import { IwaError } from '../../protocol/errors.ts';
import type { Session } from '../domain.ts';
import {
  type CommonOptions,
  badFlag,
  group,
  count,
  listCommand,
  print,
  printJson,
  storeCommand,
  useStore,
  when,
} from './admin.ts';
import { option, tableOr } from './options.ts';

/** `session list` for humans. */
export const formatSessions = tableOr(
  'No live sessions.',
  ['ID', 'MAILBOX', 'METHOD', 'MECHANISM', 'PROFILE', 'CREATED', 'LAST SEEN', 'EXPIRES'],
  (s: Session) => [
    s.id,
    s.mailbox,
    s.method,
    s.mechanism ?? '-',
    s.profile,
    when(s.createdAt),
    when(s.lastSeenAt),
    when(s.expiresAt < s.idleExpiresAt ? s.expiresAt : s.idleExpiresAt),
  ],
);

/** `outlook-iwa session …`. */
export function sessionCommand(): Command {
  return group(
    'session',
    'list and revoke sign-in sessions',
    listCommand(
      'list live sessions, newest first',
      'only the sessions of this mailbox',
      (store, filter) => store.sessions.list(filter),
      formatSessions,
    ),
    storeCommand('revoke', 'revoke one session by ID, or every session of a mailbox')
      .argument('[id]', 'session ID (from `session list`)')
      .addOption(option('--mailbox <mailbox>', 'revoke every session of this mailbox'))
      .action(async (id: string | undefined, opts: CommonOptions & { mailbox?: string }) => {
        if ((id === undefined) === (opts.mailbox === undefined)) {
          throw badFlag('id', 'give either a session ID or --mailbox, not both and not neither');
        }
        // A mailbox's identity-token bindings end with its sessions.
        const { sessions: revoked, bindings } = await useStore(opts, async (store) => {
          if (opts.mailbox !== undefined) return store.revokeMailbox(opts.mailbox);
          if (!(await store.sessions.revoke(id ?? ''))) {
            throw new IwaError('NOT_FOUND', { field: 'id' }, 'There is no such session.');
          }
          return { sessions: 1, bindings: 0 };
        });
        if (opts.json === true) {
          printJson(opts.mailbox === undefined ? { revoked } : { revoked, revokedBindings: bindings });
        } else if (opts.mailbox === undefined) print(`Revoked session ${id ?? ''}.`);
        else
          print(
            `Revoked ${count(revoked, 'session')} and ${count(bindings, 'identity-token binding')} of ${opts.mailbox.trim().toLowerCase()}.`,
          );
      }),
  );
}
