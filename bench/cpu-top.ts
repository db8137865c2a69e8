/**
 * The functions that cost the most in a `.cpuprofile` the bench kept (bench/results/relay-*.cpuprofile):
 * self time, and time under each frame (inclusive), idle left out, each sample capped as the
 * bench's stage table caps it.
 *
 *   node --import tsx bench/cpu-top.ts bench/results/relay-krb5.cpuprofile [rows]
 */
import { readFileSync } from 'node:fs';
import { defaultMaxSampleMicros, type CpuProfile } from './cpu-profile.ts';

const [file, rowsArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: bench/cpu-top.ts FILE.cpuprofile [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const name = (id: number) => {
  const f = byId.get(id)?.callFrame;
  if (f === undefined) return '?';
  const where = f.url.replace(/^.*\/(node_modules|src)\//, '$1/');
  return `${f.functionName || '(anonymous)'} ${where}`;
};
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
const cap = defaultMaxSampleMicros(profile);
for (const [i, id] of profile.samples.entries()) {
  const dt = Math.min(cap, Math.max(0, profile.timeDeltas[i + 1] ?? 0));
  if (name(id).startsWith('(idle)')) continue;
  total += dt;
  self.set(name(id), (self.get(name(id)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const key = name(n);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
  }
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n== ${title} (of ${(total / 1000).toFixed(1)} ms sampled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(
      `${(v / 1000).toFixed(2).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`,
    );
  }
};
show('self', self);
show('inclusive', inclusive);
