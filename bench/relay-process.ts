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
    child.once('message', (m: { ready?: boolean; port: number }) => {
      clearTimeout(t);
      resolve(m);
    });
  });
  child.removeAllListeners('exit');
  let next = 1;
  const pending = new Map<number, (v: unknown) => void>();
  child.on('message', (m: { id?: number; result?: unknown }) => {
    if (m.id === undefined) return;
    pending.get(m.id)?.(m.result);
    pending.delete(m.id);
  });
  const ask = <T>(msg: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      const t = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`bench relay server: no answer to ${String(msg.op)}`));
      }, 30_000);
      pending.set(id, (v) => {
        clearTimeout(t);
        resolve(v as T);
      });
      child.send({ id, ...msg });
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
