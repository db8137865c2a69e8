import type { Command } from 'commander';
import { type CommonOptions, command, print, printJson, useStore, withCommonOptions } from './admin.ts';
import { option } from './options.ts';

/** `outlook-iwa diagnose MAILBOX`: the CAS probe, step by step; exit 0 only if IWA can work. */
export function diagnoseCommand(): Command {
  return withCommonOptions(
    command(
      'diagnose',
      "run the CAS probe of the mailbox's effective profile, step by step; exit 0 only if IWA can work",
    )
      .argument('<mailbox>', 'the SMTP address to diagnose')
      .addOption(option('--resolve <host:ip,...>', 'pin CAS host names to addresses instead of asking DNS')),
  ).action(async (mailbox: string, opts: CommonOptions & { resolve?: string }) => {
    // The relay's transport (undici, TLS probes) is loaded only by the command that uses it.
    const [{ Diagnoser }, { lookupWithOverrides, parseResolveOverrides }] = await Promise.all([
      import('../relay/diagnose.ts'),
      import('../resolve.ts'),
    ]);
    const lookup = lookupWithOverrides(parseResolveOverrides(opts.resolve));
    const report = await useStore(opts, (store) =>
      new Diagnoser({ effectiveProfile: (m) => store.profiles.effective(m), lookup }).diagnose(mailbox),
    );
    if (opts.json === true) printJson(report);
    else {
      print(
        `${report.mailbox} (profile ${report.profile ?? 'none'}): ${report.ok ? 'IWA can work' : 'IWA cannot work'}`,
      );
      for (const step of report.steps) {
        print(`  ${step.ok ? 'ok  ' : 'FAIL'} ${step.name.padEnd(20)} ${step.detail}`);
        if (step.remedy !== undefined) print(`       fix: ${step.remedy}`);
      }
    }
    if (!report.ok) process.exitCode = 3;
  });
}
