/** Starts `bench/relay-server.ts` as a child process and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RelayLimits } from '../src/backend/relay/relay.ts';
import type { CasEfficiency } from '../src/backend/cas/client.ts';
import type { LabInfo } from '../test/lab/lab.ts';
import type { BenchStats } from './relay-server.ts';

const SERVER = fileURLToPath(new URL('./relay-server.ts', import.meta.url));

export interface RelayProcess {
  readonly pid: number;
  readonly port: number;
  stats(): Promise<BenchStats>;
  gc(): Promise<BenchStats & { gc: boolean }>;
  /** The relay's identity-probe and storage call times (ms) since the last reset. */
  timings(reset?: boolean): Promise<Record<string, number[]>>;
  /** Starts the V8 CPU profiler in the relay. */
  profileStart(): Promise<void>;
  /** Stops it; the path of the `.cpuprofile` file (gone once the relay stops). */
  profileStop(): Promise<string | null>;
  stop(): Promise<void>;
}

export async function startRelayProcess(
  lab: LabInfo,
  limits: Partial<RelayLimits>,
  opts: { addinDir?: string; upstream?: Partial<CasEfficiency> } = {},
): Promise<RelayProcess> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    BENCH_LAB: JSON.stringify(lab),
    BENCH_LIMITS: JSON.stringify(limits),
  };
  if (opts.addinDir !== undefined) env.BENCH_ADDIN_DIR = opts.addinDir;
  if (opts.upstream !== undefined) env.BENCH_UPSTREAM = JSON.stringify(opts.upstream);
  const child: ChildProcess = fork(SERVER, [], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]),
    ],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number }>((resolve, reject) => {
    const t = setTimeout(() => {
      reject(new Error('bench relay server did not start within 30 s'));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`bench relay server exited (${String(code)})`));
    });
    child.once('error', (err) => {
      clearTimeout(t);
      reject(err);
    });
    child.once('message', (m: { ready?: boolean; port: number }) => {
      clearTimeout(t);
      resolve(m);
    });
  }).catch((err: unknown) => {
    // Not left running (or half-started) when the bench gives up on it.
    child.kill('SIGKILL');
    throw err;
  });
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (m: { id?: number; result?: unknown; error?: string }) => {
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(`bench relay server: ${m.error}`));
    else p?.resolve(m.result);
  });
  // Without a listener, an IPC failure (a send after the child died) is thrown as an
  // uncaught 'error' event and kills the bench.
  child.on('error', (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });
  child.once('exit', (code, signal) => {
    for (const p of pending.values())
      p.reject(new Error(`bench relay server exited (${String(code ?? signal)})`));
    pending.clear();
  });
  const ask = <T>(msg: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!child.connected) {
        reject(new Error(`bench relay server is gone: cannot ask ${String(msg.op)}`));
        return;
      }
      const id = next++;
      const t = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`bench relay server: no answer to ${String(msg.op)}`));
      }, 30_000);
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(t);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      });
      child.send({ id, ...msg }, (err) => {
        if (err === null) return;
        pending.delete(id);
        clearTimeout(t);
        reject(err);
      });
    });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else
      child.once('exit', () => {
        resolve();
      });
  });
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid ?? 0,
    port: ready.port,
    stats: () => ask<BenchStats>({ op: 'stats' }),
    gc: () => ask<BenchStats & { gc: boolean }>({ op: 'gc' }),
    timings: (reset = true) => ask<Record<string, number[]>>({ op: 'timings', reset }),
    profileStart: () => ask<undefined>({ op: 'profileStart' }),
    profileStop: () => ask<string | null>({ op: 'profileStop' }),
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode !== null) return;
        await Promise.race([ask({ op: 'stop' }).catch(() => undefined), exited]);
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      })()),
  };
}
