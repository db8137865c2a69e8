/**
 * Small process and port helpers for the lab. Everything here is loopback-only and bounded
 * by timeouts, because a hung helper would hang the whole Vitest run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, readdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  cwd?: string;
}

/** Runs a command to completion and collects its output. Never uses a shell. */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A child that exits before reading stdin makes the write fail with EPIPE; the exit
    // code is what matters then.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Like {@link run} but throws (with stderr, never stdin) when the exit code is not 0. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (code ${String(r.code)}, signal ${String(r.signal)}): ${r.stderr.trim()}`,
    );
  }
  return r;
}

// Ports handed out by this process and not yet released: the `lab` and `browser` Vitest
// projects start their labs from the same main process, so the kernel alone cannot stop
// two labs from picking the same just-closed port.
const reserved = new Set<number>();

function tcpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => {
      resolve(false);
    });
    srv.listen({ host: '127.0.0.1', port, exclusive: true }, () =>
      srv.close(() => {
        resolve(true);
      }),
    );
  });
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind(port, '127.0.0.1', () =>
      s.close(() => {
        resolve(true);
      }),
    );
  });
}

function ephemeralTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port: 0 }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * A loopback port that is free now for TCP (and UDP, when asked: the KDC listens on both).
 * The kernel picks it, so it never collides with a system service that is already bound.
 */
export async function freePort(opts: { udp?: boolean } = {}): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await ephemeralTcpPort();
    if (reserved.has(port)) continue;
    if (opts.udp === true && !(await udpPortFree(port))) continue;
    if (!(await tcpPortFree(port))) continue;
    reserved.add(port);
    return port;
  }
  throw new Error('no free loopback port found');
}

export function releasePorts(ports: Iterable<number>): void {
  for (const p of ports) reserved.delete(p);
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
export async function waitForTcp(
  port: number,
  opts: { timeoutMs?: number; alive?: () => string | undefined } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        resolve(false);
      });
    });
    if (ok) return;
    const dead = opts.alive?.();
    if (dead !== undefined) throw new Error(dead);
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after waiting`);
    await sleep(15);
  }
}

/**
 * Signals one process, and only a real one: pid 0, -1 or a negative pid would signal a whole
 * process group or every process we may signal.
 */
export function killPid(pid: number, signal: NodeJS.Signals): void {
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/** True while a process with this pid exists (zombies count as gone). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0); look at its state so that "stopped" means stopped.
  try {
    const stat = readProcStat(pid);
    return stat?.state !== 'Z';
  } catch {
    return true;
  }
}

interface ProcStat {
  state: string;
  ppid: number;
}

function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0] ?? '?', ppid: Number(rest[1]) };
}

/** Direct children of a process, from /proc (Apache's workers, for instance). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readProcStat(Number(name));
    if (st?.ppid === pid) out.push(Number(name));
  }
  return out;
}

/** Waits until none of the pids exist any more. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(pidAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

/**
 * Stops a child we spawned: SIGTERM, then SIGKILL after `graceMs`, and waits until it and
 * the given extra pids (its own children) are gone.
 */
export async function stopChild(
  child: ChildProcess,
  extraPids: readonly number[] = [],
  graceMs = 3000,
): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) =>
          child.once('exit', () => {
            resolve();
          }),
        );
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const t = setTimeout(() => {
    child.kill('SIGKILL');
    for (const p of extraPids) killPid(p, 'SIGKILL');
  }, graceMs);
  await exited;
  if (!(await waitGone(extraPids, graceMs))) {
    for (const p of extraPids) killPid(p, 'SIGKILL');
    await waitGone(extraPids, 1000);
  }
  clearTimeout(t);
}
