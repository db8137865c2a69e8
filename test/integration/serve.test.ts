/**
 * Production serving: the real `outlook-iwa serve` command, spawned as a child process the way
 * systemd or a container runs it, with the lab's relay certificate. It checks what an operator
 * relies on: TLS 1.2+ and HTTP/1.1 only, JSON logs with request ids and no secrets, health,
 * readiness that follows the database, Prometheus metrics, certificate reload without a
 * restart, graceful shutdown that lets an in-flight Negotiate handshake finish, and config
 * errors that name the flag and its environment variable.
 */
import type { ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { Agent, request, type AgentOptions } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { connect, type ConnectionOptions } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nodeNtlmCrypto } from '../../src/backend/ntlm-crypto.ts';
import { openStore } from '../../src/backend/storage/index.ts';
import {
  buildAuthenticate,
  buildNegotiate,
  extractNtlmToken,
  spnegoMechListMic,
  wrapSpnegoInit,
  wrapSpnegoResponse,
} from '../../src/protocol/ntlm-client.ts';
import { buildProxyHeaderV2, formatProxyHeaderV1 } from '../../src/protocol/proxy-protocol.ts';
import { startPostgres, type PostgresCluster } from '../db/postgres.ts';
import { outlookIwaArgs } from '../lab/outlook-iwa.ts';
import { freePort, runOk } from '../lab/proc.ts';
import { createLabProfile } from './harness.ts';
import { jsonLogs, spawnCli, waitServing, type CliRun, type Exit } from './serve-process.ts';

const lab = inject('lab');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RELAY = lab.hosts.relay;

// ------------------------------------------------------------------ helpers

interface Served extends CliRun {
  readonly port: number;
  /** The parsed JSON log lines. */
  logs(): Record<string, unknown>[];
}

const children = new Set<ChildProcess>();

function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnCli(outlookIwaArgs(...args), { cwd: ROOT, env });
  children.add(r.child);
  void r.exited.then(() => children.delete(r.child));
  return r;
}

/** Starts `outlook-iwa serve` on a free loopback port and waits for its "serving" log line. */
async function serve(extraArgs: string[], env: Record<string, string> = {}): Promise<Served> {
  const port = await freePort();
  // The lab's CAS name is in no DNS: pin it to loopback, as an admin would for split-horizon DNS.
  const resolve = ['--resolve', `${lab.hosts.cas}:127.0.0.1`];
  const r = runCli(['serve', '--host', '127.0.0.1', '--port', String(port), ...resolve, ...extraArgs], env);
  await waitServing(r);
  return { ...r, port, logs: () => jsonLogs(r) };
}

const terminated = new WeakSet<ChildProcess>();
function terminate(s: Served): void {
  terminated.add(s.child);
  s.child.kill('SIGTERM');
}

/** Sends SIGTERM (unless sent already) and waits (bounded) for the exit. */
async function stop(s: Served, timeoutMs = 15_000): Promise<Exit> {
  // Once only: a second SIGTERM forces the exit, as a second Ctrl-C does.
  if (!terminated.has(s.child) && s.child.exitCode === null && s.child.signalCode === null) terminate(s);
  return Promise.race([
    s.exited,
    new Promise<Exit>((_, reject) =>
      setTimeout(() => {
        reject(new Error('serve did not exit after SIGTERM'));
      }, timeoutMs),
    ),
  ]);
}

interface TlsOutcome {
  protocol?: string | null;
  alpn?: string | false | null;
  fingerprint256?: string;
  error?: string;
}

/** Opens one TLS connection to the server as `relay.corp.test` and reports what it got. */
function tlsProbe(port: number, options: ConnectionOptions = {}): Promise<TlsOutcome> {
  return new Promise((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: RELAY,
      ca: lab.tls.caCertPem,
      ...options,
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('timeout')));
    socket.once('secureConnect', () => {
      resolve({
        protocol: socket.getProtocol(),
        alpn: socket.alpnProtocol,
        fingerprint256: socket.getPeerCertificate().fingerprint256,
      });
      socket.destroy();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      resolve({ error: err.code ?? err.message });
    });
  });
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names and values as sent, alternating. */
  rawHeaders: string[];
  body: string;
  socket: Socket;
}

