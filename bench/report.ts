/** The benchmark's result types, its targets, and the printed (and Markdown) table. */
import { STAGE_NAMES, STAGES, type Stage } from './cpu-profile.ts';
import type { Mech } from './load.ts';
import type { InitialJs, PaneTiming } from './pane.ts';
import { median, round } from './stats.ts';

export interface HandshakeRow {
  mech: Mech;
  /** direct | direct-resumed | haproxy | relay-before | relay | relay-resumed */
  path: string;
  /** The client's TLS: a new full handshake per sign-in, or its last session resumed. */
  tls: 'new' | 'resumed';
  n: number;
  p50: number;
  p95: number;
  ratioP50: number;
  ratioP95: number;
  cpuMsPerSignIn?: number;
  /** CPU of the CAS (Apache and the EWS stand-in, from /proc) per sign-in on this path. */
  casCpuMsPerSignIn?: number;
  /** Share of the connections on which the server resumed the offered TLS session. */
  tlsResumedShare?: number;
}

/** The relay's CPU per sign-in by stage, from a V8 CPU profile (bench/cpu-profile.ts). */
export interface CpuBreakdown {
  mech: Mech;
  signIns: number;
  /** CPU the profile sampled (idle left out) ÷ sign-ins, profiler running. */
  profiledMsPerSignIn: number;
  /** The relay row's measured CPU per sign-in (no profiler), which the shares are applied to. */
  measuredMsPerSignIn: number | undefined;
  stagesMicros: Record<Stage, number>;
}

export interface ThroughputRow {
  mech: Mech;
  path: string;
  concurrency: number;
  completed: number;
  failed: number;
  perSecond: number;
  p50: number;
  p95: number;
  cpuMsPerSignIn?: number;
}

export interface MemoryPoint {
  label: string;
  target: number;
  inFlight: number;
  openConnections: number;
  rssMiB: number;
  heapMiB: number;
  externalMiB: number;
  rss: number;
  heap: number;
  external: number;
  upstreamSockets: number;
}

export interface BenchResults {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAvgStart: number[]; loadAvgEnd?: number[] };
  settings: { samples: number; rounds: number; seconds: number; memorySteps: number[] };
  handshake: HandshakeRow[];
  cpuBreakdown: CpuBreakdown[];
  identityProbe: { mech: Mech; path: string; p50: number; shareOfSignIn: number }[];
  throughput: ThroughputRow[];
  memory:
    | {
        ttlMs: number;
        expiryTtlMs: number;
        failed: number;
        points: MemoryPoint[];
        /** RSS growth per in-flight handshake, its browser TLS connection included. */
        bytesPerInFlight: number;
        heapBytesPerInFlight: number;
        afterCloseMiB: number;
        heapAfterCloseMiB: number;
        expiry: {
          opened: number;
          rssBeforeMiB: number;
          heapBeforeMiB: number;
          rssExpiredMiB: number;
          heapExpiredMiB: number;
          inFlightAfter: number;
          rssClosedMiB: number;
          heapClosedMiB: number;
        };
      }
    | undefined;
  pane:
    | { initialJs: InitialJs | undefined; buildMs: number; timing: PaneTiming | undefined; error?: string }
    | undefined;
  durationS: number;
}

export interface TargetCheck {
  name: string;
  target: string;
  value: string;
  met: boolean | undefined;
}

const PATH_NAMES: Readonly<Record<string, string>> = {
  direct: 'direct to the CAS',
  'direct-resumed': 'direct to the CAS',
  haproxy: 'HAProxy mode tcp',
  'relay-before': 'relay, no spares/probe cache',
  relay: 'relay',
  'relay-resumed': 'relay',
  'relay-workers2': 'relay, serve --workers 2',
};

const mechName = (m: Mech) => (m === 'krb5' ? 'Kerberos' : 'NTLM');

