/**
 * The test lab: a real MIT KDC (realm CORP.TEST), Apache httpd with mod_auth_gssapi and
 * gss-ntlmssp playing the Exchange CAS, and the EWS stand-in behind it — all on loopback,
 * on ports the kernel picks, built from scratch in a fresh temp directory on every start.
 *
 * `startLab()` returns a {@link Lab}; its `info` ({@link LabInfo}) is plain JSON, so Vitest's
 * global setup can `provide` it to tests, which pass it to the client helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startApache, type ApacheConfig } from './apache.ts';
import { MAILBOXES } from './ews-xml.ts';
import { REALM, createRealm, startKdc, writeKdcConfig } from './kdc.ts';
import { makePki, readPem } from './pki.ts';
import { childPids, freePort, killPid, pidAlive, releasePorts, stopChild } from './proc.ts';

export const LAB_USERS = ['alice', 'bob', 'carol'] as const;
export type LabUser = (typeof LAB_USERS)[number];

export const CAS_HOST = 'cas.corp.test';
export const RELAY_HOST = 'relay.corp.test';
export const NTLM_DOMAIN = 'CORP';

// Fixed, lab-only passwords: tests need to know them, and nothing real uses them.
const PASSWORDS: Readonly<Record<LabUser, string>> = {
  alice: 'Alice-Lab-Pass-1',
  bob: 'Bob-Lab-Pass-2',
  carol: 'Carol-Lab-Pass-3',
};

export interface LabUserInfo {
  login: LabUser;
  password: string;
  /** Kerberos principal, e.g. alice@CORP.TEST. */
  principal: string;
  /** NTLM name as the CAS reports it, e.g. CORP\alice. */
  ntlmName: string;
  /** Primary SMTP address the EWS stand-in returns for this user. */
  smtp: string;
  /** One-line gss-ntlmssp client credential file (`CORP:alice:<password>`). */
  ntlmUserFile: string;
  /** File holding only the password (for `kinit … < file`). */
  passwordFile: string;
}

export interface LabInfo {
  dir: string;
  realm: typeof REALM;
  ntlmDomain: typeof NTLM_DOMAIN;
  hosts: { cas: typeof CAS_HOST; relay: typeof RELAY_HOST };
  spns: readonly string[];
  users: Record<LabUser, LabUserInfo>;
  kdc: { port: number };
  cas: {
    /** HTTPS port of the CAS (certificate from the lab CA). */
    port: number;
    /** HTTPS port of the same CAS serving a self-signed certificate (CAS_TLS_UNTRUSTED). */
    untrustedPort: number;
    /** https://cas.corp.test:<port> */
    origin: string;
    /** Negotiate (Kerberos/NTLM) protected EWS URL. */
    ewsUrl: string;
    /** Same service, Basic only (Windows authentication switched off). */
    basicEwsUrl: string;
    /** EWS URL on the untrusted-certificate port. */
    untrustedEwsUrl: string;
    /** Unauthenticated static directory URL (served from `staticDir`). */
    staticUrl: string;
  };
  standin: { port: number; controlPort: number; controlUrl: string };
  staticDir: string;
  tls: {
    caCertPath: string;
    caCertPem: string;
    casCertPath: string;
    casCertPem: string;
    /** The CAS's private key: for the EPA CAS, and for a relay that presents the CAS's own certificate. */
    casKeyPath: string;
    relayCertPath: string;
    relayKeyPath: string;
    relayCertPem: string;
    relayKeyPem: string;
    untrustedCertPath: string;
    untrustedCertPem: string;
  };
  /** The CAS keytab (holds HTTP/cas.corp.test and HTTP/relay.corp.test). */
  keytabPath: string;
  /** Environment for any Kerberos/GSSAPI tool run against this lab. */
  env: { KRB5_CONFIG: string };
  /** What a GSSAPI acceptor playing the CAS needs besides the keytab (the EPA CAS, `epa-cas.ts`). */
  acceptor: { ntlmUserFile: string; rcacheDir: string };
  pids: { kdc: number; apache: number; standin: number };
  logs: { kdc: string; apacheError: string; apacheAccess: string };
}

export interface Lab {
  info: LabInfo;
  /** Kills every process the lab started (KDC, Apache and its workers, stand-in) and waits. */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
  /** Every pid the lab started, Apache workers included (for "nothing outlives" checks). */
  allPids(): number[];
}

const here = fileURLToPath(new URL('.', import.meta.url));