/** Reads `res` to its end and hands over the answer. */
function readAnswer(res: IncomingMessage, socket: Socket, resolve: (answer: Answer) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (d: string) => (body += d));
  res.on('end', () => {
    resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body, socket });
  });
}

function call(
  port: number,
  path: string,
  o: { method?: string; headers?: Record<string, string>; body?: string; agent?: Agent } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        servername: RELAY,
        path,
        method: o.method ?? 'GET',
        ca: lab.tls.caCertPem,
        agent: o.agent ?? false,
        headers: {
          Host: `${RELAY}:${port}`,
          ...(o.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...o.headers,
        },
      },
      (res) => {
        readAnswer(res, req.socket as Socket, resolve);
      },
    );
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
    req.end(o.body);
  });
}

const json = (a: Answer) => JSON.parse(a.body) as Record<string, unknown>;

/** Polls `check` every 100 ms until it returns true or `ms` pass. */
async function eventually(check: () => Promise<boolean> | boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fresh server certificate for relay.corp.test, signed by the lab CA (whose key sits next to its certificate). */
async function mintRelayCert(dir: string, name: string): Promise<{ cert: string; key: string; fp: string }> {
  const caKey = join(dirname(lab.tls.caCertPath), 'ca.key');
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await runOk(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-sha256',
      '-days', '2', '-CA', lab.tls.caCertPath, '-CAkey', caKey, '-keyout', key, '-out', cert,
      '-subj', `/O=Outlook IWA test lab/CN=${RELAY} ${name}`, '-addext', `subjectAltName=DNS:${RELAY}`,
      '-addext', 'extendedKeyUsage=serverAuth',
    ], // prettier-ignore
    { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } },
  );
  const fp = new X509Certificate(await readFile(cert, 'utf8')).fingerprint256;
  return { cert, key, fp };
}

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'iwa-serve-'));
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rm(tmp, { recursive: true, force: true });
});

// ------------------------------------------------------------------ tests

