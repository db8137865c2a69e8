/**
 * `outlook-iwa admin token [--rotate]`, and the small helpers the admin commands
 * (`profile`, `session`, `audit`, `admin`) share: leaf commands that report bad input in the
 * error catalogue's format, opening the store, and printing.
 */
import { Command } from 'commander';
import { IwaError } from '../../protocol/errors.ts';
import type { Store } from '../storage/types.ts';
import { databaseOption, option } from './options.ts';

/**
 * Rewrites commander's own complaints ("error: unknown option '--bogus'") into the catalogue
 * format that `main()` uses for ours, so scripts see one shape: `error CODE: … (field=…)`.
 */
export function commanderErrorLine(text: string): string {
  const body = text.trim().replace(/^error:\s*/, '');
  const field = /'(--?[a-z0-9-]+)/i.exec(body)?.[1] ?? /argument '([^']+)'/.exec(body)?.[1];
  return `error INPUT_INVALID: ${body}${field === undefined ? '' : ` (field=${field})`}\n`;
}

/** A command that throws instead of exiting and reports usage errors as `INPUT_INVALID`. */
export function command(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      outputError: (text, write) => {
        write(commanderErrorLine(text));
      },
    });
}

/** A command that only groups others (`profile`, `keys`, …). */
export function group(name: string, description: string, ...subcommands: Command[]): Command {
  const parent = command(name, description);
  for (const sub of subcommands) parent.addCommand(sub);
  return parent;
}

/** Adds `--database` and `--json`, the options every admin leaf command has. */
export function withCommonOptions(cmd: Command, json = true): Command {
  cmd.addOption(databaseOption());
  if (json) cmd.addOption(option('--json', 'print JSON instead of a table'));
  return cmd;
}

export interface CommonOptions {
  readonly database: string;
  readonly json?: boolean;
}

/** An admin leaf command: `command()` with `--database`, and `--json` unless `json` is false. */
export function storeCommand(name: string, description: string, json = true): Command {
  return withCommonOptions(command(name, description), json);
}

/** Opens the store named by `--database` for the length of one command. */
export async function useStore<T>(opts: CommonOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  // Loaded on use, so `--help` and commands that fail on their flags start without the drivers.
  const { withStore } = await import('../storage/index.ts');
  return withStore(opts.database, fn);
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/**
 * Prints a command's answer the one way every admin command does: `json` (the result itself
 * unless given) under `--json`, else `text(result)` for humans.
 */
export function report<T>(
  opts: CommonOptions,
  result: T,
  text: (result: T) => string,
  json: unknown = result,
): void {
  if (opts.json === true) printJson(json);
  else print(text(result));
}

/** Says how many of a thing: `1 session`, `2 sessions`; `plural` for irregular nouns. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** A command without arguments that reads from the store and reports what it read. */
export function readCommand<T>(
  name: string,
  description: string,
  read: (store: Store) => Promise<T>,
  format: (result: T) => string,
): Command {
  return storeCommand(name, description).action(async (opts: CommonOptions) => {
    report(opts, await useStore(opts, read), format);
  });
}

/**
 * `<thing> remove NAME`: deletes a named row, `NOT_FOUND` when there was none, and says
 * `done(name)` (or `{ removed: name }` as JSON).
 */
export function removeCommand(
  what: string,
  description: string,
  remove: (store: Store, name: string) => Promise<boolean>,
  done: (name: string) => string,
): Command {
  return storeCommand('remove', description)
    .argument('<name>')
    .action(async (name: string, opts: CommonOptions) => {
      if (!(await useStore(opts, (store) => remove(store, name)))) throw notFound(what, name);
      report(opts, name, done, { removed: name });
    });
}

/**
 * `<thing> list [--mailbox M]`: rows from the store, all or only one mailbox's, printed by
 * `format` or as JSON.
 */
export function listCommand<T>(
  description: string,
  mailboxHelp: string,
  list: (store: Store, filter: { mailbox?: string }) => Promise<T>,
  format: (rows: T) => string,
): Command {
  return storeCommand('list', description)
    .addOption(option('--mailbox <mailbox>', mailboxHelp))
    .action(async (opts: CommonOptions & { mailbox?: string }) => {
      const rows = await useStore(opts, (store) =>
        list(store, opts.mailbox === undefined ? {} : { mailbox: opts.mailbox }),
      );
      report(opts, rows, format);
    });
}

/** A date for tables: ISO 8601 to the second, UTC. */
export function when(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Throws `INPUT_INVALID` naming a flag, for checks commander cannot express. */
export function badFlag(field: string, problem: string): IwaError {
  return new IwaError('INPUT_INVALID', { field, problem }, `Invalid ${field}: ${problem}.`);
}

/**
 * Shows a credential just minted, the only time it is ever shown: `json` under `--json`,
 * else the credential alone on stdout (so `$(outlook-iwa …)` captures it) and on stderr the
 * warning to store it and where to send it.
 */
export function showCredential(
  opts: CommonOptions,
  credential: string,
  json: unknown,
  to: { readonly whose: string; readonly path: string },
): void {
  if (opts.json === true) {
    printJson(json);
    return;
  }
  print(credential);
  process.stderr.write(
    `This is the only time ${to.whose} is shown; store it now. ` +
      `Send it as "Authorization: Bearer <credential>" to ${to.path}.\n`,
  );
}

/** `NOT_FOUND` for a named thing an admin asked for (`There is no profile named x.`). */
export function notFound(what: string, name: string): IwaError {
  return new IwaError('NOT_FOUND', { field: 'name', name }, `There is no ${what} named ${name}.`);
}

/** `outlook-iwa admin …`: the admin API's credential. */
export function adminCommand(): Command {
  const token = storeCommand(
    'token',
    'mint the admin API credential (shown once; only its hash is stored). Use it as "Authorization: Bearer <credential>"',
  )
    .addOption(option('--rotate', 'replace the existing credential; the old one stops working'))
    .action(async (opts: CommonOptions & { rotate?: boolean }) => {
      const credential = await useStore(opts, (store) =>
        store.adminCredentials.mint({ rotate: opts.rotate === true }),
      );
      showCredential(
        opts,
        credential,
        { credential, rotated: opts.rotate === true },
        {
          whose: 'the admin credential',
          path: '/api/admin/…',
        },
      );
    });
  return group('admin', 'the admin API credential', token);
}
