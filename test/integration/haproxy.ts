/**
 * A throw-away HAProxy (Debian's `haproxy` 2.6) in front of relay instances, on loopback, for
 * the several-instances test. TCP mode: each client connection goes to one instance for its
 * whole life, which is the affinity a Negotiate handshake needs (docs/architecture.md §2).
 *
 * Every connection to an instance, health checks included, starts with a PROXY protocol v2
 * header (`send-proxy-v2`), as the admin guide's example has it: the instances run with
 * `--proxy-protocol` and see each client's own address.
 *
 * Health checks call `/readyz` over TLS every `checkIntervalMs` (the TLS handshake must fit in
 * that interval, so not too short on a busy machine); two failures in a row take an instance
 * out. A connection that races a failure before the check notices it is retried and
 * dispatched to another instance (`retries` + `option redispatch`), so no client sees it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, pidAlive, releasePorts, stopChild, waitForTcp } from '../lab/proc.ts';

export const HAPROXY = process.env.OUTLOOK_IWA_HAPROXY ?? '/usr/sbin/haproxy';

export interface Backend {
  readonly name: string;
  readonly port: number;
}

export interface HaproxyOptions {
  readonly backends: readonly Backend[];
  /** CA that signed the instances' certificate, for the TLS health check. */
  readonly caFile: string;
  /** Host name the instances' certificate is for (SNI and Host of the health check). */
  readonly serverName: string;
  readonly checkIntervalMs?: number;
}

export interface Haproxy {
  /** Loopback port clients connect to. */
  readonly port: number;
  readonly pid: number;
  /** The generated configuration (for failure messages). */
  readonly config: string;
  /** `show servers state` lines, via the admin socket: `[name, operational state]`. */
  serverStates(): Promise<Record<string, 'up' | 'down' | 'other'>>;
  stderr(): string;
  /** Stops HAProxy (SIGTERM, then SIGKILL) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export function haproxyConfig(o: HaproxyOptions & { port: number; socket: string }): string {
  const inter = o.checkIntervalMs ?? 1000;
  return [
    'global',
    '  maxconn 512',
    `  stats socket ${o.socket} mode 600 level admin`,
    '',
    'defaults',
    '  mode tcp',
    '  timeout connect 2s',
    // A slow answer is not a dead instance: only a refused connection or a non-200 takes it out.
    '  timeout check 3s',
    // Longer than the relay's keep-alive, so HAProxy never cuts a connection between legs.
    '  timeout client 90s',
    '  timeout server 90s',
    '  retries 3',
    '  option redispatch',
    '',
    'frontend relay',
    `  bind 127.0.0.1:${o.port}`,
    '  default_backend instances',
    '',
    'backend instances',
    '  balance roundrobin',
    '  option httpchk',
    `  http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host ${o.serverName}`,
    '  http-check expect status 200',
    `  default-server send-proxy-v2 check check-ssl check-sni ${o.serverName} verify required ca-file ${o.caFile} inter ${inter}ms fall 2 rise 1`,
    ...o.backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port}`),
    '',
  ].join('\n');
}

/** Asks the admin socket something and returns the answer. */
function adminCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(socket);
    let out = '';
    s.setEncoding('utf8');
    s.setTimeout(3000, () => s.destroy(new Error('haproxy admin socket timeout')));
    s.on('data', (d: string) => (out += d));
    s.on('end', () => {
      resolve(out);
    });
    s.on('error', reject);
    s.end(`${command}\n`);
  });
}

export async function startHaproxy(o: HaproxyOptions): Promise<Haproxy> {
  if (!existsSync(HAPROXY)) {
    throw new Error(`${HAPROXY} not found: install Debian's haproxy package (scripts/install-deps.sh)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'outlook-iwa-haproxy-'));
  const port = await freePort();
  const socket = join(dir, 'admin.sock');
  const config = haproxyConfig({ ...o, port, socket });
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(cfg, config);

  // -db: stay in the foreground, one process, ours to stop.
  const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', cfg], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const pid = child.pid ?? -1;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    await stopChild(child, [], 3000);
    releasePorts([port]);
    await rm(dir, { recursive: true, force: true });
  };
  // If the runner dies without teardown, do not leave HAProxy behind.
  const killOnExit = () => {
    if (pidAlive(pid)) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  try {
    await waitForTcp(port, {
      timeoutMs: 10_000,
      alive: () =>
        child.exitCode === null ? undefined : `haproxy exited (${String(child.exitCode)}): ${stderr}`,
    });
  } catch (err) {
    await stop();
    throw new Error(
      `could not start haproxy: ${err instanceof Error ? err.message : String(err)}\n${config}`,
      {
        cause: err,
      },
    );
  }

  return {
    port,
    pid,
    config,
    stderr: () => stderr,
    async serverStates() {
      // Columns of `show servers state` (1.8+): … srv_name(3) srv_addr(4) srv_op_state(5) …
      const text = await adminCommand(socket, 'show servers state instances');
      const states: Record<string, 'up' | 'down' | 'other'> = {};
      for (const line of text.split('\n')) {
        const cols = line.trim().split(/\s+/);
        if (cols.length < 6 || line.startsWith('#') || !/^\d+$/.test(cols[0] ?? '')) continue;
        const op = cols[5];
        states[cols[3] ?? '?'] = op === '2' ? 'up' : op === '0' ? 'down' : 'other';
      }
      return states;
    },
    stop,
  };
}
