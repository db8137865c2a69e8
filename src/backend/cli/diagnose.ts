import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { IwaError } from '../../protocol/errors.ts';
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
      .addOption(option('--resolve <host:ip,...>', 'pin CAS host names to addresses instead of asking DNS'))
      .addOption(
        option(
          '--tls-cert <pem>',
          "the certificate `serve` presents (as for serve): compared with the CAS's for Extended Protection",
        ),
      ),
  ).action(async (mailbox: string, opts: CommonOptions & { resolve?: string; tlsCert?: string }) => {
    // The CAS transport (TLS, HTTP/1.1, probes) is loaded only by the command that uses it.
    const [{ Diagnoser }, { CasClient }, { lookupWithOverrides, parseResolveOverrides }] = await Promise.all([
      import('../relay/diagnose.ts'),
      import('../cas/client.ts'),
      import('../resolve.ts'),
    ]);
    const lookup = lookupWithOverrides(parseResolveOverrides(opts.resolve));
    const serving = opts.tlsCert === undefined ? undefined : readCertificate(opts.tlsCert);
    // No spares: the command makes one connection and exits.
    const cas = new CasClient({ clock: { now: () => new Date() }, lookup, efficiency: { spares: 0 } });
    const report = await useStore(opts, (store) =>
      new Diagnoser({
        effectiveProfile: (m) => store.profiles.effective(m),
        cas,
        servingCertificate: () => serving,
      }).diagnose(mailbox),
    ).finally(() => {
      cas.close();
    });
    if (opts.json === true) printJson(report);
    else {
      print(
        `${report.mailbox} (profile ${report.profile ?? 'none'}): ${report.ok ? 'IWA can work' : 'IWA cannot work'}`,
      );
      for (const step of report.steps) {
        const mark = !step.ok ? 'FAIL' : step.warning === true ? 'WARN' : 'ok  ';
        print(`  ${mark} ${step.name.padEnd(20)} ${step.outcome ?? step.detail}`);
        if (step.outcome !== undefined) print(`       ${step.detail}`);
        if (step.remedy !== undefined) print(`       fix: ${step.remedy}`);
      }
    }
    if (!report.ok) process.exitCode = 3;
  });
}

function readCertificate(file: string): X509Certificate {
  try {
    return new X509Certificate(readFileSync(file));
  } catch {
    throw new IwaError('CONFIG_INVALID', { flag: '--tls-cert', problem: 'not a readable PEM certificate' });
  }
}
