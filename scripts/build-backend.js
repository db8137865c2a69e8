#!/usr/bin/env node
// `npm run build`, backend half: bundles the CLI and server (src/backend/main.ts) into
// dist/backend/ as ES modules with source maps (stack traces name .ts lines; see
// bin/outlook-iwa.js). Each command's `import()` becomes its own chunk, so `profile list` loads
// neither Fastify nor pino. Pure-JS libraries every command needs (commander, kysely, zod…)
// go into the bundle: resolving hundreds of small files was most of an admin command's start-up
// time (docs/performance.md). Packages with native code, worker files or files read at run
// time stay in node_modules and are imported from there.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const EXTERNAL = [
  'better-sqlite3', // native addon
  'pg', // optional native binding (pg-native), loaded only for postgres:// URLs
  'pino', // transports run in worker threads from their own files
  'fastify',
  '@fastify/*', // @fastify/static reads its own files; fastify's plugins check versions
  'helmet',
  'prom-client',
  'jose',
  '@microsoft/office-js', // served as files, never imported
];

rmSync(new URL('../dist/backend', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/backend/main.ts'],
  outdir: 'dist/backend',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: true,
  // The maps name files and lines; the .ts text itself would only make them slower to load.
  sourcesContent: false,
  external: EXTERNAL,
  // Bundled CommonJS (commander) calls require() for Node built-ins; give ESM one.
  banner: {
    js: "import { createRequire as __iwaCreateRequire } from 'node:module';\nconst require = __iwaCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
