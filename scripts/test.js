#!/usr/bin/env node
// The whole test command: static checks, then every Vitest project (unit, ui, db, lab,
// browser). Prints one summary line at the end, counting each static check as one test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
const results = [];

function step(name, cmd, args) {
  process.stdout.write(`\n== ${name}: ${[cmd, ...args].join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const ok = r.status === 0;
  results.push({ name, ok });
  return ok;
}

step('lint', bin('eslint'), ['.', '--max-warnings=0']);
step('format', bin('prettier'), ['--check', '.', '--log-level=warn']);
step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
step('build', 'npm', ['run', '--silent', 'build']);

mkdirSync('test/output', { recursive: true });
const report = 'test/output/vitest.json';
const vitestOk = step('vitest', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);

let passed = results.filter((r) => r.name !== 'vitest' && r.ok).length;
let failed = results.filter((r) => r.name !== 'vitest' && !r.ok).length;
let skipped = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + (json.numTodoTests ?? 0);
  if (!vitestOk && json.numFailedTests === 0) failed += 1; // a suite failed to load or a hook threw
} else if (!vitestOk) {
  failed += 1;
}

console.log(`\nchecks: ${results.map((r) => `${r.name} ${r.ok ? 'ok' : 'FAILED'}`).join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
