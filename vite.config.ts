import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * `npm run dev` only: serves the test doubles in public-dev/ (msw's worker, the Office fake) at
 * the site root. They are not in public/, so the production build (dist/addin) never ships them.
 */
function devOnlyFiles(): Plugin {
  const dir = here('./public-dev/');
  return {
    name: 'outlook-iwa-dev-only-files',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = /^\/([\w.-]+\.js)(?:\?|$)/.exec(req.url ?? '')?.[1];
        const file = name === undefined ? undefined : `${dir}${name}`;
        if (file === undefined || !existsSync(file)) {
          next();
          return;
        }
        res.setHeader('content-type', 'text/javascript');
        createReadStream(file).pipe(res);
      });
    },
  };
}

// The add-in page lives in src/addin; the backend serves the built files from dist/addin.
export default defineConfig({
  root: here('./src/addin'),
  publicDir: here('./public'),
  plugins: [react(), devOnlyFiles()],
  // `npm run build` sets NODE_ENV=production: Vite keeps any NODE_ENV it finds, and under
  // NODE_ENV=test (vitest, some CI shells) it would build the dev branch of main.tsx (the Office
  // fake, msw, the scenarios) and React's development runtime into dist/addin.
  build: {
    outDir: here('./dist/addin'),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: { host: '127.0.0.1', port: 5173 },
  test: {
    root: here('.'),
    projects: [
      {
        extends: true,
        test: { name: 'unit', environment: 'node', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['test/ui/**/*.test.{ts,tsx}'],
          setupFiles: ['test/ui/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          environment: 'node',
          include: ['test/db/**/*.test.ts'],
          globalSetup: ['test/db/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'lab',
          environment: 'node',
          include: ['test/lab/**/*.test.ts', 'test/integration/**/*.test.ts'],
          globalSetup: ['test/lab/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/lab/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