describe('outlook-iwa serve: TLS, HTTP/1.1, logs, health, metrics', () => {
  let s: Served;
  const tlsArgs = () => ['--tls-cert', lab.tls.relayCertPath, '--tls-key', lab.tls.relayKeyPath];

  beforeAll(async () => {
    s = await serve([...tlsArgs(), '--database', `sqlite:${join(tmp, 'basic.db')}`]);
  });

  afterAll(async () => {
    const exit = await stop(s);
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('serves the lab relay certificate with TLS 1.2 and 1.3', async () => {
    const v12 = await tlsProbe(s.port, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    const v13 = await tlsProbe(s.port, { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' });
    expect(v12).toMatchObject({ protocol: 'TLSv1.2' });
    expect(v13).toMatchObject({ protocol: 'TLSv1.3' });
    expect(v13.fingerprint256).toBe(new X509Certificate(lab.tls.relayCertPem).fingerprint256);
  });

  it('refuses TLS 1.0 and 1.1 clients (the server sends protocol_version)', async () => {
    // SECLEVEL=0 lets this client offer the old versions at all; the refusal is the server's.
    for (const maxVersion of ['TLSv1', 'TLSv1.1'] as const) {
      const r = await tlsProbe(s.port, { minVersion: 'TLSv1', maxVersion, ciphers: 'DEFAULT@SECLEVEL=0' });
      expect(r.protocol).toBeUndefined();
      expect(r.error).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    }
  });

  it('speaks HTTP/1.1 only: ALPN never selects h2', async () => {
    const both = await tlsProbe(s.port, { ALPNProtocols: ['h2', 'http/1.1'] });
    expect(both.error).toBeUndefined();
    expect(both.alpn).toBe('http/1.1');
    // A client that offers only h2 does not get it (no ALPN, or the handshake is refused).
    const h2only = await tlsProbe(s.port, { ALPNProtocols: ['h2'] });
    expect(h2only.alpn === 'h2').toBe(false);
    const r = await call(s.port, '/healthz');
    expect(r.status).toBe(200);
  });

  it('/healthz, /readyz and /metrics', async () => {
    const health = await call(s.port, '/healthz');
    expect(health.status).toBe(200);
    expect(json(health)).toEqual({ ok: true });

    const ready = await call(s.port, '/readyz');
    expect(ready.status).toBe(200);
    expect(json(ready)).toEqual({ ok: true, database: 'sqlite' });

    const metrics = await call(s.port, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toMatch(/^# HELP outlook_iwa_handshakes_in_flight /m);
    expect(metrics.body).toMatch(/^# TYPE outlook_iwa_signin_outcomes_total counter$/m);
    expect(metrics.body).toMatch(/^# TYPE outlook_iwa_relay_leg_seconds histogram$/m);
    expect(metrics.body).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('logs JSON lines with request ids and never a secret', async () => {
    const secrets = {
      bearer: 'sEcReTbEaReRtOkEn0123456789abcdef',
      negotiate: 'TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==',
      password: 'Hunter2-Corr3ct-Horse',
    };
    const before = s.lines.length;
    await call(s.port, '/api/session', { headers: { Authorization: `Bearer ${secrets.bearer}` } });
    await call(s.port, '/api/auth/iwa?mailbox=nobody%40nowhere.test', {
      headers: { Authorization: `Negotiate ${secrets.negotiate}` },
    });
    await call(s.port, '/api/admin/profiles', {
      method: 'POST',
      headers: { Authorization: `Bearer ${secrets.bearer}`, Cookie: `s=${secrets.bearer}` },
      body: JSON.stringify({ password: secrets.password, token: secrets.bearer }),
    });
    await call(s.port, `/healthz?token=${secrets.bearer}`);
    type Entry = {
      reqId?: string;
      msg?: string;
      req?: { path?: string };
      res?: { statusCode?: unknown };
      responseTime?: unknown;
      level?: unknown;
      time?: unknown;
    };
    const entries = () => s.lines.slice(before).map((l) => JSON.parse(l) as Entry);
    const ids = (msg: string) =>
      new Set(entries().flatMap((e) => (e.msg === msg && e.reqId ? [e.reqId] : [])));
    // pino writes asynchronously: wait until each of the four requests has its line.
    const asked = ['/api/session', '/api/auth/iwa', '/api/admin/profiles', '/healthz'];
    const logged = () =>
      new Set(entries().flatMap((e) => (e.msg === 'request completed' ? [e.req?.path] : [])));
    const settled = () => asked.every((path) => logged().has(path));
    expect(await eventually(settled, 5000)).toBe(true);
    for (const e of entries()) {
      expect(typeof e.level).toBe('number');
      expect(typeof e.time).toBe('number');
    }
    const completed = entries().filter((e) => e.msg === 'request completed');
    expect(completed.map((e) => e.req?.path)).toEqual(expect.arrayContaining(asked));
    // One line per request, with its status and time.
    for (const e of completed) {
      expect(e.res?.statusCode).toEqual(expect.any(Number));
      expect(e.responseTime).toEqual(expect.any(Number));
    }
    expect(entries().filter((e) => e.msg === 'incoming request')).toEqual([]);
    // Request ids are UUIDs, unique per request.
    for (const id of ids('request completed')) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids('request completed').size).toBe(completed.length);
    const all = s.lines.join('\n');
    for (const secret of Object.values(secrets)) expect(all).not.toContain(secret);
    expect(s.stderr()).not.toContain(secrets.bearer);
  });
});

describe('outlook-iwa serve: readiness follows the database', () => {
  let pg: PostgresCluster | undefined;
  let s: Served | undefined;

  afterAll(async () => {
    if (s !== undefined) await stop(s);
    await pg?.stop();
  });

  it(
    '/readyz is 200 while PostgreSQL runs and 503 DATABASE_UNAVAILABLE once it stops; /healthz stays 200',
    { timeout: 120_000 },
    async () => {
      pg = await startPostgres();
      const url = await pg.createDatabase('serve_ready');
      s = await serve([
        '--tls-cert',
        lab.tls.relayCertPath,
        '--tls-key',
        lab.tls.relayKeyPath,
        '--database',
        url,
      ]);
      const up = await call(s.port, '/readyz');
      expect(up.status).toBe(200);
      expect(json(up)).toEqual({ ok: true, database: 'postgres' });

      await pg.stop();
      const down = await call(s.port, '/readyz');
      expect(down.status).toBe(503);
      expect(json(down)).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      // Liveness is about the process, not its dependencies: an orchestrator must not kill it.
      expect((await call(s.port, '/healthz')).status).toBe(200);
      // The process survived the database going away and still shuts down cleanly.
      expect(await stop(s)).toEqual({ code: 0, signal: null });
    },
  );
});

describe('outlook-iwa serve: certificate reload without a restart', () => {
  let s: Served;
  let dir: string;
  const certFile = () => join(dir, 'serving.crt');
  const keyFile = () => join(dir, 'serving.key');
  const fingerprintIs = (fp: string) => async () => (await tlsProbe(s.port)).fingerprint256 === fp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmp, 'certs-'));
    await copyFile(lab.tls.relayCertPath, certFile());
    await copyFile(lab.tls.relayKeyPath, keyFile());
    s = await serve([
      '--tls-cert',
      certFile(),
      '--tls-key',
      keyFile(),
      '--database',
      `sqlite:${join(tmp, 'reload.db')}`,
    ]);
  });

  afterAll(async () => {
    expect(await stop(s)).toEqual({ code: 0, signal: null });
  });

  it('SIGHUP after the files were rewritten in place: new connections get the new certificate', async () => {
    const original = new X509Certificate(lab.tls.relayCertPem).fingerprint256;
    expect((await tlsProbe(s.port)).fingerprint256).toBe(original);
    // An open connection made before the reload keeps working.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 } satisfies AgentOptions);
    try {
      const early = await call(s.port, '/healthz', { agent });
      const b = await mintRelayCert(dir, 'b');
      await writeFile(keyFile(), await readFile(b.key));
      await writeFile(certFile(), await readFile(b.cert));
      s.child.kill('SIGHUP');
      expect(await eventually(fingerprintIs(b.fp))).toBe(true);
      expect(await eventually(() => s.logs().some((l) => l.msg === 'TLS certificate reloaded'))).toBe(true);
      const late = await call(s.port, '/healthz', { agent });
      expect(late.status).toBe(200);
      expect(late.socket).toBe(early.socket);
      expect(s.child.exitCode).toBeNull();
    } finally {
      agent.destroy();
    }
  });

  it('files replaced by rename (how renewal tools write), twice, without a signal: the watch picks up each', async () => {
    for (const name of ['c', 'd']) {
      const next = await mintRelayCert(dir, name);
      await rename(next.key, keyFile());
      await rename(next.cert, certFile());
      expect(await eventually(fingerprintIs(next.fp), 5000), `certificate ${name}`).toBe(true);
    }
  });

  it('a broken certificate file is refused and the old one keeps serving', async () => {
    const current = (await tlsProbe(s.port)).fingerprint256 ?? '';
    await writeFile(certFile(), '-----BEGIN CERTIFICATE-----\nhalf-written\n');
    s.child.kill('SIGHUP');
    expect(await eventually(() => s.logs().some((l) => l.msg === 'TLS certificate reload failed'))).toBe(
      true,
    );
    expect((await tlsProbe(s.port)).fingerprint256).toBe(current);
    expect((await call(s.port, '/healthz')).status).toBe(200);
  });
});

describe('outlook-iwa serve: graceful shutdown', () => {
  it(
    'SIGTERM: no new connections; the in-flight NTLM handshake finishes; exit 0; database closed',
    { timeout: 120_000 },
    async () => {
      const dbFile = join(tmp, 'graceful.db');
      const store = await openStore(`sqlite:${dbFile}`);
      await createLabProfile(store, lab);
      await store.close();
      const s = await serve([
        '--tls-cert',
        lab.tls.relayCertPath,
        '--tls-key',
        lab.tls.relayKeyPath,
        // The AUTHENTICATE below names HTTP/relay.corp.test: the reflection guard lets through
        // only our public host and the CAS.
        '--public-url',
        `https://${RELAY}/`,
        '--database',
        `sqlite:${dbFile}`,
      ]);
      expect(existsSync(`${dbFile}-wal`)).toBe(true); // open in WAL mode

      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const path = `/api/auth/iwa?mailbox=${encodeURIComponent('alice@corp.test')}`;
        // Leg 1, anonymous: the relay opens its CAS connection and invites Negotiate.
        const leg1 = await call(s.port, path, { agent });
        expect(leg1.status).toBe(401);
        expect(leg1.headers['www-authenticate']).toBe('Negotiate');

        terminate(s);
        // New connections are refused promptly...
        expect(await eventually(async () => (await tlsProbe(s.port)).error === 'ECONNREFUSED', 5000)).toBe(
          true,
        );
        expect(s.child.exitCode).toBeNull(); // ...but the process waits for the handshake.

        // Leg 2 on the same connection: NTLM NEGOTIATE (in SPNEGO, as browsers send it).
        const negotiate = buildNegotiate();
        const leg2 = await call(s.port, path, {
          agent,
          headers: {
            Authorization: `Negotiate ${Buffer.from(wrapSpnegoInit(negotiate)).toString('base64')}`,
          },
        });
        expect(leg2.status).toBe(401);
        expect(leg2.socket).toBe(leg1.socket);
        const challenge = /^Negotiate (\S+)$/.exec(String(leg2.headers['www-authenticate']))?.[1];
        expect(challenge).toBeDefined();

        // Leg 3: AUTHENTICATE, and the relay issues the session.
        const auth = buildAuthenticate({
          negotiate,
          challenge: extractNtlmToken(new Uint8Array(Buffer.from(challenge ?? '', 'base64'))),
          user: 'alice',
          domain: lab.ntlmDomain,
          password: lab.users.alice.password,
          workstation: 'WS-ALICE',
          crypto: nodeNtlmCrypto,
          targetName: `HTTP/${RELAY}`,
        });
        const final = wrapSpnegoResponse(auth.message, spnegoMechListMic(nodeNtlmCrypto, auth));
        const leg3 = await call(s.port, path, {
          agent,
          headers: { Authorization: `Negotiate ${Buffer.from(final).toString('base64')}` },
        });
        expect(leg3.socket).toBe(leg1.socket);
        expect(leg3.status).toBe(200);
        expect(json(leg3)).toMatchObject({ mailbox: 'alice@corp.test', method: 'iwa', mechanism: 'ntlm' });
      } finally {
        agent.destroy();
      }

      expect(await stop(s)).toEqual({ code: 0, signal: null });
      expect(s.logs().some((l) => String(l.msg).startsWith('shutting down'))).toBe(true);
      // SQLite removes the write-ahead log when the last connection closes cleanly.
      expect(readdirSync(tmp).filter((f) => f.startsWith('graceful.db-'))).toEqual([]);
      // The session the handshake issued was written before the database closed.
      const after = await openStore(`sqlite:${dbFile}`);
      try {
        expect((await after.sessions.list({ mailbox: 'alice@corp.test' })).length).toBe(1);
      } finally {
        await after.close();
      }
    },
  );
});

describe('outlook-iwa serve: configuration errors at boot name the flag and its variable', () => {
  const cases: {
    name: string;
    args: string[];
    env?: Record<string, string>;
    expect: string[];
    code?: string;
  }[] = [
    { name: '--port 99999', args: ['--port', '99999'], expect: ['--port', 'OUTLOOK_IWA_PORT', '99999'] },
    {
      name: 'OUTLOOK_IWA_PORT=http',
      args: [],
      env: { OUTLOOK_IWA_PORT: 'http' },
      expect: ['--port', 'OUTLOOK_IWA_PORT'],
    },
    {
      name: '--public-url http://x',
      args: ['--public-url', 'http://x'],
      expect: ['--public-url', 'OUTLOOK_IWA_PUBLIC_URL', 'https://'],
    },
    {
      name: 'missing certificate file',
      args: ['--tls-cert', '/nonexistent/relay.crt', '--tls-key', '/nonexistent/relay.key'],
      expect: ['--tls-cert', 'OUTLOOK_IWA_TLS_CERT', '/nonexistent/relay.crt'],
    },
    {
      name: 'key file that is not a key',
      args: ['--tls-cert', '@CERT@', '--tls-key', '@CERT@'],
      expect: ['--tls-key', 'OUTLOOK_IWA_TLS_KEY', 'not a valid PEM private key'],
    },
    {
      name: 'bad --database',
      args: ['--database', 'mysql://db'],
      expect: ['--database', 'OUTLOOK_IWA_DATABASE'],
    },
    {
      name: 'NODE_ENV=production without a certificate: no development pair',
      args: [],
      env: { NODE_ENV: 'production' },
      code: 'TLS_CERT_REQUIRED',
      expect: ['--tls-cert', 'OUTLOOK_IWA_TLS_CERT', 'NODE_ENV=production'],
    },
    {
      name: 'a header timeout longer than the request timeout',
      args: ['--header-timeout', '90000', '--request-timeout', '60000'],
      expect: ['--header-timeout', 'OUTLOOK_IWA_HEADER_TIMEOUT'],
    },
    {
      name: 'OUTLOOK_IWA_ADMIN_LISTEN without a port',
      args: [],
      env: { OUTLOOK_IWA_ADMIN_LISTEN: '127.0.0.1' },
      expect: ['--admin-listen', 'OUTLOOK_IWA_ADMIN_LISTEN', 'HOST:PORT'],
    },
  ];

  // Each case spawns the CLI: seconds of TypeScript loading on a busy machine.
  it.for(cases)('$name', { timeout: 60_000 }, async (c) => {
    const port = String(await freePort());
    const args = c.args.map((a) => (a === '@CERT@' ? lab.tls.relayCertPath : a));
    const withDefaults = [
      'serve',
      ...(args.includes('--port') || c.env?.OUTLOOK_IWA_PORT !== undefined ? [] : ['--port', port]),
      ...(args.includes('--database') ? [] : ['--database', `sqlite:${join(tmp, 'never.db')}`]),
      ...args,
    ];
    const r = runCli(withDefaults, c.env);
    const exit = await r.exited;
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const err = r.stderr();
    expect(err).toMatch(new RegExp(`^error ${c.code ?? 'CONFIG_INVALID'}: `));
    for (const text of c.expect) expect(err).toContain(text);
    expect(r.lines.some((l) => l.includes('"serving"'))).toBe(false);
    // Nothing was opened: a config error must not create the database either.
    expect(existsSync(join(tmp, 'never.db'))).toBe(false);
  });
});

// ------------------------------------------------------------------ exposure settings

/**
 * One HTTPS request over a TCP connection that first carries `preamble` (a PROXY header, as a
 * balancer writes it), or the connection's error when the server refuses it.
 */
function callVia(
  port: number,
  preamble: Uint8Array | string,
  path: string,
): Promise<Answer | { error: string }> {
  return new Promise((resolve) => {
    const tcp = tcpConnect({ host: '127.0.0.1', port }, () => {
      tcp.write(preamble);
      const req = request(
        {
          path,
          servername: RELAY,
          ca: lab.tls.caCertPem,
          headers: { Host: `${RELAY}:${port}` },
          createConnection: () => connect({ socket: tcp, servername: RELAY, ca: lab.tls.caCertPem }),
        },
        (res) => {
          readAnswer(res, tcp, resolve);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        resolve({ error: err.code ?? err.message });
      });
      req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
      req.end();
    });
    tcp.on('error', (err: NodeJS.ErrnoException) => {
      resolve({ error: err.code ?? err.message });
    });
  });
}

describe('outlook-iwa serve --proxy-protocol', () => {
  let s: Served;

  beforeAll(async () => {
    s = await serve(
      ['--tls-cert', lab.tls.relayCertPath, '--tls-key', lab.tls.relayKeyPath, '--header-timeout', '3000'],
      { OUTLOOK_IWA_PROXY_PROTOCOL: '1', OUTLOOK_IWA_DATABASE: `sqlite:${join(tmp, 'proxy.db')}` },
    );
  });

  afterAll(async () => {
    expect(await stop(s)).toEqual({ code: 0, signal: null });
  });

  /** The `ip` the server logged for the request with this path. */
  async function loggedIp(path: string): Promise<unknown> {
    const find = () =>
      s.logs().find((l) => (l.req as { path?: string; ip?: string } | undefined)?.path === path)?.req;
    expect(await eventually(() => find() !== undefined)).toBe(true);
    return (find() as { ip?: string }).ip;
  }

  it('v2 and v1 headers: the header source is the client address the server logs', async () => {
    const v2 = await callVia(
      s.port,
      buildProxyHeaderV2(
        { address: '192.0.2.7', family: 'IPv4', port: 40000 },
        { address: '127.0.0.1', family: 'IPv4', port: s.port },
      ),
      '/healthz?via=v2',
    );
    expect(v2).toMatchObject({ status: 200 });
    const v1 = await callVia(
      s.port,
      formatProxyHeaderV1(
        { address: '2001:db8::7', family: 'IPv6', port: 40001 },
        { address: '::1', family: 'IPv6', port: s.port },
      ),
      '/readyz',
    );
    expect(v1).toMatchObject({ status: 200 });
    // A health check's LOCAL header: the connection's own address.
    const local = await callVia(s.port, buildProxyHeaderV2(null), '/api/session');
    expect(local).toMatchObject({ status: 401 });
    expect(await loggedIp('/healthz')).toBe('192.0.2.7');
    expect(await loggedIp('/readyz')).toBe('2001:db8::7');
    expect(await loggedIp('/api/session')).toBe('127.0.0.1');
  });

  it('a connection without a valid header is closed before TLS', async () => {
    // A plain TLS client: its ClientHello is no header.
    const plain = await tlsProbe(s.port);
    expect(plain.error).toBeDefined();
    expect(plain.protocol).toBeUndefined();
    const bad = await callVia(s.port, 'PROXY TCP4 1.2.3.999 127.0.0.1 1 2\r\n', '/healthz');
    expect(bad).toHaveProperty('error');
    // A balancer that never finishes its header is cut off by the header timeout.
    const silent = tcpConnect({ host: '127.0.0.1', port: s.port }, () => silent.write('PROXY TCP4 '));
    silent.on('error', () => undefined);
    await new Promise((resolve) => silent.once('close', resolve));
    const refused = () =>
      s.logs().filter((l) => l.msg === 'connection without a valid PROXY protocol header closed');
    expect(await eventually(() => refused().length >= 3)).toBe(true);
    expect(refused().map((l) => l.reason)).toEqual(
      expect.arrayContaining(['no-header', 'bad-address', 'timeout']),
    );
  });
});

/** Opens TLS, sends a request line, then one header line every `everyMs` until the server hangs up. */
function trickle(port: number, everyMs: number): Promise<{ answer: string; linesSent: number }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: RELAY, ca: lab.tls.caCertPem }, () => {
      socket.write(`GET /healthz HTTP/1.1\r\nHost: ${RELAY}\r\n`);
    });
    let answer = '';
    let linesSent = 0;
    const timer = setInterval(() => {
      if (socket.writable) {
        socket.write(`X-Slow-${linesSent}: a\r\n`);
        linesSent++;
      }
    }, everyMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, linesSent });
    });
  });
}

