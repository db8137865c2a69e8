#!/usr/bin/env node
// How long an admin command takes to start and finish: `outlook-iwa profile list` on a fresh
// SQLite file, five timed runs after one untimed run that creates and migrates the file; prints
// each run and the median. Plain JavaScript, so it also runs in a pruned production tree.
//   node scripts/cli-startup.js [path/to/bin/outlook-iwa.js] [runs]
// A measurement, not a test: the number moves with the machine's load (see docs/performance.md).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = resolve(process.argv[2] ?? fileURLToPath(new URL('../bin/outlook-iwa.js', import.meta.url)));
const runs = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'iwa-cli-startup-'));
const args = [bin, 'profile', 'list', '--database', `sqlite:${join(dir, 'outlook-iwa.db')}`];

function run() {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`profile list exited ${r.status}: ${r.stderr}`);
  return ms;
}

try {
  run();
  const times = Array.from({ length: runs }, run);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  console.log(`runs (ms): ${times.map((t) => t.toFixed(0)).join(' ')}`);
  console.log(`profile list median of ${runs}: ${(median / 1000).toFixed(3)} s (node ${process.version})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
