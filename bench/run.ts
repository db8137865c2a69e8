/**
 * `npm run bench`: the relay against direct Exchange (the lab's Apache CAS), side by side in
 * one run on this machine. Starts its own lab, relay servers, HAProxy and Chromium, stops them
 * all, prints a table with each target met or missed, and writes JSON plus a PNG chart to
 * bench/results/. See docs/performance.md.
 *
 * Environment knobs (defaults in brackets): BENCH_ONLY=handshake,throughput,memory,pane [all],
 * BENCH_SAMPLES sign-ins per cell in the handshake phase [60], BENCH_SECONDS per throughput
 * window [4], BENCH_MEMORY in-flight steps [1000,5000], BENCH_EXPIRY handshakes in the expiry run [1000].
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RelayLimits } from '../src/backend/relay/relay.ts';
import { kinit } from '../test/lab/clients.ts';
import { startLab, type Lab } from '../test/lab/lab.ts';
import { renderChart } from './chart.ts';
import { classifyProfile, type CpuProfile } from './cpu-profile.ts';
import { startHaproxy, type HaproxyPassThrough } from './haproxy.ts';
import { directTarget, LoadRunner, relayTarget, resumingTls, type Target } from './load.ts';
import { HandshakeHolder } from './memory.ts';
import { buildPane, fetchSignIn, initialJs, paneSignIn } from './pane.ts';
import { treeCpuMicros } from './proc-cpu.ts';
import { startRelayProcess, type RelayProcess } from './relay-process.ts';
import { formatReport, type BenchResults, type HandshakeRow, type MemoryPoint } from './report.ts';
import { median, percentile, round, sum } from './stats.ts';
import { startWorkersRelay } from './workers-process.ts';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const only = new Set((process.env.BENCH_ONLY ?? 'handshake,throughput,memory,pane').split(','));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 60);
const ROUNDS = 4;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const MEMORY_STEPS = (process.env.BENCH_MEMORY ?? '1000,5000').split(',').map(Number);
const EXPIRY_N = Number(process.env.BENCH_EXPIRY ?? 1000);
const CONCURRENCY = [1, 8, 64];

/**
 * No rate limiting: every sign-in comes from 127.0.0.1 as alice, and the memory run holds
 * thousands of handshakes open from that one address.
 */
const BENCH_LIMITS: Partial<RelayLimits> = {
  perAddress: { burst: 1e9, perMinute: 1e9 },
  perMailbox: { burst: 1e9, perMinute: 1e9 },
  maxHandshakesPerAddress: 1e9,
};

const T0 = performance.now();
const log = (msg: string) =>
  process.stderr.write(`[bench ${((performance.now() - T0) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
}
const state = { interrupted: false };
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    state.interrupted = true;
    log(`${sig}: stopping everything`);
    void cleanup().finally(() => process.exit(130));
  });
}
// Not masked: an error nobody awaited is reported with its stack, the lab and relays are
// stopped, and the run fails. Without this an unattended run died leaving Apache, the KDC
// and relays behind.
let dying = false;
function fatal(kind: string, err: unknown): void {
  process.stderr.write(
    `[bench] ${kind}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  if (dying) return;
  dying = true;
  void cleanup().finally(() => process.exit(1));
}
process.on('uncaughtException', (err) => {
  fatal('uncaught exception', err);
});
process.on('unhandledRejection', (reason) => {
  fatal('unhandled rejection', reason);
});

/** Once more on failure: a port found free can be taken before the child binds it. */
async function retryOnce<T>(what: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    log(
      `${what} did not start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); trying again`,
    );
    return start();
  }
}