describe('outlook-iwa serve: timeouts, security headers and the admin listener', () => {
  let s: Served;
  let adminPort: number;

  beforeAll(async () => {
    adminPort = await freePort();
    const store = await openStore(`sqlite:${join(tmp, 'limits.db')}`);
    await createLabProfile(store, lab);
    await store.close();
    s = await serve([
      '--tls-cert', lab.tls.relayCertPath, '--tls-key', lab.tls.relayKeyPath,
      '--database', `sqlite:${join(tmp, 'limits.db')}`,
      '--header-timeout', '1500', '--request-timeout', '5000', '--max-connections', '50',
      '--admin-listen', `127.0.0.1:${adminPort}`, '--owa-origin', 'https://owa.corp.test',
    ]); // prettier-ignore
  });

  afterAll(async () => {
    expect(await stop(s)).toEqual({ code: 0, signal: null });
  });

  it('a client that trickles its headers is cut off with 408 by the header timeout', async () => {
    const r = await trickle(s.port, 200);
    expect(r.answer).toMatch(/^HTTP\/1\.1 408 /);
    // It was still sending when it was cut off: the headers never ended.
    expect(r.linesSent).toBeGreaterThan(0);
  });

  it('sends HSTS, nosniff and a CSP that lets Outlook and the OWA origin frame the pane', async () => {
    for (const path of ['/healthz', '/index.html', '/no-such-file']) {
      const r = await call(s.port, path);
      expect(r.headers['strict-transport-security'], path).toBe('max-age=31536000');
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
      const csp = String(r.headers['content-security-policy']);
      expect(csp, path).toMatch(/(^|;)script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*(;|$)/);
      expect(csp, path).toContain(
        "frame-ancestors 'self' https://outlook.office.com https://outlook.office365.com https://*.officeapps.live.com https://owa.corp.test",
      );
      expect(r.headers['x-frame-options'], path).toBeUndefined();
    }
  });

  it('API answers, the 401 challenge and errors included, carry the API headers and nothing to frame', async () => {
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers = {
      methods: await call(s.port, '/api/auth/methods?mailbox=nobody%40corp.test'),
      // As a browser asks: on a connection it keeps.
      challenge: await call(s.port, '/api/auth/iwa?mailbox=alice%40corp.test', { agent: keepAlive }),
      unknown: await call(s.port, '/api/no-such-route'),
    };
    for (const [what, r] of Object.entries(answers)) {
      expect(r.headers['content-type'], what).toMatch(/^application\/json/);
      expect(r.headers['strict-transport-security'], what).toBe('max-age=31536000');
      expect(r.headers['x-content-type-options'], what).toBe('nosniff');
      expect(r.headers['content-security-policy'], what).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(r.headers['cross-origin-resource-policy'], what).toBe('same-origin');
    }
    const { challenge } = answers;
    expect(challenge.status).toBe(401);
    expect(challenge.headers['www-authenticate']).toBe('Negotiate');
    // What every handshake waiting for its next leg last sent. Node keeps a larger TLS output
    // buffer on a connection once it has sent more than about 550 bytes: 32 → 47 KiB per
    // handshake in flight (docs/performance.md).
    const lines = ['HTTP/1.1 401 Unauthorized'];
    for (let i = 0; i < challenge.rawHeaders.length; i += 2) {
      lines.push(`${challenge.rawHeaders[i] ?? ''}: ${challenge.rawHeaders[i + 1] ?? ''}`);
    }
    const bytes = Buffer.byteLength(`${lines.join('\r\n')}\r\n\r\n${challenge.body}`);
    expect(bytes).toBeGreaterThan(300);
    expect(bytes).toBeLessThanOrEqual(512);
    expect(answers.unknown.status).toBe(404);
    keepAlive.destroy();
  });

  it('/metrics and /api/admin answer on the admin listener only', async () => {
    expect((await call(s.port, '/metrics')).status).toBe(404);
    expect((await call(s.port, '/api/admin/profiles')).status).toBe(404);
    expect((await call(s.port, '/healthz')).status).toBe(200);
    const metrics = await call(adminPort, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^# TYPE outlook_iwa_signin_outcomes_total counter$/m);
    const admin = await call(adminPort, '/api/admin/profiles');
    expect(admin.status).toBe(401);
    expect(json(admin)).toMatchObject({ code: 'ADMIN_UNAUTHORIZED' });
    expect((await call(adminPort, '/api/auth/methods?mailbox=a%40corp.test')).status).toBe(404);
  });
});