export function targets(r: BenchResults): TargetCheck[] {
  const out: TargetCheck[] = [];
  const relayRow = (mech: Mech) =>
    r.handshake.find((h) => h.mech === mech && h.path === 'relay' && h.tls === 'new');
  for (const mech of ['krb5', 'ntlm'] as const) {
    const row = relayRow(mech);
    const floor = r.handshake.find((h) => h.mech === mech && h.path === 'haproxy');
    out.push({
      name: `${mechName(mech)} sign-in, relay ÷ direct (p50), new TLS per sign-in`,
      target: '≤ 1.25× (goal 1.2×, L4 floor 1.05×)',
      value:
        row === undefined
          ? 'not run'
          : `${row.ratioP50.toFixed(2)}×` +
            (floor === undefined ? '' : ` (HAProxy here ${floor.ratioP50.toFixed(2)}×)`),
      met: row === undefined ? undefined : row.ratioP50 <= 1.25,
    });
  }
  const krb = relayRow('krb5');
  out.push({
    name: 'Relay CPU per Kerberos sign-in (handshake-cost table)',
    target: '≤ 2.0 ms',
    value: krb?.cpuMsPerSignIn === undefined ? 'not run' : `${krb.cpuMsPerSignIn.toFixed(2)} ms`,
    met: krb?.cpuMsPerSignIn === undefined ? undefined : krb.cpuMsPerSignIn <= 2.0,
  });
  for (const mech of ['krb5', 'ntlm'] as const) {
    const row = relayRow(mech);
    const ratio =
      row?.cpuMsPerSignIn === undefined || row.casCpuMsPerSignIn === undefined || row.casCpuMsPerSignIn === 0
        ? undefined
        : row.cpuMsPerSignIn / row.casCpuMsPerSignIn;
    out.push({
      name: `Relay CPU ÷ CAS CPU per ${mechName(mech)} sign-in (relay path, new TLS)`,
      target: '≤ 1.0',
      value:
        ratio === undefined || row === undefined
          ? 'not run'
          : `${ratio.toFixed(2)} (${row.cpuMsPerSignIn?.toFixed(2) ?? ''} ÷ ${row.casCpuMsPerSignIn?.toFixed(2) ?? ''} ms)`,
      met: ratio === undefined ? undefined : ratio <= 1.0,
    });
  }
  const best = (path: string) =>
    Math.max(0, ...r.throughput.filter((t) => t.path === path).map((t) => t.perSecond));
  const ceiling = best('direct');
  for (const path of ['relay', 'relay-workers2']) {
    const relay = best(path);
    const ran = r.throughput.some((t) => t.path === path);
    out.push({
      name: `Relay throughput ÷ CAS ceiling${path === 'relay' ? '' : ', serve --workers 2'}`,
      target: '≥ 90%',
      value: ran ? `${Math.round((relay / ceiling) * 100)}% (${relay}/s of ${ceiling}/s)` : 'not run',
      met: ran ? relay >= 0.9 * ceiling : undefined,
    });
  }
  const m = r.memory;
  // A per-handshake figure from far fewer handshakes than asked for is not one.
  const top = m?.points.filter((p) => p.target > 0).at(-1);
  const short = top !== undefined && top.inFlight < 0.9 * top.target;
  out.push({
    name: 'Memory per in-flight handshake',
    target: '≤ 32 KiB',
    value:
      m === undefined
        ? 'not run'
        : short
          ? `not measured: ${top.inFlight} of ${top.target} handshakes open`
          : `${(m.bytesPerInFlight / 1024).toFixed(1)} KiB`,
    met: m === undefined || short ? undefined : m.bytesPerInFlight <= 32 * 1024,
  });
  const js = r.pane?.initialJs;
  out.push({
    name: 'Initial pane JavaScript, gzipped',
    target: '≤ 200 KiB',
    value: js === undefined ? 'not run' : `${(js.gzipBytes / 1024).toFixed(1)} KiB`,
    met: js === undefined ? undefined : js.gzipBytes <= 200 * 1024,
  });
  return out;
}

const mark = (met: boolean | undefined) => (met === undefined ? '—' : met ? 'met' : 'MISSED');

