import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import helmet from 'helmet';
import { OFFICE_JS_CDN_URL, type OfficeJsSource } from './routes/office-js.ts';

/**
 * Where Outlook frames the pane from: Outlook on the web and the new Outlook
 * (outlook.office.com, outlook.office365.com) and Office's add-in host pages. An on-premises
 * OWA origin is added with `--owa-origin`.
 */
export const OUTLOOK_FRAME_ANCESTORS = [
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://*.officeapps.live.com',
] as const;

const ONE_YEAR_SECONDS = 31_536_000;

/**
 * What every answer under `/api/` carries: the headers that protect a JSON API, per the OWASP
 * REST Security Cheat Sheet ("Security Headers"). The pane's headers are for documents: its CSP
 * (script and style sources, who may frame it), Origin-Agent-Cluster and the like say nothing
 * about a JSON answer read by `fetch`. They were 650 bytes of a 1 KB `401 Negotiate`, and an
 * idle TLS connection that has sent more than about 550 bytes keeps a larger output buffer: 47
 * → 32 KiB per handshake in flight (docs/performance.md).
 */
const API_HEADERS: readonly (readonly [string, string])[] = [
  // Nothing loads from a JSON answer, and nothing may frame it.
  ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
  ['strict-transport-security', `max-age=${ONE_YEAR_SECONDS}`],
  ['x-content-type-options', 'nosniff'],
  // Only the pane, on our own origin, reads these answers; no other page may load them.
  ['cross-origin-resource-policy', 'same-origin'],
];

/**
 * CSP hashes of the inline scripts of the pane's `index.html` (the legacy-webview check), so
 * `script-src` can stay at our own origin without `'unsafe-inline'`.
 */
export function inlineScriptHashes(addinDir: string): string[] {
  let html: string;
  try {
    html = readFileSync(join(addinDir, 'index.html'), 'utf8');
  } catch {
    return [];
  }
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '', 'utf8')
        .digest('base64')}'`,
  );
}

export interface SecurityHeaderOptions {
  /** The built pane, whose inline scripts the CSP allows by hash. */
  readonly addinDir: string;
  readonly officeJs?: OfficeJsSource | undefined;
  /** `--owa-origin`: an on-premises Outlook on the web that frames the pane. */
  readonly owaOrigin?: string | undefined;
}

/**
 * The security headers of every answer, errors and 404s included, as one function for an
 * `onRequest` hook: the API set under `/api/`, the pane's set (helmet, built once) everywhere
 * else. `@fastify/helmet` rebuilt the whole middleware, CSP string included, for every request
 * (docs/performance.md).
 */
export function securityHeaders(
  options: SecurityHeaderOptions,
): (req: IncomingMessage, res: ServerResponse, done: () => void) => void {
  const documents = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Office.js from Microsoft's CDN loads its host scripts from the same place.
        scriptSrc: [
          "'self'",
          ...inlineScriptHashes(options.addinDir),
          ...(options.officeJs === 'cdn' ? [new URL(OFFICE_JS_CDN_URL).origin] : []),
        ],
        // Fluent UI inserts its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", 'data:'],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: [
          "'self'",
          ...OUTLOOK_FRAME_ANCESTORS,
          ...(options.owaOrigin === undefined ? [] : [options.owaOrigin]),
        ],
      },
    },
    // frame-ancestors decides who may frame the pane; X-Frame-Options cannot name Outlook.
    frameguard: false,
    // Outlook loads the manifest's icons from its own origin.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // Office's dialogs and host messaging work across windows of other origins.
    crossOriginOpenerPolicy: false,
    strictTransportSecurity: { maxAge: ONE_YEAR_SECONDS, includeSubDomains: false },
  });
  return (req, res, done) => {
    if (req.url?.startsWith('/api/') === true) {
      for (const [name, value] of API_HEADERS) res.setHeader(name, value);
      done();
      return;
    }
    // Helmet 8 throws rather than passing an error on; `next` only continues.
    documents(req, res, done);
  };
}
