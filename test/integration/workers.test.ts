/**
 * `outlook-iwa serve --workers 2`: two server processes behind one port (node:cluster). Shows
 * that both workers take connections on the one port (their sockets, read from /proc, not a
 * debug header), that a limit charged in one worker is seen by the other (the probe-rate
 * budget is spent once, not once per worker), that a dead worker is replaced, and that
 * SIGTERM to the primary stops every process.
 */
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_PROBE_RATE_LIMIT } from '../../src/backend/config.ts';
import { outlookIwaArgs } from '../lab/outlook-iwa.ts';
import { freePort } from '../lab/proc.ts';
import { jsonLogs, spawnCli, type CliRun, type Exit } from './serve-process.ts';

const lab = inject('lab');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RELAY = lab.hosts.relay;

/** The primary's child processes, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

/** Inodes of ESTABLISHED TCP sockets whose local port is `port` (/proc/net/tcp). */
function establishedOn(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hexPort}`) === true && f[3] === '01' && f[9] !== undefined) inodes.add(f[9]);
    }
  }
  return inodes;
}

/** How many of the port's established connections process `pid` holds. */
function connectionsHeldBy(pid: number, port: number): number {
  const live = establishedOn(port);
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode !== undefined && live.has(inode)) n++;
  }
  return n;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function get(port: number, path: string, agent: Agent | false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, servername: RELAY, path, ca: lab.tls.caCertPem, agent },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('outlook-iwa serve --workers 2', () => {
  let tmp: string;
  let port: number;
  let run: CliRun;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'outlook-iwa-workers-'));
    port = await freePort();
    run = spawnCli(
      outlookIwaArgs(
        'serve', '--host', '127.0.0.1', '--port', String(port), '--workers', '2',
        '--tls-cert', lab.tls.relayCertPath, '--tls-key', lab.tls.relayKeyPath,
        '--database', `sqlite:${join(tmp, 'workers.db')}`,
      ),
      { cwd: ROOT },
    ); // prettier-ignore
    await until(
      'the primary to report both workers serving',
      () => {
        if (run.child.exitCode !== null) throw new Error(`serve exited: ${run.stderr()}`);
        return jsonLogs(run).some((l) => l.msg === 'workers serving');
      },
      60_000,
    );
  });

  afterAll(async () => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await rm(tmp, { recursive: true, force: true });
  });

  it('forks two workers, and both take connections on the one port', async () => {
    const pid = run.child.pid ?? 0;
    const workers = childrenOf(pid);
    expect(workers).toHaveLength(2);
    const announced = jsonLogs(run).find((l) => l.msg === 'workers serving');
    expect([...((announced?.pids as number[] | undefined) ?? [])].sort()).toEqual([...workers].sort());
    // Four kept-alive connections, each with one answered request, held open together: the
    // primary deals connections round-robin, so each worker holds some of them.
    const agents = Array.from({ length: 4 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    try {
      const statuses = await Promise.all(agents.map((a) => get(port, '/healthz', a)));
      expect(statuses).toEqual([200, 200, 200, 200]);
      const held = workers.map((w) => connectionsHeldBy(w, port));
      expect(held.reduce((a, b) => a + b, 0)).toBe(4);
      for (const n of held) expect(n).toBeGreaterThan(0);
    } finally {
      for (const a of agents) a.destroy();
    }
  });

  it('a limit charged in one worker counts in the other: the probe budget is spent once', async () => {
    // Each request on its own connection, so both workers answer them. Separate in-memory
    // counters would admit 2 × the budget; shared ones admit the budget (plus what refills
    // while the requests run: one per 60/budget seconds).
    const sent = 2 * DEFAULT_PROBE_RATE_LIMIT;
    const t0 = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < sent; i++)
      statuses.push(await get(port, '/api/auth/methods?mailbox=nobody%40corp.test', false));
    const refilled = Math.ceil(((Date.now() - t0) / 60_000) * DEFAULT_PROBE_RATE_LIMIT);
    const admitted = statuses.filter((s) => s !== 429).length;
    // No profile serves the mailbox (404), but the request is charged before the lookup.
    expect(statuses.filter((s) => s !== 429 && s !== 404)).toEqual([]);
    expect(admitted).toBeGreaterThanOrEqual(DEFAULT_PROBE_RATE_LIMIT);
    expect(admitted).toBeLessThanOrEqual(DEFAULT_PROBE_RATE_LIMIT + refilled);
    expect(admitted).toBeLessThan(sent);
    expect(statuses.at(-1)).toBe(429);
  });

  it('a worker that dies is reported and replaced', async () => {
    const pid = run.child.pid ?? 0;
    const [victim, survivor] = childrenOf(pid);
    if (victim === undefined || survivor === undefined) throw new Error('expected two workers');
    process.kill(victim, 'SIGKILL');
    await until('a replacement worker', () => {
      const now = childrenOf(pid);
      return now.length === 2 && !now.includes(victim) && now.includes(survivor);
    });
    await until('the death in the log', () =>
      jsonLogs(run).some((l) => l.msg === 'worker died' && l.pid === victim && l.signal === 'SIGKILL'),
    );
    const replacement = childrenOf(pid).find((w) => w !== survivor);
    await until('the replacement to serve', () =>
      jsonLogs(run).some((l) => l.msg === 'replacement worker serving' && l.pid === replacement),
    );
    expect(await get(port, '/healthz', false)).toBe(200);
  });

  it('SIGTERM to the primary stops every worker and the primary, cleanly', async () => {
    const pid = run.child.pid ?? 0;
    const workers = childrenOf(pid);
    expect(workers).toHaveLength(2);
    run.child.kill('SIGTERM');
    const exit = await Promise.race([
      run.exited,
      new Promise<Exit>((_, reject) =>
        setTimeout(() => {
          reject(new Error('serve --workers 2 did not exit after SIGTERM'));
        }, 20_000),
      ),
    ]);
    expect(exit).toEqual({ code: 0, signal: null });
    for (const w of workers) expect(alive(w)).toBe(false);
    expect(jsonLogs(run).filter((l) => l.msg === 'worker stopped')).toHaveLength(2);
    await expect(get(port, '/healthz', false)).rejects.toThrow(/ECONNREFUSED/);
  });
});
