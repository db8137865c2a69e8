/**
 * The task pane: its initial JavaScript (gzipped) from a production build, and the time from
 * page load to "signed in" in Debian's Chromium doing Kerberos through the relay.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../test/lab/chromium.ts';
import type { LabInfo } from '../test/lab/lab.ts';
import { run } from '../test/lab/proc.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OFFICE_FAKE = join(ROOT, 'public-dev', 'office-fake.js');

/** `vite build` into `outDir` (not dist/: others may be serving it). */
export async function buildPane(outDir: string): Promise<{ ok: boolean; ms: number; log: string }> {
  const t0 = performance.now();
  const r = await run(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' }, timeoutMs: 180_000 },
  );
  return {
    ok: r.code === 0 && existsSync(join(outDir, 'index.html')),
    ms: performance.now() - t0,
    log: (r.stderr + r.stdout).slice(-2000),
  };
}

export interface InitialJs {
  /** The entry chunk(s) the page loads up front: module scripts and modulepreloads. */
  files: { file: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
}

/** Sums the module scripts and modulepreloads that index.html references, gzipped with zlib (level 9). */
export async function initialJs(dir: string): Promise<InitialJs> {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)) refs.add(m[1] ?? '');
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g))
    refs.add(m[1] ?? '');
  const files = [];
  for (const ref of refs) {
    if (ref === '' || /^https?:/.test(ref)) continue;
    const data = await readFile(join(dir, ref.replace(/^\.?\//, '')));
    files.push({ file: ref, bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length });
  }
  return {
    files,
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    gzipBytes: files.reduce((a, f) => a + f.gzipBytes, 0),
  };
}

export interface PaneTiming {
  /** 'pane': the built pane reached its signed-in view; 'fetch': fallback page fetch. */
  mode: 'pane' | 'fetch';
  /** Each load, ms from navigation start to signed in (the first is a cold browser). */
  loadsMs: number[];
  /** Time of the IWA sign-in request inside each load (browser's own Negotiate legs). */
  iwaMs: number[];
  note?: string;
}

/**
 * Loads the pane `loads` times in Chromium (Kerberos as alice) from the relay's origin, with
 * office.js routed to public-dev/office-fake.js, and waits for "Signed in as". A new page each time
 * (fresh sessionStorage, so the pane signs in again); the browser and its HTTP cache stay warm
 * after the first load.
 */
export async function paneSignIn(lab: LabInfo, origin: string, loads: number): Promise<PaneTiming> {
  const browser = await launchChromium(lab, { user: 'alice', mech: 'krb5', timeoutMs: 30_000 });
  try {
    const fake = existsSync(OFFICE_FAKE) ? await readFile(OFFICE_FAKE, 'utf8') : undefined;
    if (fake === undefined) throw new Error('public-dev/office-fake.js is missing');
    await browser.context.route('**/office-js/office.js', (route) =>
      route.fulfill({ status: 200, contentType: 'application/javascript', body: fake }),
    );
    const loadsMs: number[] = [];
    const iwaMs: number[] = [];
    await browser.page.close();
    for (let i = 0; i < loads; i++) {
      const page = await browser.context.newPage();
      try {
        await page.goto(`${origin}/?fakeMailbox=${encodeURIComponent('alice@corp.test')}`, {
          waitUntil: 'commit',
        });
        await page.getByText('Signed in as', { exact: true }).waitFor({ state: 'visible', timeout: 20_000 });
        const t = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const iwa = performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes('/api/auth/iwa?'))
            .map((e) => e.duration);
          return { now: performance.now(), navStart: nav?.startTime ?? 0, iwa };
        });
        loadsMs.push(t.now - t.navStart);
        iwaMs.push(...t.iwa);
      } finally {
        await page.close();
      }
    }
    return { mode: 'pane', loadsMs, iwaMs };
  } finally {
    await browser.close();
  }
}

/** Fallback when the pane cannot sign in: a page on the relay's origin fetches the IWA URL. */
export async function fetchSignIn(
  lab: LabInfo,
  origin: string,
  loads: number,
  why: string,
): Promise<PaneTiming> {
  const browser = await launchChromium(lab, { user: 'alice', mech: 'krb5', timeoutMs: 30_000 });
  try {
    const loadsMs: number[] = [];
    for (let i = 0; i < loads; i++) {
      await browser.page.goto(`${origin}/healthz`);
      const ms = await browser.page.evaluate(async (mailbox) => {
        const t0 = performance.now();
        const r = await fetch(`/api/auth/iwa?mailbox=${encodeURIComponent(mailbox)}`, {
          credentials: 'include',
        });
        if (r.status !== 200) throw new Error(`status ${r.status}`);
        return performance.now() - t0;
      }, 'alice@corp.test');
      loadsMs.push(ms);
    }
    return { mode: 'fetch', loadsMs, iwaMs: loadsMs, note: why };
  } finally {
    await browser.close();
  }
}
