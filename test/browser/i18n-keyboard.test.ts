/**
 * The built pane in Debian's Chromium against the real relay and lab, in the user's language and
 * from the keyboard only: the Office stand-in reports a display language, alice signs in with real
 * Kerberos, and the pane must be translated with the right `lang`/`dir`, axe-clean. One browser;
 * each locale is a page of it. Screenshots (350 px, light and dark) go to test/output/screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCatalogue, LOCALES, type Locale } from '../../src/addin/i18n/locales.ts';
import { launchChromium, type LabChromium } from '../lab/chromium.ts';
import { createLabProfile, startRelayServer, type RelayServer } from '../integration/harness.ts';
import { seriousAxeViolations } from './axe.ts';

const lab = inject('lab');
const SHOTS = join(process.cwd(), 'test/output/screenshots');
const OFFICE_FAKE = join(process.cwd(), 'public-dev/office-fake.js');

/** The Office display language each shipped locale is tested with. */
const DISPLAY_LANGUAGE: Record<Locale, string> = {
  en: 'en-US',
  de: 'de-DE',
  fr: 'fr-FR',
  es: 'es-ES',
  ja: 'ja-JP',
  'zh-CN': 'zh-CN',
  ar: 'ar-SA',
};

/** What has keyboard focus: its tag, accessible-ish name and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement;
    return {
      tag: e?.tagName.toLowerCase() ?? '',
      name: e?.getAttribute('name') ?? e?.getAttribute('aria-label') ?? '',
      text: (e?.textContent ?? '').trim(),
    };
  });

/** Presses Tab until the focused element matches, as a keyboard user would; fails after 40. */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (match(await focused(page))) return;
  }
  throw new Error(`Tab never reached the wanted control; last: ${JSON.stringify(await focused(page))}`);
}

describe('the pane in the user language, and from the keyboard only', () => {
  let relay: RelayServer;
  let alice: LabChromium;
  let nobody: LabChromium;

  async function open(browser: LabChromium, fake: Record<string, string>): Promise<Page> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 350, height: 700 });
    await page.route('**/office-js/office.js', (route) =>
      route.fulfill({ path: OFFICE_FAKE, contentType: 'application/javascript' }),
    );
    await page.goto(`${relay.origin}/index.html?${new URLSearchParams(fake).toString()}`);
    return page;
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    relay = await startRelayServer(lab);
    await createLabProfile(relay.store, lab);
    alice = await launchChromium(lab, { user: 'alice', mech: 'krb5', timeoutMs: 30_000 });
    nobody = await launchChromium(lab, { mech: 'none', timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await alice.close();
    await nobody.close();
    await relay.close();
  });

  it.each(['de', 'ja', 'ar'] as const)(
    'Office in %s: translated pane with lang and dir right after a Kerberos sign-in, axe clean',
    async (locale) => {
      const t = await loadCatalogue(locale);
      const page = await open(alice, { fakeDisplayLanguage: DISPLAY_LANGUAGE[locale] });
      const heading = page.getByRole('heading', { level: 1, name: t['settings.heading'] });
      await expect.poll(() => heading.isVisible(), { timeout: 30_000 }).toBe(true);
      const card = page.getByRole('group', { name: t['method.iwa.title'] });
      await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain(t['card.badge.active']);
      const html = await page.evaluate(() => ({
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
      }));
      expect(html).toEqual({ lang: locale, dir: locale === 'ar' ? 'rtl' : 'ltr' });
      const body = await page.locator('body').innerText();
      expect(body).toContain(t['settings.signOut']);
      expect(body).toContain('alice@corp.test');
      expect(body).not.toContain('Authentication Settings');
      expect(await page.title()).toBe(`${t['settings.heading']} – Outlook IWA`);
      const audit = await relay.store.audit.query({ mailbox: 'alice@corp.test', limit: 1 });
      expect(audit[0]).toMatchObject({ outcome: 'success', mechanism: 'kerberos', method: 'iwa' });
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.close();
    },
  );

  it('writes 350 px screenshots of every locale, light and dark', async () => {
    for (const locale of LOCALES) {
      const t = await loadCatalogue(locale);
      for (const theme of ['light', 'dark'] as const) {
        const page = await open(alice, { fakeDisplayLanguage: DISPLAY_LANGUAGE[locale], fakeTheme: theme });
        const heading = page.getByRole('heading', { level: 1, name: t['settings.heading'] });
        await expect.poll(() => heading.isVisible(), { timeout: 30_000 }).toBe(true);
        const card = page.getByRole('group', { name: t['method.iwa.title'] });
        await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain(t['card.badge.active']);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
        const file = join(SHOTS, `locale-${locale}-${theme}.png`);
        await page.screenshot({ path: file, fullPage: true });
        expect(readFileSync(file).length).toBeGreaterThan(1000);
        await page.close();
      }
    }
  });

  it('keyboard only: sign-in failure → Fix sign-in → wizard → password form → signed in', async () => {
    const mailbox = 'carol.smith@corp.test';
    const page = await open(nobody, { fakeMailbox: mailbox });
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 45_000 })
      .toMatch(/You are not signed in\./);
    const status = page.locator('[data-pane-status]');
    expect(await status.innerText()).toBe('Sign-in did not work: you are not signed in.');

    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Fix sign-in');
    await page.keyboard.press('Enter');
    // The button is gone with the view: focus lands on the wizard's heading.
    await expect
      .poll(() => focused(page), { timeout: 30_000 })
      .toMatchObject({ tag: 'h1', text: 'Sign-in help' });

    // The wizard tries Windows sign-in (no credentials here), then offers the password form.
    await expect
      .poll(() => page.getByRole('textbox', { name: /Windows user name/ }).isVisible(), { timeout: 45_000 })
      .toBe(true);
    await tabTo(page, (f) => f.tag === 'input' && f.name === 'username');
    await page.keyboard.type('CORP\\carol');
    await tabTo(page, (f) => f.tag === 'input' && f.name === 'password');
    await page.keyboard.type(lab.users.carol.password);
    await page.keyboard.press('Enter');

    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 30_000 })
      .toMatch(/You are signed in as carol\.smith@corp\.test with Domain password\./);
    await expect.poll(() => status.innerText()).toBe(`Signed in as ${mailbox}.`);
    await page.screenshot({ path: join(SHOTS, 'keyboard-wizard-signed-in.png') });

    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Close');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => focused(page), { timeout: 30_000 })
      .toMatchObject({ tag: 'h1', text: 'Authentication Settings' });
    expect(await page.locator('body').innerText()).toContain(mailbox);
    const audit = await relay.store.audit.query({ mailbox, limit: 1 });
    expect(audit[0]).toMatchObject({ method: 'password', outcome: 'success' });
    await page.close();
  });
});
