/**
 * The relay as an operator runs it on all cores: `outlook-iwa serve --workers N` (the real
 * command, sources through tsx) on a throw-away SQLite file holding the lab profile, with the
 * sign-in rate limits lifted like the other bench relays. Its CPU is the process tree's, from
 * /proc.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/backend/storage/index.ts';
import { createLabProfile } from '../test/integration/harness.ts';
import type { LabInfo } from '../test/lab/lab.ts';
import { outlookIwaArgs } from '../test/lab/outlook-iwa.ts';
import { freePort, stopChild } from '../test/lab/proc.ts';
import { treeCpuMicros } from './proc-cpu.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const UNLIMITED = '1000000000/1000000000';

export interface WorkersRelay {
  readonly pid: number;
  readonly port: number;
  readonly workers: number;
  /** CPU of the primary and its workers so far, microseconds. */
  cpuMicros(): number;
  stop(): Promise<void>;
}

export async function startWorkersRelay(lab: LabInfo, workers: number): Promise<WorkersRelay> {
  const dir = await mkdtemp(join(tmpdir(), 'iwa-bench-workers-'));
  const database = `sqlite:${join(dir, 'iwa.db')}`;
  const store = await openStore(database);
  try {
    await createLabProfile(store, lab);
  } finally {
    await store.close();
  }
  const port = await freePort();
  const child = spawn(
    process.execPath,
    outlookIwaArgs(
      'serve', '--workers', String(workers), '--host', '127.0.0.1', '--port', String(port),
      '--public-url', `https://${lab.hosts.relay}:${port}/`,
      '--tls-cert', lab.tls.relayCertPath, '--tls-key', lab.tls.relayKeyPath,
      '--database', database, '--resolve', `${lab.hosts.cas}:127.0.0.1`, '--log-level', 'warn',
      '--iwa-address-rate', UNLIMITED, '--iwa-mailbox-failures', UNLIMITED,
      '--max-handshakes-per-address', '10000',
    ),
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  ); // prettier-ignore
  let err = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d.slice(-4000)));
  child.on('error', (e) => (err += `\nspawn: ${e.message}`));
  const cleanup = async () => {
    await stopChild(child, [], 20_000);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  // The primary's "workers serving" line is at info, below --log-level warn (request logs off,
  // as for the other bench relays): wait for N workers under the primary, then for the port
  // to answer 2N requests in a row (connections go round-robin to the listening workers).
  try {
    for (let ok = 0; ok < 2 * workers;) {
      if (child.exitCode !== null) throw new Error(`serve --workers exited (${child.exitCode}): ${err}`);
      if (Date.now() > deadline) throw new Error(`serve --workers ${workers} did not start: ${err}`);
      const up = childCount(child.pid ?? 0) >= workers && (await healthy(lab, port));
      ok = up ? ok + 1 : 0;
      if (!up) await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
  const pid = child.pid ?? 0;
  return {
    pid,
    port,
    workers,
    cpuMicros: () => treeCpuMicros(pid),
    stop: cleanup,
  };
}

function childCount(pid: number): number {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
      .length;
  } catch {
    return 0;
  }
}

function healthy(lab: LabInfo, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        servername: lab.hosts.relay,
        path: '/healthz',
        ca: lab.tls.caCertPem,
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode === 200);
        });
      },
    );
    req.setTimeout(5_000, () => req.destroy());
    req.on('error', () => {
      resolve(false);
    });
    req.end();
  });
}
