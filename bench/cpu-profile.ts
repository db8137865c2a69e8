/**
 * Where the relay's CPU goes during sign-ins: a V8 CPU profile (the `Profiler` domain of the
 * inspector protocol, as `node --cpu-prof` writes it) attributed to stages by the modules and
 * functions on each sample's call stack. Pure: the profile in, microseconds per stage out.
 *
 * @see https://chromedevtools.github.io/devtools-protocol/v8/Profiler/#type-Profile
 * @see docs/performance.md ("Where the CPU goes")
 * @module
 */

/** The part of a V8 `Profiler.Profile` that the classifier reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

export const STAGES = [
  'tlsAccept',
  'upstream',
  'request',
  'legs',
  'identityProbe',
  'storage',
  'logging',
  'gc',
  'other',
] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_NAMES: Readonly<Record<Stage, string>> = {
  tlsAccept: 'TLS accept (browser side: TCP accept, TLS server handshake)',
  upstream: 'upstream connect and I/O (CAS client, TLS client to the CAS)',
  request: 'request handling (HTTP parser, Fastify, routing, validation)',
  legs: 'legs (relay logic, token inspection, limits)',
  identityProbe: 'identity probe (SOAP/XML)',
  storage: 'storage (Kysely, better-sqlite3)',
  logging: 'logging (pino)',
  gc: 'garbage collection',
  other: 'other (event loop, unattributed socket I/O, V8 and Node internals)',
};

export type Frame = { functionName: string; url: string };
type Rule = (f: Frame) => boolean;

const inModule = (...names: string[]): Rule => {
  const re = new RegExp(
    `node_modules/(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})/`,
  );
  return (f) => re.test(f.url);
};
const inSource =
  (re: RegExp): Rule =>
  (f) =>
    re.test(f.url);
const nodeFn = (file: string, fns: readonly string[]): Rule => {
  const set = new Set(fns);
  return (f) => f.url === `node:${file}` && set.has(f.functionName);
};
const any =
  (...rules: Rule[]): Rule =>
  (f) =>
    rules.some((r) => r(f));

/**
 * Stages in priority order: a sample belongs to the first stage any frame of its stack
 * matches, so storage or logging reached from a route counts as storage or logging, and the
 * route's own work as request handling.
 */
const RULES: readonly [Stage, Rule][] = [
  ['logging', any(inModule('pino', 'sonic-boom', 'thread-stream', 'fast-redact', 'pino-std-serializers'), inSource(/\/src\/backend\/logging\.ts$/))],
  ['storage', any(inModule('kysely', 'better-sqlite3', 'pg'), inSource(/\/src\/backend\/storage\//))],
  ['identityProbe', inSource(/\/src\/backend\/relay\/identity-probe\.ts$|\/src\/protocol\/ews[^/]*\.ts$/)],
  [
    'upstream',
    any(
      inSource(/\/src\/backend\/cas\/|\/src\/protocol\/http1\.ts$/),
      nodeFn('_tls_wrap', ['onConnectSecure', 'connect', 'onnewsessionclient']),
      nodeFn('net', ['internalConnect', 'afterConnect', 'lookupAndConnect']),
    ),
  ],
  [
    'tlsAccept',
    any(
      nodeFn('_tls_wrap', ['tlsConnectionListener', 'onServerSocketSecure', 'onhandshakestart', 'onnewsession', 'TLSSocket', '_init', 'loadSNI']),
      nodeFn('net', ['onconnection']),
    ),
  ],
  ['legs', any(inSource(/\/src\/backend\/(relay|limits|channel-binding|audit-attempt|ntlm-crypto)/), inSource(/\/src\/protocol\//))],
  [
    'request',
    any(
      inModule('fastify', '@fastify', 'find-my-way', 'avvio', 'fast-json-stringify', 'ajv', 'zod', 'secure-json-parse', 'fast-querystring', 'light-my-request', 'helmet'),
      (f) => /^node:_http_(server|common|outgoing|incoming)$/.test(f.url),
      inSource(/\/src\/backend\/(app|routes\/|disclosure|metrics)/),
    ),
  ],
]; // prettier-ignore

/** The stage of one sample, given its stack (leaf first). */
export function stageOf(stack: readonly Frame[]): Stage | 'idle' {
  const leaf = stack[0]?.functionName;
  if (leaf === '(idle)') return 'idle';
  if (leaf === '(garbage collector)') return 'gc';
  for (const [stage, rule] of RULES) if (stack.some(rule)) return stage;
  return 'other';
}

/**
 * The longest time one sample may stand for, by default: twice the profile's median gap. On a
 * busy machine the process is often descheduled between two samples; the gap before the next
 * one is wall time, not CPU, and weighting by it piled milliseconds on whichever frame happened
 * to be sampled next (in one 2-core run, 14% of the samples carried 68% of the time).
 */
export function defaultMaxSampleMicros(profile: CpuProfile): number {
  const gaps = profile.timeDeltas
    .slice(1)
    .filter((d) => d > 0)
    .sort((a, b) => a - b);
  const median = gaps[Math.floor((gaps.length - 1) / 2)];
  return median === undefined ? Infinity : 2 * median;
}

/** One sample: its call stack, leaf first, and the CPU time it stands for. */
export interface Sample {
  readonly stack: readonly Frame[];
  readonly micros: number;
}

/**
 * Every sample of the profile, idle ones included, with its stack and its time: the gap to the
 * next sample (V8 records the delta before each), capped at `maxSampleMicros` (default
 * {@link defaultMaxSampleMicros}). Samples of the same node share one stack array.
 */
export function samplesOf(profile: CpuProfile, maxSampleMicros = defaultMaxSampleMicros(profile)): Sample[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map<number, Frame[]>();
  return profile.samples.map((id, i) => {
    let stack = stacks.get(id);
    if (stack === undefined) {
      stack = [];
      for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
        const node = byId.get(n);
        if (node !== undefined) stack.push(node.callFrame);
      }
      stacks.set(id, stack);
    }
    const dt = profile.timeDeltas[i + 1] ?? 0;
    return { stack, micros: Math.min(maxSampleMicros, Math.max(0, dt)) };
  });
}

/**
 * Microseconds of CPU per stage (idle samples left out), each sample's time capped at
 * `maxSampleMicros` (default {@link defaultMaxSampleMicros}).
 */
export function classifyProfile(
  profile: CpuProfile,
  maxSampleMicros = defaultMaxSampleMicros(profile),
): Record<Stage, number> {
  const out = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  const stages = new Map<readonly Frame[], Stage | 'idle'>();
  for (const { stack, micros } of samplesOf(profile, maxSampleMicros)) {
    let stage = stages.get(stack);
    if (stage === undefined) {
      stage = stageOf(stack);
      stages.set(stack, stage);
    }
    if (stage !== 'idle') out[stage] += micros;
  }
  return out;
}