/** A plain table: header row, separator, rows; columns padded (text) or piped (Markdown). */
function table(head: string[], rows: (string | number)[][], md: boolean): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  if (md) {
    const line = (r: string[]) => `| ${r.join(' | ')} |`;
    return [line(head), line(head.map(() => '---')), ...cells.slice(1).map(line)].join('\n');
  }
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function formatReport(r: BenchResults): { text: string; markdown: string; targets: TargetCheck[] } {
  const checks = targets(r);
  const render = (md: boolean): string => {
    const h = (title: string) => (md ? `**${title}**` : `== ${title}`);
    const parts: string[] = [];
    parts.push(h('Targets'));
    parts.push(
      table(
        ['target', 'goal', 'measured', 'status'],
        checks.map((c) => [c.name, c.target, c.value, mark(c.met)]),
        md,
      ),
    );
    if (r.handshake.length > 0) {
      parts.push(
        h(
          `Handshake cost: complete sign-ins (GetFolder + ConvertId), one at a time, ${r.settings.samples} per row in ${r.settings.rounds} interleaved rounds, ms`,
        ),
      );
      parts.push(
        table(
          [
            'mechanism',
            'path',
            'client TLS',
            'n',
            'p50',
            'p95',
            '÷direct p50',
            '÷direct p95',
            'relay CPU ms/sign-in',
            'CAS CPU ms/sign-in',
          ],
          r.handshake.map((x) => [
            x.mech === 'krb5' ? 'Kerberos (1 leg)' : 'NTLM (3 legs)',
            PATH_NAMES[x.path] ?? x.path,
            x.tls === 'new'
              ? 'new per sign-in'
              : `resumed (${Math.round((x.tlsResumedShare ?? 0) * 100)}% resumed)`,
            x.n,
            x.p50.toFixed(1),
            x.p95.toFixed(1),
            `${x.ratioP50.toFixed(2)}×`,
            `${x.ratioP95.toFixed(2)}×`,
            x.cpuMsPerSignIn?.toFixed(2) ?? '',
            x.casCpuMsPerSignIn?.toFixed(2) ?? '',
          ]),
          md,
        ),
      );
      if (r.cpuBreakdown.length > 0) {
        parts.push(
          h(
            'Relay CPU per sign-in by stage (V8 CPU profile of an extra relay round, new TLS; ms = share of the samples × the measured relay CPU per sign-in above)',
          ),
        );
        const cols = r.cpuBreakdown;
        const totalOf = (b: CpuBreakdown) =>
          Math.max(
            1,
            STAGES.reduce((a, st) => a + b.stagesMicros[st], 0),
          );
        const msOf = (b: CpuBreakdown, st: Stage) =>
          (b.stagesMicros[st] / totalOf(b)) * (b.measuredMsPerSignIn ?? b.profiledMsPerSignIn);
        parts.push(
          table(
            ['stage', ...cols.flatMap((b) => [`${mechName(b.mech)} ms`, 'share'])],
            [
              ...STAGES.map((st) => [
                STAGE_NAMES[st],
                ...cols.flatMap((b) => [
                  msOf(b, st).toFixed(2),
                  `${Math.round((b.stagesMicros[st] / totalOf(b)) * 100)}%`,
                ]),
              ]),
              [
                'total (measured, no profiler)',
                ...cols.flatMap((b) => [b.measuredMsPerSignIn?.toFixed(2) ?? '', '100%']),
              ],
              [
                'sampled by the profiler (its own overhead included)',
                ...cols.flatMap((b) => [b.profiledMsPerSignIn.toFixed(2), `${b.signIns} sign-ins`]),
              ],
            ],
            md,
          ),
        );
      }
      if (r.identityProbe.length > 0) {
        parts.push(h('Identity probe (ConvertId on the authenticated connection), p50'));
        parts.push(
          table(
            ['mechanism', 'path', 'ConvertId ms', 'share of the sign-in'],
            r.identityProbe.map((x) => [
              x.mech === 'krb5' ? 'Kerberos' : 'NTLM',
              PATH_NAMES[x.path] ?? x.path,
              x.p50.toFixed(1),
              `${Math.round(x.shareOfSignIn * 100)}%`,
            ]),
            md,
          ),
        );
      }
    }
    if (r.throughput.length > 0) {
      parts.push(h(`Throughput: Kerberos sign-ins, closed loop, ${r.settings.seconds} s per window`));
      const conc = [...new Set(r.throughput.map((t) => t.concurrency))];
      parts.push(
        table(
          [
            'concurrency',
            'direct /s',
            'relay /s',
            'relay ÷ direct',
            '--workers 2 /s',
            '--workers 2 ÷ direct',
            'direct p50 ms',
            'relay p50 ms',
            '--workers 2 p50 ms',
            'relay CPU ms/sign-in',
            '--workers 2 CPU ms/sign-in',
            'failed',
          ],
          conc.map((c) => {
            const d = r.throughput.find((t) => t.concurrency === c && t.path === 'direct');
            const x = r.throughput.find((t) => t.concurrency === c && t.path === 'relay');
            const w = r.throughput.find((t) => t.concurrency === c && t.path === 'relay-workers2');
            const pct = (a: ThroughputRow | undefined) =>
              d !== undefined && a !== undefined ? `${Math.round((a.perSecond / d.perSecond) * 100)}%` : '';
            return [
              c,
              d?.perSecond ?? '',
              x?.perSecond ?? '',
              pct(x),
              w?.perSecond ?? '',
              pct(w),
              d?.p50 ?? '',
              x?.p50 ?? '',
              w?.p50 ?? '',
              x?.cpuMsPerSignIn?.toFixed(2) ?? '',
              w?.cpuMsPerSignIn?.toFixed(2) ?? '',
              (d?.failed ?? 0) + (x?.failed ?? 0) + (w?.failed ?? 0),
            ];
          }),
          md,
        ),
      );
    }
    const m = r.memory;
    if (m !== undefined) {
      parts.push(h('Memory of the relay process (after GC)'));
      parts.push(
        table(
          ['state', 'in flight', 'RSS MiB', 'heap MiB', 'external MiB', 'upstream sockets'],
          m.points.map((p) => [p.label, p.inFlight, p.rssMiB, p.heapMiB, p.externalMiB, p.upstreamSockets]),
          md,
        ),
      );
      const e = m.expiry;
      parts.push(
        `Per in-flight handshake: ${(m.bytesPerInFlight / 1024).toFixed(1)} KiB RSS, its browser TLS connection ` +
          `included (${(m.heapBytesPerInFlight / 1024).toFixed(1)} KiB of it JS heap + external). ` +
          `Expiry (TTL ${m.expiryTtlMs / 1000} s, ${e.opened} handshakes): heap ${e.heapBeforeMiB} → ${e.heapExpiredMiB} MiB ` +
          `with all expired and their connections still open (${e.inFlightAfter} left in flight), ${e.heapClosedMiB} MiB ` +
          `once closed; RSS ${e.rssBeforeMiB} → ${e.rssExpiredMiB} → ${e.rssClosedMiB} MiB.` +
          (m.failed > 0 ? ` ${m.failed} connections failed to open.` : ''),
      );
    }
    const p = r.pane;
    if (p !== undefined) {
      parts.push(h('Task pane'));
      const rows: (string | number)[][] = [];
      if (p.initialJs !== undefined) {
        rows.push([
          'initial JavaScript (entry + modulepreloads), gzip -9',
          `${(p.initialJs.gzipBytes / 1024).toFixed(1)} KiB (${(p.initialJs.bytes / 1024).toFixed(0)} KiB raw, ${p.initialJs.files.length} files)`,
        ]);
      } else rows.push(['initial JavaScript', `build failed`]);
      const t = p.timing;
      if (t !== undefined) {
        const [cold, ...warm] = t.loadsMs;
        const what =
          t.mode === 'pane'
            ? 'page load → "Signed in as" (Chromium, Kerberos)'
            : "fetch('/api/auth/iwa') from a page";
        rows.push([`${what}, first load`, cold === undefined ? '' : `${Math.round(cold)} ms`]);
        if (warm.length > 0)
          rows.push([`${what}, next ${warm.length} loads, median`, `${Math.round(median(warm))} ms`]);
        if (t.mode === 'pane' && t.iwaMs.length > 0)
          rows.push(['  of which the IWA request (all legs), median', `${Math.round(median(t.iwaMs))} ms`]);
        if (t.note !== undefined) rows.push(['note', t.note]);
      }
      parts.push(table(['measure', 'value'], rows, md));
    }
    const la = r.machine;
    parts.push(
      `Machine: ${la.cpus} × ${la.cpuModel}, Node ${la.node}; load average at start ${la.loadAvgStart.join(' ')}` +
        (la.loadAvgEnd === undefined ? '' : `, at end ${la.loadAvgEnd.join(' ')}`) +
        `; run took ${r.durationS} s.`,
    );
    return parts.join('\n\n');
  };
  return { text: render(false), markdown: render(true), targets: checks };
}

export { round };
