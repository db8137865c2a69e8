/**
 * The functions that cost the most in a `.cpuprofile` the bench kept (bench/results/relay-*.cpuprofile):
 * self time, and time under each frame (inclusive), idle left out, each sample capped as the
 * bench's stage table caps it.
 *
 *   node --import tsx bench/cpu-top.ts bench/results/relay-krb5.cpuprofile [rows]
 */
import { readFileSync } from 'node:fs';
import { samplesOf, type CpuProfile, type Frame } from './cpu-profile.ts';

const [file, rowsArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: bench/cpu-top.ts FILE.cpuprofile [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const label = (f: Frame) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|src)\//, '$1/')}`;
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const add = (m: Map<string, number>, key: string, micros: number) => m.set(key, (m.get(key) ?? 0) + micros);
let total = 0;
for (const { stack, micros } of samplesOf(profile)) {
  const [leaf] = stack;
  if (leaf === undefined || leaf.functionName === '(idle)') continue;
  total += micros;
  add(self, label(leaf), micros);
  // A recursive function counts once per sample.
  for (const key of new Set(stack.map(label))) add(inclusive, key, micros);
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
