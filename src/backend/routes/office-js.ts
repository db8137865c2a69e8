import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the pane loads Office.js from: this server (`local`) or Microsoft's CDN (`cdn`). */
export type OfficeJsSource = 'local' | 'cdn';

/**
 * Microsoft's Office.js CDN, as the Office Add-ins documentation gives it ("Understanding the
 * Office JavaScript API": learn.microsoft.com/office/dev/add-ins/develop/understanding-the-javascript-api-for-office).
 * AppSource requires add-ins to load Office.js from here.
 */
export const OFFICE_JS_CDN_URL = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

/** The tag the built pane (src/addin/index.html) loads Office.js with from our own origin. */
const LOCAL_OFFICE_JS_TAG = '<script src="/office-js/office.js"></script>';

/**
 * The built pane's `index.html` with Office.js loaded from Microsoft's CDN instead of
 * `/office-js/` (`--office-js cdn`, docs/interface.md). Throws if the page has no local tag to
 * swap, so a changed page cannot silently keep loading the local copy.
 */
export function paneWithOfficeJsFromCdn(html: string): string {
  if (!html.includes(LOCAL_OFFICE_JS_TAG)) {
    throw new Error(`the pane's index.html does not load ${LOCAL_OFFICE_JS_TAG}`);
  }
  return html.replace(LOCAL_OFFICE_JS_TAG, `<script src="${OFFICE_JS_CDN_URL}"></script>`);
}

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
