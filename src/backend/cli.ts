import { Command, CommanderError } from 'commander';
import { IwaError } from '../protocol/errors.ts';
import { adminCommand } from './cli/admin.ts';
import { auditCommand } from './cli/audit.ts';
import { bindingCommand } from './cli/binding.ts';
import { diagnoseCommand } from './cli/diagnose.ts';
import { manifestCommand } from './cli/manifest.ts';
import { profileCommand } from './cli/profile.ts';
import { sessionCommand } from './cli/session.ts';
import { serveCommand } from './cli/serve.ts';
import { audienceCommand, clientCommand, keysCommand, tokensCommand } from './cli/tokens.ts';

/** Builds the `outlook-iwa` command tree of `docs/interface.md`. */
export function buildCli(): Command {
  const program = new Command('outlook-iwa')
    .description('Password-free sign-in for Outlook on on-premises Exchange')
    .showHelpAfterError()
    .exitOverride();
  // In `--help` order.
  const commands = [
    serveCommand,
    manifestCommand,
    profileCommand,
    sessionCommand,
    auditCommand,
    diagnoseCommand,
    bindingCommand,
    adminCommand,
    keysCommand,
    audienceCommand,
    clientCommand,
    tokensCommand,
  ];
  for (const make of commands) program.addCommand(make().exitOverride());
  return program;
}

/** Runs the CLI and returns the exit status. Errors go to stderr with their stable code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv);
    // A command may report "ran fine, answer is no" (diagnose) through process.exitCode.
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof IwaError) {
      const details = Object.entries(err.details)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      process.stderr.write(`error ${err.code}: ${err.message}${details ? ` (${details})` : ''}\n`);
      return 2;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
