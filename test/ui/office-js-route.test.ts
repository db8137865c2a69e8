// @vitest-environment node
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../../src/backend/app.ts';
import { parseServeConfig } from '../../src/backend/config.ts';
import {
  OFFICE_JS_CDN_URL,
  officeJsRoutes,
  paneWithOfficeJsFromCdn,
} from '../../src/backend/routes/office-js.ts';
import { openStore, type Store } from '../../src/backend/storage/index.ts';

test('office.js and its host files are served from our own origin at /office-js/', async () => {
  const app = Fastify();
  await app.register(officeJsRoutes);
  const main = await app.inject({ url: '/office-js/office.js' });
  expect(main.statusCode).toBe(200);
  expect(main.headers['content-type']).toMatch(/javascript/);
  expect(main.body).toContain('Office');
  // office.js loads the Outlook host script relative to itself
  expect((await app.inject({ url: '/office-js/outlook-win32-16.02.js' })).statusCode).toBe(200);
  expect((await app.inject({ url: '/office-js/../package.json' })).statusCode).toBe(404);
  await app.close();
});

describe('--office-js', () => {
  const PAGE =
    '<!doctype html><html><head><script src="/office-js/office.js"></script></head><body>pane</body></html>';
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iwa-office-js-'));
    await writeFile(join(dir, 'index.html'), PAGE);
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1);');
    store = await openStore('sqlite::memory:');
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('cdn: the page loads Office.js from Microsoft, and this server serves no copy', async () => {
    const app = await buildApp({ store, addinDir: dir, officeJs: 'cdn' });
    for (const url of ['/', '/index.html']) {
      const page = await app.inject({ url });
      expect(page.statusCode, url).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain(`<script src="${OFFICE_JS_CDN_URL}"></script>`);
      expect(page.body).not.toContain('/office-js/');
    }
    expect(OFFICE_JS_CDN_URL).toBe('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
    expect((await app.inject({ url: '/office-js/office.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/app.js' })).body).toBe('console.log(1);');
    await app.close();
  });

  test('local (the default): the page is served as built and office.js comes from /office-js/', async () => {
    const app = await buildApp({ store, addinDir: dir });
    expect((await app.inject({ url: '/' })).body).toBe(PAGE);
    expect((await app.inject({ url: '/office-js/office.js' })).statusCode).toBe(200);
    await app.close();
  });

  test('a page without the local tag is refused rather than served with the local copy', () => {
    expect(() => paneWithOfficeJsFromCdn('<html></html>')).toThrow(/office-js/);
  });

  test('serve refuses any other value, naming the flag and its variable', () => {
    const flags = { host: '127.0.0.1', port: '8443', database: 'sqlite:x.db' };
    expect(parseServeConfig({ ...flags }).officeJs).toBe('local');
    expect(parseServeConfig({ ...flags, officeJs: 'cdn' }).officeJs).toBe('cdn');
    expect(() => parseServeConfig({ ...flags, officeJs: 'remote' })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        details: expect.objectContaining({ flag: '--office-js', env: 'OUTLOOK_IWA_OFFICE_JS' }) as unknown,
      }),
    );
  });
});
