#!/usr/bin/env node
// `npm run demo`: the product's main job on embedded defaults, from a fresh clone. Installs
// what is missing (Debian packages, npm dependencies, the built pane), then runs the demo.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('bash', ['scripts/install-deps.sh']);
if (!existsSync('node_modules/.bin/tsx')) run('npm', ['ci', '--no-audit', '--no-fund']);
if (!existsSync('dist/addin/index.html')) run('npm', ['run', '--silent', 'build']);
const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/demo-run.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
