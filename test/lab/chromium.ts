/**
 * Debian's Chromium, driven by playwright-core, doing Negotiate on its own against the lab.
 * Flags and the pre-written `Local State` follow the lab notes: a fresh profile refuses
 * Negotiate until it has seen a Negotiate header before, and without
 * `disable_negotiate_cname_lookup` it would ask for HTTP/127.0.0.1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { kinit, krbEnv, missingCcache } from './clients.ts';
import type { LabInfo, LabUser } from './lab.ts';
import { killPid } from './proc.ts';

export const CHROMIUM = '/usr/bin/chromium';

export interface ChromiumOptions {
  /** Whose credentials the browser holds (ignored for mech 'none'). */
  user?: LabUser;
  /** krb5: a TGT in KRB5CCNAME; ntlm: NTLM_USER_FILE with a missing ccache; none: nothing. */
  mech: 'krb5' | 'ntlm' | 'none';
  /** Bound for launch and close. */
  timeoutMs?: number;
  /** Extra Chromium switches. */
  args?: string[];
}

export interface LabChromium {
  context: BrowserContext;
  /** A first page, ready to use. */
  page: Page;
  userDataDir: string;
  close(): Promise<void>;
}

export function chromiumArgs(): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-proxy-server',
    '--auth-server-allowlist=*.corp.test',
    '--host-resolver-rules=MAP cas.corp.test 127.0.0.1, MAP relay.corp.test 127.0.0.1, MAP * ~NOTFOUND',
    '--ignore-certificate-errors',
  ];
}

function pidsUsingProfile(userDataDir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.includes(`--user-data-dir=${userDataDir}\0`)) out.push(Number(name));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => {
        reject(new Error(`${what} timed out after ${ms} ms`));
      }, ms).unref(),
    ),
  ]);

export async function launchChromium(lab: LabInfo, o: ChromiumOptions): Promise<LabChromium> {
  const timeoutMs = o.timeoutMs ?? 30_000;
  await mkdir(join(lab.dir, 'chromium'), { recursive: true });
  const userDataDir = await mkdtemp(join(lab.dir, 'chromium', 'profile-'));
  await writeFile(
    join(userDataDir, 'Local State'),
    JSON.stringify({
      net: { received_http_auth_negotiate_headers: true },
      auth: { disable_negotiate_cname_lookup: true },
    }),
  );
  const env = krbEnv(lab, { HOME: userDataDir });
  if (o.mech === 'krb5') {
    if (o.user === undefined) throw new Error('launchChromium: mech krb5 needs a user');
    env.KRB5CCNAME = `FILE:${await kinit(lab, o.user)}`;
  } else {
    env.KRB5CCNAME = `FILE:${missingCcache(lab)}`;
    if (o.mech === 'ntlm') {
      if (o.user === undefined) throw new Error('launchChromium: mech ntlm needs a user');
      env.NTLM_USER_FILE = lab.users[o.user].ntlmUserFile;
    }
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...chromiumArgs(), ...(o.args ?? [])],
    env: env,
    ignoreHTTPSErrors: true,
    timeout: timeoutMs,
  });
  context.setDefaultTimeout(timeoutMs);
  context.setDefaultNavigationTimeout(timeoutMs);
  const page = context.pages()[0] ?? (await context.newPage());
  let closed: Promise<void> | undefined;
  return {
    context,
    page,
    userDataDir,
    close: () => {
      closed ??= (async () => {
        await withTimeout(context.close(), 10_000, 'closing Chromium').catch(() => undefined);
        // A persistent context has no Browser handle to kill; if close() hung, end the
        // processes that use this profile (by pid, found through their command line).
        for (const pid of pidsUsingProfile(userDataDir)) killPid(pid, 'SIGKILL');
        await rm(userDataDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
