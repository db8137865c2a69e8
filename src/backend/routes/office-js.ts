import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `@microsoft/office-js` keeps office.js and its per-host, per-locale files. */
export function officeJsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@microsoft/office-js/package.json')), 'dist');
}

/**
 * Serves office.js from our own origin at `/office-js/` (the task pane loads
 * `/office-js/office.js`), so the add-in works on intranets without internet access.
 * office.js loads its host- and locale-specific files relative to its own URL.
 */
export async function officeJsRoutes(app: FastifyInstance, opts: { root?: string } = {}): Promise<void> {
  await app.register(fastifyStatic, {
    root: opts.root ?? officeJsDir(),
    prefix: '/office-js/',
    decorateReply: false,
    index: false,
    maxAge: '1d',
  });
}

export default officeJsRoutes;