async function main(): Promise<BenchResults> {
  const t0 = performance.now();
  // A fresh clone has no bench/results/: make it before hours of measuring, not after.
  await mkdir(RESULTS, { recursive: true });
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAvgStart: loadavg().map((l) => round(l, 2)),
    },
    settings: { samples: SAMPLES, rounds: ROUNDS, seconds: SECONDS, memorySteps: MEMORY_STEPS },
    handshake: [],
    cpuBreakdown: [],
    identityProbe: [],
    throughput: [],
    memory: undefined,
    pane: undefined,
    durationS: 0,
  };

  // The pane build first: it is CPU-heavy and must not overlap any measurement.
  let paneDir: string | undefined;
  if (only.has('pane')) {
    paneDir = await mkdtemp(join(tmpdir(), 'iwa-bench-pane-'));
    const dir = paneDir;
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    log('building the task pane (vite build)…');
    const build = await buildPane(paneDir);
    if (build.ok) {
      const js = await initialJs(paneDir);
      results.pane = { initialJs: js, buildMs: round(build.ms, 0), timing: undefined };
    } else {
      log(`pane build failed: ${build.log}`);
      results.pane = {
        initialJs: undefined,
        buildMs: round(build.ms, 0),
        timing: undefined,
        error: build.log,
      };
    }
  }

  log('starting the lab…');
  const lab: Lab = await startLab();
  cleanups.push(() => lab.stop());
  const ccache = await kinit(lab.info, 'alice');
  const runner = new LoadRunner({ lab: lab.info, ccache });
  cleanups.push(() => runner.close());

  const relay = await startRelayProcess(
    lab.info,
    BENCH_LIMITS,
    paneDir === undefined ? {} : { addinDir: paneDir },
  );
  cleanups.push(() => relay.stop());
  const direct = directTarget(lab.info);
  const relayT = relayTarget(lab.info, relay.port, 'relay');

  if (only.has('handshake')) {
    const before = await startRelayProcess(lab.info, BENCH_LIMITS, {
      upstream: { spares: 0, probeCacheMs: 0 },
    });
    cleanups.push(() => before.stop());
    const haproxy: HaproxyPassThrough = await retryOnce('HAProxy', () => startHaproxy(lab.info.cas.port));
    cleanups.push(() => haproxy.stop());
    // Both client behaviours on both paths: a new TLS handshake per sign-in, and a client that
    // resumes its TLS session on each new connection, as browsers do (docs/performance.md).
    const targets: { t: Target; process?: RelayProcess }[] = [
      { t: direct },
      { t: resumingTls(direct) },
      { t: directTarget(lab.info, haproxy.port, 'haproxy') },
      { t: relayTarget(lab.info, before.port, 'relay-before'), process: before },
      { t: relayT, process: relay },
      { t: resumingTls(relayT), process: relay },
    ];
    // The CAS: Apache (its master and workers) and the EWS stand-in behind it.
    const casCpu = () => treeCpuMicros(lab.info.pids.apache) + treeCpuMicros(lab.info.pids.standin);
    log(`handshake cost: ${SAMPLES} sign-ins per path and mechanism, in ${ROUNDS} interleaved rounds…`);
    const raw = new Map<
      string,
      {
        ms: number[];
        followUp: number[];
        probe: number[];
        cpu: number;
        casCpu: number;
        n: number;
        resumed: number;
      }
    >();
    for (const mech of ['krb5', 'ntlm'] as const) {
      // Warm-up: tickets in the ccache, TLS sessions, JIT.
      for (const { t } of targets) await runner.sequential(t, mech, 3);
    }
    for (const { process: p } of targets) await p?.timings(true);
    const per = Math.ceil(SAMPLES / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const mech of ['krb5', 'ntlm'] as const) {
        for (const { t, process: p } of targets) {
          const key = `${mech}/${t.name}`;
          const cell = raw.get(key) ?? {
            ms: [],
            followUp: [],
            probe: [],
            cpu: 0,
            casCpu: 0,
            n: 0,
            resumed: 0,
          };
          const cpu0 = p === undefined ? 0 : (await p.stats()).cpuMicros;
          const cas0 = casCpu();
          const r = await runner.sequential(t, mech, per);
          cell.casCpu += casCpu() - cas0;
          if (p !== undefined) {
            cell.cpu += (await p.stats()).cpuMicros - cpu0;
            cell.probe.push(...((await p.timings(true)).identityProbe ?? []));
          }
          if (r.failed > 0) log(`  ${key}: ${r.failed} failed: ${JSON.stringify(r.errors)}`);
          cell.ms.push(...r.detail.map((d) => d.ms));
          cell.followUp.push(...r.detail.map((d) => sum(d.followUpsMs)));
          cell.n += r.completed;
          cell.resumed += r.tlsResumed ?? 0;
          raw.set(key, cell);
        }
      }
      log(`  round ${round + 1}/${ROUNDS} done`);
    }
    for (const mech of ['krb5', 'ntlm'] as const) {
      for (const { t } of targets) {
        const c = raw.get(`${mech}/${t.name}`);
        // Each row against direct with the same client behaviour.
        const d = raw.get(`${mech}/${t.resumeTls === true ? 'direct-resumed' : 'direct'}`);
        if (c === undefined || d === undefined) continue;
        const row: HandshakeRow = {
          mech,
          path: t.name,
          tls: t.resumeTls === true ? 'resumed' : 'new',
          n: c.n,
          p50: round(median(c.ms), 2),
          p95: round(percentile(c.ms, 0.95), 2),
          ratioP50: round(median(c.ms) / median(d.ms), 2),
          ratioP95: round(percentile(c.ms, 0.95) / percentile(d.ms, 0.95), 2),
          casCpuMsPerSignIn: round(c.casCpu / 1000 / Math.max(1, c.n), 2),
        };
        if (t.resumeTls === true) row.tlsResumedShare = round(c.resumed / Math.max(1, c.n), 2);
        if (t.name.startsWith('relay')) row.cpuMsPerSignIn = round(c.cpu / 1000 / Math.max(1, c.n), 2);
        results.handshake.push(row);
        // The identity probe: ConvertId on the authenticated connection (direct: the client's
        // own follow-up request; relay: timed inside the relay).
        const probe = t.direct ? c.followUp : c.probe;
        if (t.name === 'direct' || t.name === 'relay') {
          results.identityProbe.push({
            mech,
            path: t.name,
            p50: round(median(probe), 2),
            shareOfSignIn: round(median(probe) / median(c.ms), 3),
          });
        }
      }
    }
    await haproxy.stop();
    await before.stop();

    // Where the relay's CPU goes: one more round per mechanism with the V8 profiler on (kept
    // out of the measured rounds, whose latency and CPU it would inflate).
    const n = Math.max(20, per);
    log(`CPU profile of the relay: ${n} sign-ins per mechanism, new TLS each…`);
    for (const mech of ['krb5', 'ntlm'] as const) {
      await relay.profileStart();
      const r = await runner.sequential(relayT, mech, n);
      const file = await relay.profileStop();
      if (file === null) continue;
      const text = await readFile(file, 'utf8');
      // Kept for a closer look (Chrome DevTools, or bench/cpu-top.ts).
      await writeFile(join(RESULTS, `relay-${mech}.cpuprofile`), text);
      const stages = classifyProfile(JSON.parse(text) as CpuProfile);
      const measured = results.handshake.find(
        (h) => h.mech === mech && h.path === 'relay' && h.tls === 'new',
      );
      results.cpuBreakdown.push({
        mech,
        signIns: r.completed,
        profiledMsPerSignIn: round(sum(Object.values(stages)) / 1000 / Math.max(1, r.completed), 2),
        measuredMsPerSignIn: measured?.cpuMsPerSignIn,
        stagesMicros: stages,
      });
    }
  }

  if (only.has('throughput')) {
    log(`throughput: Kerberos, closed loop, ${SECONDS} s windows at concurrency ${CONCURRENCY.join(', ')}…`);
    const cluster = await retryOnce('serve --workers 2', () => startWorkersRelay(lab.info, 2));
    cleanups.push(() => cluster.stop());
    const workersT = relayTarget(lab.info, cluster.port, 'relay-workers2');
    // Warm both workers up (modules loaded on first use, JIT, TLS) as the other relay was in
    // the handshake phase: connections alternate between the workers.
    await runner.sequential(workersT, 'krb5', 8);
    const cpuOf = async (t: Target): Promise<number | undefined> =>
      t === relayT ? (await relay.stats()).cpuMicros : t === workersT ? cluster.cpuMicros() : undefined;
    for (const c of CONCURRENCY) {
      for (const t of [direct, relayT, workersT]) {
        const s0 = await cpuOf(t);
        const r = await runner.closedLoop(t, 'krb5', c, SECONDS);
        const s1 = await cpuOf(t);
        // The relay's CPU over the whole closed-loop run (the processes idle until the window
        // opens) divided by the sign-ins completed inside the window: a slight overestimate.
        const perSignIn =
          s0 === undefined || s1 === undefined ? undefined : (s1 - s0) / 1000 / Math.max(1, r.completed);
        results.throughput.push({
          mech: 'krb5',
          path: t.name,
          concurrency: c,
          completed: r.completed,
          failed: r.failed,
          perSecond: round(r.completed / r.seconds, 1),
          p50: round(median(r.latenciesMs), 1),
          p95: round(percentile(r.latenciesMs, 0.95), 1),
          ...(perSignIn === undefined ? {} : { cpuMsPerSignIn: round(perSignIn, 2) }),
        });
        if (r.failed > 0) log(`  ${t.name} @${c}: ${r.failed} failed: ${JSON.stringify(r.errors)}`);
        await sleep(500);
      }
      log(`  concurrency ${c} done`);
    }
    await cluster.stop();
  }

  if (only.has('memory')) {
    log(`memory: ${MEMORY_STEPS.join(', ')} handshakes in flight (first leg sent, the rest held back)…`);
    // Long enough that none expires while the rest are opened on a busy machine.
    const ttlMs = 600_000;
    const mem = await startRelayProcess(lab.info, {
      ...BENCH_LIMITS,
      maxHandshakes: 20_000,
      handshakeTtlMs: ttlMs,
    });
    cleanups.push(() => mem.stop());
    const holder = new HandshakeHolder(lab.info, mem.port);
    cleanups.push(() => holder.close());
    const points: MemoryPoint[] = [];
    const measure = async (p: RelayProcess, h: HandshakeHolder, label: string, target: number) => {
      const s = await p.gc();
      const point: MemoryPoint = {
        label,
        target,
        inFlight: s.inFlight,
        openConnections: h.count,
        rssMiB: round(s.rss / 2 ** 20, 1),
        heapMiB: round(s.heapUsed / 2 ** 20, 1),
        externalMiB: round(s.external / 2 ** 20, 1),
        rss: s.rss,
        heap: s.heapUsed,
        external: s.external,
        upstreamSockets: s.upstreamSockets,
      };
      points.push(point);
      return point;
    };
    // Warm the server up (code paths, TLS) with a few handshakes that are then dropped.
    await holder.open(50, 10);
    await holder.close();
    await sleep(300);
    const zero = await measure(mem, holder, '0 in flight', 0);
    for (const n of MEMORY_STEPS) {
      await holder.open(n - holder.count);
      await measure(mem, holder, `${n} in flight`, n);
      log(`  ${n} in flight`);
    }
    const top = points.at(-1) ?? zero;
    await holder.close();
    await sleep(500);
    const closed = await measure(mem, holder, 'browsers closed their connections', 0);
    await mem.stop();

    // Expiry: a relay whose handshakes live 3 s; the connections stay open.
    const expiryTtlMs = 3_000;
    const exp = await startRelayProcess(lab.info, {
      ...BENCH_LIMITS,
      maxHandshakes: 20_000,
      handshakeTtlMs: expiryTtlMs,
    });
    cleanups.push(() => exp.stop());
    const expHolder = new HandshakeHolder(lab.info, exp.port);
    cleanups.push(() => expHolder.close());
    await expHolder.open(50, 10);
    await expHolder.close();
    await sleep(300);
    const expZero = await measure(exp, expHolder, `expiry run (TTL ${expiryTtlMs / 1000} s): 0 in flight`, 0);
    await expHolder.open(EXPIRY_N);
    const deadline = performance.now() + expiryTtlMs + 10_000;
    while (performance.now() < deadline && (await exp.stats()).inFlight > 0) await sleep(250);
    const expired = await measure(
      exp,
      expHolder,
      `expiry run: ${EXPIRY_N} opened, all expired, connections open`,
      0,
    );
    await expHolder.close();
    await sleep(500);
    const expClosed = await measure(exp, expHolder, 'expiry run: connections closed', 0);
    await exp.stop();

    const n = Math.max(1, top.inFlight);
    results.memory = {
      ttlMs,
      expiryTtlMs,
      failed: holder.failed + expHolder.failed,
      points,
      bytesPerInFlight: Math.round((top.rss - zero.rss) / n),
      heapBytesPerInFlight: Math.round((top.heap + top.external - zero.heap - zero.external) / n),
      afterCloseMiB: closed.rssMiB,
      heapAfterCloseMiB: closed.heapMiB,
      expiry: {
        opened: EXPIRY_N,
        rssBeforeMiB: expZero.rssMiB,
        heapBeforeMiB: expZero.heapMiB,
        rssExpiredMiB: expired.rssMiB,
        heapExpiredMiB: expired.heapMiB,
        inFlightAfter: expired.inFlight,
        rssClosedMiB: expClosed.rssMiB,
        heapClosedMiB: expClosed.heapMiB,
      },
    };
  }

  if (only.has('pane') && results.pane !== undefined && paneDir !== undefined) {
    log('pane: Chromium, Kerberos as alice, page load → signed in…');
    const origin = `https://${lab.info.hosts.relay}:${relay.port}`;
    try {
      if (results.pane.initialJs === undefined) throw new Error('the pane did not build');
      results.pane.timing = await paneSignIn(lab.info, origin, 3);
    } catch (err) {
      const why = `the pane did not reach "Signed in as": ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      log(`  ${why}; measuring fetch('/api/auth/iwa') from a page instead`);
      try {
        results.pane.timing = await fetchSignIn(lab.info, origin, 3, why);
      } catch (err2) {
        // The pane row is reported as failed; the other results still count.
        const why2 = err2 instanceof Error ? err2.message.split('\n')[0] : String(err2);
        log(`  fetch from a page failed too: ${why2}`);
        results.pane.error = `${why}; fetch fallback: ${why2}`;
      }
    }
  }

  results.machine.loadAvgEnd = loadavg().map((l) => round(l, 2));
  await cleanup();
  results.durationS = round((performance.now() - t0) / 1000, 0);
  return results;
}

try {
  const results = await main();
  await mkdir(RESULTS, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const report = formatReport(results);
  await writeFile(
    join(RESULTS, `bench-${stamp}.json`),
    `${JSON.stringify({ ...results, report }, null, 2)}\n`,
  );
  await writeFile(join(RESULTS, 'latest.json'), `${JSON.stringify({ ...results, report }, null, 2)}\n`);
  try {
    const png = await renderChart(results);
    await writeFile(join(RESULTS, `bench-${stamp}.png`), png);
    await writeFile(join(RESULTS, 'latest.png'), png);
  } catch (err) {
    log(`chart not rendered: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.stdout.write(`${report.text}\n`);
  process.stdout.write(`\nResults: bench/results/bench-${stamp}.{json,png} (also latest.json, latest.png)\n`);
} catch (err) {
  if (!state.interrupted) {
    process.stderr.write(
      `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    await cleanup();
    process.exitCode = 1;
  }
}
