#!/usr/bin/env node
// The `outlook-iwa` command: runs the compiled backend in dist/ (`npm run build`) with plain
// Node. Source maps on, so stack traces name the TypeScript lines. It never falls back to the
// sources on its own: a missing build is an error that says what to run (docs/interface.md).
import { existsSync } from 'node:fs';

process.setSourceMapsEnabled(true);
const entry = new URL('../dist/backend/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    `outlook-iwa: ${entry.pathname} is missing: run \`npm run build\` first ` +
      '(in a checkout, `node --import tsx src/backend/main.ts …` runs the sources without a build).\n',
  );
  process.exit(1);
}
await import(entry.href);
