/**
 * How the tests run the `outlook-iwa` command: the TypeScript sources through tsx
 * (`node --import tsx src/backend/main.ts`), so one test file runs without `npm run build` and
 * never against a stale `dist/`. The compiled command (`bin/outlook-iwa.js` → `dist/backend/`)
 * is what test/integration/packaging.test.ts installs and runs.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Resolved here, not by the child: `--import tsx` would look for tsx from the child's cwd.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Arguments for `spawn(process.execPath, outlookIwaArgs('profile', 'list'))`. */
export function outlookIwaArgs(...args: readonly string[]): string[] {
  return ['--import', TSX, fileURLToPath(new URL('../../src/backend/main.ts', import.meta.url)), ...args];
}
