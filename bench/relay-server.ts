/**
 * The relay under test, in its own process so its CPU time and memory are its own: the real
 * HTTPS server (`startServer`) with a throw-away SQLite database and the lab profile. Started by
 * `bench/run.ts` with `fork()`; it answers IPC requests (stats, gc, probe timings, stop).
 *
 * The lab's LabInfo arrives as JSON in `BENCH_LAB`, the relay limits in `BENCH_LIMITS`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ewsIdentityProbe } from '../src/backend/relay/identity-probe.ts';
import type { RelayLimits } from '../src/backend/relay/relay.ts';
import type { CasEfficiency } from '../src/backend/cas/client.ts';
import { startServer } from '../src/backend/server.ts';
import { openStore } from '../src/backend/storage/index.ts';
import { labLookup } from '../test/lab/clients.ts';
import type { LabInfo } from '../test/lab/lab.ts';
import { createLabProfile } from '../test/integration/harness.ts';

export type BenchRequest =
  | { id: number; op: 'stats' }
  | { id: number; op: 'gc' }
  | { id: number; op: 'timings'; reset: boolean }
  | { id: number; op: 'profileStart' }
  | { id: number; op: 'profileStop' }
  | { id: number; op: 'stop' };

export interface BenchStats {
  rss: number;
  heapUsed: number;
  external: number;
  /** process.cpuUsage(): user + system, microseconds. */
  cpuMicros: number;
  inFlight: number;
  upstreamSockets: number;
  upstreamSpares: number;
}

// Die loudly rather than hang the bench: the parent sees the exit and reports it.
process.on('uncaughtException', (err) => {
  process.stderr.write(`bench relay server: uncaught ${err.stack ?? err.message}\n`);
  process.exit(70);
});
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`bench relay server: unhandled rejection ${String(reason)}\n`);
  process.exit(70);
});

const lab = JSON.parse(process.env.BENCH_LAB ?? 'null') as LabInfo | null;
if (lab === null || process.send === undefined) {
  process.stderr.write('bench/relay-server.ts: run by bench/run.ts (fork, BENCH_LAB)\n');
  process.exit(2);
}
const limits = JSON.parse(process.env.BENCH_LIMITS ?? '{}') as Partial<RelayLimits>;
const addinDir = process.env.BENCH_ADDIN_DIR;
// Spares and probe cache on (the defaults) or off, to show the before and after in one run.
const casEfficiency = JSON.parse(process.env.BENCH_UPSTREAM ?? '{}') as Partial<CasEfficiency>;

const dir = await mkdtemp(join(tmpdir(), 'iwa-bench-relay-'));
const store = await openStore(`sqlite:${join(dir, 'iwa.db')}`);
await createLabProfile(store, lab);
const server = await startServer(
  {
    host: '127.0.0.1',
    port: 0,
    publicUrl: new URL(`https://${lab.hosts.relay}/`),
    tls: { certFile: lab.tls.relayCertPath, keyFile: lab.tls.relayKeyPath },
    database: 'sqlite:unused',
    // The memory run holds 5 000 connections; the default cap (4 096) would refuse the rest.
    connections: { maxConnections: 20_000 },
  },
  {
    store,
    lookup: labLookup,
    logger: false,
    relayLimits: limits,
    casEfficiency,
    ...(addinDir === undefined ? {} : { addinDir }),
  },
);

// Time the identity probe (ConvertId on the authenticated connection) and the storage calls as
// the relay makes them. The relay holds these very objects and looks the methods up on each
// call, so wrapping them measures the real calls.
let timings: Record<string, number[]> = {};
function timed<A extends unknown[], R>(
  name: string,
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const t0 = performance.now();
    try {
      return await fn(...args);
    } finally {
      (timings[name] ??= []).push(performance.now() - t0);
    }
  };
}
ewsIdentityProbe.prove = timed('identityProbe', ewsIdentityProbe.prove.bind(ewsIdentityProbe));
store.sessions.issue = timed('issueSession', store.sessions.issue.bind(store.sessions));
store.audit.record = timed('audit', store.audit.record.bind(store.audit));
store.profiles.effective = timed('effectiveProfile', store.profiles.effective.bind(store.profiles));

const gc = (globalThis as { gc?: () => void }).gc;

function stats(): BenchStats {
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    cpuMicros: cpu.user + cpu.system,
    inFlight: server.app.relay.inFlight,
    upstreamSockets: server.app.cas.liveSockets,
    upstreamSpares: server.app.cas.spareSockets,
  };
}

// The V8 sampling profiler over the inspector protocol, on demand: only the sign-ins the bench
// asks about are profiled. 200 µs between samples: a sign-in costs a few ms of CPU.
let profiler: Session | undefined;
async function profileStart(): Promise<void> {
  profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
  await profiler.post('Profiler.start');
}
/** Writes the profile to a file (it can be megabytes: not for IPC) and returns its path. */
async function profileStop(): Promise<string | null> {
  if (profiler === undefined) return null;
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = undefined;
  const file = join(dir, `relay-${Date.now()}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  return file;
}

async function stop(): Promise<void> {
  await server.shutdown(500);
  await store.close();
  await rm(dir, { recursive: true, force: true });
}

process.on('message', (msg: BenchRequest) => {
  void (async () => {
    // A failing op answers with its error instead of leaving the parent waiting 30 s.
    try {
      let result: unknown;
      switch (msg.op) {
        case 'stats':
          result = stats();
          break;
        case 'gc':
          // Twice: the first pass can leave finalizers for the second.
          gc?.();
          await new Promise((r) => setTimeout(r, 50));
          gc?.();
          result = { gc: gc !== undefined, ...stats() };
          break;
        case 'timings':
          result = timings;
          if (msg.reset) timings = {};
          break;
        case 'profileStart':
          await profileStart();
          result = null;
          break;
        case 'profileStop':
          result = await profileStop();
          break;
        case 'stop':
          await stop();
          process.send?.({ id: msg.id, result: null }, () => process.exit(0));
          return;
      }
      process.send?.({ id: msg.id, result });
    } catch (err) {
      process.send?.({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
    }
  })();
});
// The parent went away without saying stop: do not outlive it.
process.on('disconnect', () => {
  void stop().finally(() => process.exit(0));
});

process.send({ ready: true, url: server.url, port: Number(new URL(server.url).port) });
