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

/** A date for tables: ISO 8601 to the second, UTC. */
export function when(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Throws `INPUT_INVALID` naming a flag, for checks commander cannot express. */
export function badFlag(field: string, problem: string): IwaError {
  return new IwaError('INPUT_INVALID', { field, problem }, `Invalid ${field}: ${problem}.`);
}

/** `outlook-iwa admin …`: the admin API's credential. */
export function adminCommand(): Command {
  const admin = command('admin', 'the admin API credential');
  const token = withCommonOptions(
    command(
      'token',
      'mint the admin API credential (shown once; only its hash is stored). Use it as "Authorization: Bearer <credential>"',
    ),
  )
    .addOption(option('--rotate', 'replace the existing credential; the old one stops working'))
    .action(async (opts: CommonOptions & { rotate?: boolean }) => {
      const credential = await useStore(opts, (store) =>
        store.adminCredentials.mint({ rotate: opts.rotate === true }),
      );
      if (opts.json === true) {
        printJson({ credential, rotated: opts.rotate === true });
      } else {
        // The credential alone on stdout, so `$(outlook-iwa admin token)` captures it.
        print(credential);
        process.stderr.write(
          'This is the only time the admin credential is shown; store it now. ' +
            'Send it as "Authorization: Bearer <credential>" to /api/admin/….\n',
        );
      }
    });
  admin.addCommand(token);
  return admin;
}