async function startStandinProcess(): Promise<{ child: ChildProcess; port: number; controlPort: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'ews-standin.ts'), '--exit-with-stdin'],
    {
      cwd: join(here, '..', '..'),
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const rl = createInterface({ input: child.stdout });
  const ready = await new Promise<{ port: number; controlPort: number }>((resolve, reject) => {
    const t = setTimeout(() => {
      reject(new Error(`EWS stand-in did not start: ${stderr}`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`EWS stand-in exited (${String(code)}): ${stderr}`));
    });
    rl.once('line', (line) => {
      clearTimeout(t);
      resolve(JSON.parse(line) as { port: number; controlPort: number });
    });
  });
  rl.close();
  child.stdout.resume();
  return { child, ...ready };
}

/** `{SHA}` htpasswd entries: Apache verifies them without any helper binary. */
const htpasswdLine = (user: string, pw: string) =>
  `${user}:{SHA}${createHash('sha1').update(pw).digest('base64')}`;

/**
 * Builds and starts a lab. Everything lives in a fresh `mkdtemp` directory (or under
 * `opts.dir`), on ports the kernel hands out, so two labs can run side by side.
 */
export async function startLab(opts: { dir?: string; trace?: boolean } = {}): Promise<Lab> {
  const started: { child: ChildProcess; extra?: () => number[] }[] = [];
  const ports: number[] = [];
  const base = opts.dir ?? tmpdir();
  await mkdir(base, { recursive: true });
  const dir = await mkdtemp(join(base, 'iwa-lab-'));
  const asRoot = process.getuid?.() === 0;
  // www-data (Apache's workers) must be able to reach the files it reads.
  await chmod(dir, 0o755);
  const wwwOwn = async (p: string) => {
    if (asRoot) await chown(p, 33, 33);
  };

  // Last resort if the process exits before stop() is done (an uncaught error, or Vitest
  // exiting on Ctrl-C while we are still tearing down): 'exit' handlers must be synchronous,
  // and kill() is.
  const killAllNow = () => {
    for (const s of started) {
      for (const pid of [s.child.pid ?? 0, ...(s.extra?.() ?? [])]) killPid(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killAllNow);

  const cleanup = async () => {
    // In parallel: nothing depends on anything else once we are tearing down.
    await Promise.all(started.map((s) => stopChild(s.child, s.extra?.() ?? [])));
    releasePorts(ports);
    process.off('exit', killAllNow);
  };

  try {
    const [kdcPort, casPort, untrustedPort] = [
      await freePort({ udp: true }),
      await freePort(),
      await freePort(),
    ];
    ports.push(kdcPort, casPort, untrustedPort);

    const spns = [`HTTP/${CAS_HOST}`, `HTTP/${RELAY_HOST}`];
    const users = Object.fromEntries(
      LAB_USERS.map((u): [LabUser, LabUserInfo] => [
        u,
        {
          login: u,
          password: PASSWORDS[u],
          principal: `${u}@${REALM}`,
          ntlmName: `${NTLM_DOMAIN}\\${u}`,
          smtp: MAILBOXES[u]?.smtp ?? `${u}@corp.test`,
          ntlmUserFile: join(dir, 'users', `${u}.ntlm`),
          passwordFile: join(dir, 'users', `${u}.pw`),
        },
      ]),
    ) as Record<LabUser, LabUserInfo>;

    await Promise.all(
      ['users', 'tls', 'apache/run', 'apache/htdocs', 'static', 'rcache'].map((d) =>
        mkdir(join(dir, d), { recursive: true, mode: 0o755 }),
      ),
    );
    await chmod(join(dir, 'users'), 0o700);
    await wwwOwn(join(dir, 'rcache'));

    // The three slow-ish parts run side by side: realm, PKI, stand-in.
    const kdcFiles = await writeKdcConfig(dir, kdcPort);
    const realmP = createRealm(
      kdcFiles,
      LAB_USERS.map((u) => ({ login: u, password: PASSWORDS[u] })),
      spns,
    ).then(async () => {
      const kdc = await startKdc(kdcFiles, kdcPort);
      started.push({ child: kdc });
      return kdc;
    });
    const pkiP = makePki(join(dir, 'tls'));
    const standinP = startStandinProcess().then((s) => {
      started.push({ child: s.child });
      return s;
    });
    const filesP = (async () => {
      for (const u of LAB_USERS) {
        await writeFile(users[u].ntlmUserFile, `${NTLM_DOMAIN}:${u}:${PASSWORDS[u]}\n`, { mode: 0o600 });
        await writeFile(users[u].passwordFile, `${PASSWORDS[u]}\n`, { mode: 0o600 });
      }
      const serverUsers = join(dir, 'apache', 'ntlm-users');
      await writeFile(serverUsers, LAB_USERS.map((u) => `${NTLM_DOMAIN}:${u}:${PASSWORDS[u]}\n`).join(''), {
        mode: 0o600,
      });
      await wwwOwn(serverUsers);
      const htpasswd = join(dir, 'apache', 'htpasswd');
      await writeFile(htpasswd, LAB_USERS.map((u) => `${htpasswdLine(u, PASSWORDS[u])}\n`).join(''), {
        mode: 0o600,
      });
      await wwwOwn(htpasswd);
      await writeFile(
        join(dir, 'static', 'README.txt'),
        'Outlook IWA lab: static files served at /autodiscover/metadata/\n',
      );
      return { serverUsers, htpasswd };
    })();

    const [kdc, pki, standin, files] = await Promise.all([realmP, pkiP, standinP, filesP]);
    await chmod(kdcFiles.keytab, 0o600);
    await wwwOwn(kdcFiles.keytab);

    const apacheCfg: ApacheConfig = {
      dir,
      casPort,
      untrustedPort,
      standinPort: standin.port,
      casCert: pki.cas,
      untrustedCert: pki.untrusted,
      htpasswd: files.htpasswd,
      staticDir: join(dir, 'static'),
      runAsWwwData: asRoot,
    };
    const apache = await startApache(join(dir, 'apache', 'httpd.conf'), apacheCfg, {
      krb5Conf: kdcFiles.krb5Conf,
      keytab: kdcFiles.keytab,
      ntlmServerUserFile: files.serverUsers,
      rcacheDir: join(dir, 'rcache'),
      ...(opts.trace === true ? { traceFile: join(dir, 'apache', 'krb5-trace.log') } : {}),
    });
    const apachePid = apache.pid ?? -1;
    // Remember the workers as they come and go, so stop() can wait for every one of them.
    const apacheWorkers = new Set<number>();
    const apacheExtra = () => {
      for (const p of childPids(apachePid)) apacheWorkers.add(p);
      return [...apacheWorkers].filter(pidAlive);
    };
    apacheExtra();
    started.push({ child: apache, extra: apacheExtra });

    const origin = `https://${CAS_HOST}:${casPort}`;
    const info: LabInfo = {
      dir,
      realm: REALM,
      ntlmDomain: NTLM_DOMAIN,
      hosts: { cas: CAS_HOST, relay: RELAY_HOST },
      spns,
      users,
      kdc: { port: kdcPort },
      cas: {
        port: casPort,
        untrustedPort,
        origin,
        ewsUrl: `${origin}/EWS/Exchange.asmx`,
        basicEwsUrl: `${origin}/basic/EWS/Exchange.asmx`,
        untrustedEwsUrl: `https://${CAS_HOST}:${untrustedPort}/EWS/Exchange.asmx`,
        staticUrl: `${origin}/autodiscover/metadata/`,
      },
      standin: {
        port: standin.port,
        controlPort: standin.controlPort,
        controlUrl: `http://127.0.0.1:${standin.controlPort}/__lab`,
      },
      staticDir: join(dir, 'static'),
      tls: {
        caCertPath: pki.ca.certPath,
        caCertPem: await readPem(pki.ca.certPath),
        casCertPath: pki.cas.certPath,
        casCertPem: await readPem(pki.cas.certPath),
        casKeyPath: pki.cas.keyPath,
        relayCertPath: pki.relay.certPath,
        relayKeyPath: pki.relay.keyPath,
        relayCertPem: await readPem(pki.relay.certPath),
        relayKeyPem: await readPem(pki.relay.keyPath),
        untrustedCertPath: pki.untrusted.certPath,
        untrustedCertPem: await readPem(pki.untrusted.certPath),
      },
      keytabPath: kdcFiles.keytab,
      env: { KRB5_CONFIG: kdcFiles.krb5Conf },
      acceptor: { ntlmUserFile: files.serverUsers, rcacheDir: join(dir, 'rcache') },
      pids: { kdc: kdc.pid ?? -1, apache: apachePid, standin: standin.child.pid ?? -1 },
      logs: {
        kdc: kdcFiles.log,
        apacheError: join(dir, 'apache', 'error.log'),
        apacheAccess: join(dir, 'apache', 'access.log'),
      },
    };
    await writeFile(join(dir, 'lab.json'), JSON.stringify(info, null, 2), { mode: 0o600 });

    let stopping: Promise<void> | undefined;
    return {
      info,
      allPids: () => [info.pids.kdc, info.pids.standin, info.pids.apache, ...apacheExtra()],
      stop: (stopOpts = {}) => {
        stopping ??= (async () => {
          await cleanup();
          if (stopOpts.keepDir !== true) await rm(dir, { recursive: true, force: true });
        })();
        return stopping;
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
