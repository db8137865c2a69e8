/**
 * A private MIT KDC for realm CORP.TEST on a loopback port. The database, stash, configs and
 * logs all live under the lab directory; KRB5_CONFIG and KRB5_KDC_PROFILE point at them, so
 * the system's /etc/krb5.conf and any system KDC are never read or touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOk, waitForTcp } from './proc.ts';

export const REALM = 'CORP.TEST';

export interface KdcFiles {
  krb5Conf: string;
  kdcConf: string;
  keytab: string;
  log: string;
}

export interface KdcUser {
  login: string;
  password: string;
}

export function krb5Conf(dir: string, kdcPort: number): string {
  return `# Outlook IWA test lab: client/acceptor configuration (KRB5_CONFIG).
[libdefaults]
  default_realm = ${REALM}
  # Without these three, service names are rewritten through DNS and lookups fail.
  dns_canonicalize_hostname = false
  rdns = false
  dns_lookup_kdc = false
  dns_lookup_realm = false
  # Keep every tool away from the default /tmp/krb5cc_<uid> cache.
  default_ccache_name = FILE:${join(dir, 'ccache', 'default')}
  forwardable = true
  ticket_lifetime = 10h

[realms]
  ${REALM} = {
    kdc = 127.0.0.1:${kdcPort}
  }

[domain_realm]
  .corp.test = ${REALM}
  corp.test = ${REALM}
`;
}

function kdcConf(dir: string, kdcPort: number): string {
  const k = join(dir, 'kdc');
  return `# Outlook IWA test lab: KDC configuration (KRB5_KDC_PROFILE).
[kdcdefaults]
  kdc_listen = 127.0.0.1:${kdcPort}
  kdc_tcp_listen = 127.0.0.1:${kdcPort}

[realms]
  ${REALM} = {
    database_name = ${join(k, 'principal')}
    key_stash_file = ${join(k, 'stash')}
    acl_file = ${join(k, 'kadm5.acl')}
    kdc_listen = 127.0.0.1:${kdcPort}
    kdc_tcp_listen = 127.0.0.1:${kdcPort}
    max_life = 10h
    max_renewable_life = 1d
  }

[logging]
  kdc = FILE:${join(k, 'kdc.log')}
  default = FILE:${join(k, 'kdc.log')}
`;
}

export async function writeKdcConfig(dir: string, kdcPort: number): Promise<KdcFiles> {
  await mkdir(join(dir, 'kdc'), { recursive: true, mode: 0o700 });
  await mkdir(join(dir, 'ccache'), { recursive: true, mode: 0o700 });
  const files: KdcFiles = {
    krb5Conf: join(dir, 'krb5.conf'),
    kdcConf: join(dir, 'kdc', 'kdc.conf'),
    keytab: join(dir, 'cas.keytab'),
    log: join(dir, 'kdc', 'kdc.log'),
  };
  await writeFile(files.krb5Conf, krb5Conf(dir, kdcPort), { mode: 0o644 });
  await writeFile(files.kdcConf, kdcConf(dir, kdcPort), { mode: 0o600 });
  await writeFile(join(dir, 'kdc', 'kadm5.acl'), '', { mode: 0o600 });
  return files;
}

function kdcEnv(files: KdcFiles): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    KRB5_CONFIG: files.krb5Conf,
    KRB5_KDC_PROFILE: files.kdcConf,
  };
}

/**
 * Creates the database, the users (with passwords) and the HTTP services (random keys), and
 * exports both HTTP principals into the CAS keytab.
 */
export async function createRealm(
  files: KdcFiles,
  users: readonly KdcUser[],
  spns: readonly string[],
): Promise<void> {
  const env = kdcEnv(files);
  // The master password only protects the throw-away database; it is random and never shown.
  const master = randomBytes(18).toString('base64url');
  await runOk('kdb5_util', ['create', '-s', '-r', REALM, '-P', master], { env, timeoutMs: 15_000 });
  // One kadmin.local session for everything: each start opens the database again.
  const script = [
    ...users.map((u) => `addprinc -pw ${u.password} ${u.login}@${REALM}`),
    ...spns.map((s) => `addprinc -randkey ${s}@${REALM}`),
    `ktadd -k ${files.keytab} ${spns.map((s) => `${s}@${REALM}`).join(' ')}`,
    'quit',
    '',
  ].join('\n');
  const r = await runOk('kadmin.local', ['-r', REALM], { env, input: script, timeoutMs: 15_000 });
  // kadmin.local reports failures on stderr but still exits 0.
  const bad = r.stderr.split('\n').filter((l) => /error|failed|unknown/i.test(l));
  if (bad.length > 0) throw new Error(`kadmin.local: ${bad.join('; ')}`);
}

/** Starts krb5kdc in the foreground (-n) so that we own its pid and its exit. */
export async function startKdc(files: KdcFiles, port: number): Promise<ChildProcess> {
  const child = spawn('krb5kdc', ['-n', '-r', REALM], {
    env: kdcEnv(files),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await waitForTcp(port, {
    timeoutMs: 10_000,
    alive: () =>
      child.exitCode !== null || child.signalCode !== null
        ? `krb5kdc exited early (${String(child.exitCode)}): ${stderr.trim()}`
        : undefined,
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    const log = await readFile(files.log, 'utf8').catch(() => '');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${log.slice(-2000)}`, {
      cause: err,
    });
  });
  return child;
}
