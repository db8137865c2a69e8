/**
 * The Extended Protection CAS (`epa_cas.py`): an HTTPS acceptor on python3-gssapi that binds
 * every context to its own certificate's RFC 5929 `tls-server-end-point`, as IIS does with EWS
 * Extended Protection "Required" or "Accept". Started only by the test files that need it, on
 * top of a running lab (its KDC, keytab, NTLM users and EWS stand-in); never by `startLab`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SYSTEM_PYTHON } from './clients.ts';
import type { LabInfo } from './lab.ts';
import { stopChild } from './proc.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
export const EPA_CAS = join(here, 'epa_cas.py');

/** IIS's `extendedProtection tokenChecking` values that the lab models ("None" is the Apache CAS). */
export type EpaMode = 'Required' | 'Accept';

export interface EpaCas {
  readonly mode: EpaMode;
  readonly port: number;
  /** `https://cas.corp.test:<port>/EWS/Exchange.asmx` */
  readonly ewsUrl: string;
  readonly pid: number;
  /** Lines the server wrote on stderr (requests, refusals with the GSSAPI reason; never a token). */
  readonly log: string[];
  stop(): Promise<void>;
}

/** Starts an EPA CAS serving the lab's `cas.corp.test` certificate, in front of the lab's stand-in. */
export async function startEpaCas(lab: LabInfo, mode: EpaMode): Promise<EpaCas> {
  const child: ChildProcess = spawn(
    SYSTEM_PYTHON,
    [
      EPA_CAS,
      '--mode',
      mode,
      '--cert',
      lab.tls.casCertPath,
      '--key',
      lab.tls.casKeyPath,
      '--standin-port',
      String(lab.standin.port),
    ],
    {
      // Built from nothing, like the Apache CAS's: only what the GSSAPI mechanisms need.
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        LANG: 'C.UTF-8',
        KRB5_CONFIG: lab.env.KRB5_CONFIG,
        KRB5_KTNAME: `FILE:${lab.keytabPath}`,
        NTLM_USER_FILE: lab.acceptor.ntlmUserFile,
        KRB5RCACHEDIR: lab.acceptor.rcacheDir,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const log: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (d: string) => log.push(...d.split('\n').filter(Boolean)));
  const stdout = child.stdout;
  if (stdout === null) throw new Error('epa_cas.py: no stdout');
  const rl = createInterface({ input: stdout });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => {
        reject(new Error(`EPA CAS did not start: ${log.join('\n')}`));
      }, 15_000);
      child.once('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`EPA CAS exited (${String(code)}): ${log.join('\n')}`));
      });
      rl.once('line', (line) => {
        clearTimeout(t);
        resolve((JSON.parse(line) as { port: number }).port);
      });
    });
    rl.close();
    stdout.resume();
    return {
      mode,
      port,
      ewsUrl: `https://${lab.hosts.cas}:${port}/EWS/Exchange.asmx`,
      pid: child.pid ?? -1,
      log,
      stop: async () => {
        // Closing stdin ends it; stopChild makes sure (SIGTERM, then SIGKILL) and waits.
        child.stdin?.end();
        await stopChild(child);
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}
