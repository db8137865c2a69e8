/**
 * The built task pane in Debian's Chromium against the real backend and the lab: Office.js is
 * replaced by the script-level fake (which drives the real adapter), everything else is real —
 * the relay, the Apache CAS, the KDC and Chromium's own Negotiate.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { manifestUrls } from '../../src/backend/manifest/manifest.ts';
import { launchChromium, type LabChromium } from '../lab/chromium.ts';
import { startEpaCas, type EpaCas } from '../lab/epa-cas.ts';
import {
  mintLabIdentityToken,
  writeLabAuthMetadata,
  type LabAuthMetadata,
} from '../lab/identity-token-lab.ts';
import type { LabUser } from '../lab/lab.ts';
import { createLabProfile, startRelayServer, type RelayServer } from '../integration/harness.ts';
import { seriousAxeViolations } from './axe.ts';

const lab = inject('lab');
const SHOTS = join(process.cwd(), 'test/output/screenshots');
const OFFICE_FAKE = join(process.cwd(), 'public-dev/office-fake.js');

interface PaneOptions {
  readonly user?: LabUser;
  readonly mech: 'krb5' | 'ntlm' | 'none';
  readonly fake?: Record<string, string>;
}

describe('task pane in Chromium through the relay and the lab', () => {
  let relay: RelayServer;
  let metadata: LabAuthMetadata;
  /** erin@epa.test's mailbox is on a CAS with EWS Extended Protection "Required". */
  let epa: EpaCas;
  const browsers: LabChromium[] = [];

  /** Opens the built pane as Outlook would, with the Office fake standing in for office.js. */
  async function openPane(o: PaneOptions): Promise<Page> {
    const browser = await launchChromium(lab, {
      mech: o.mech,
      ...(o.user === undefined ? {} : { user: o.user }),
      timeoutMs: 30_000,
    });
    browsers.push(browser);
    const { page } = browser;
    await page.setViewportSize({ width: 350, height: 700 });
    await page.route('**/office-js/office.js', (route) =>
      route.fulfill({ path: OFFICE_FAKE, contentType: 'application/javascript' }),
    );
    const query = new URLSearchParams(o.fake ?? {}).toString();
    await page.goto(`${relay.origin}/index.html${query === '' ? '' : `?${query}`}`);
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    relay = await startRelayServer(lab);
    await createLabProfile(relay.store, lab);
    await relay.store.profiles.create({
      name: 'basic-only',
      casUrl: lab.cas.basicEwsUrl,
      casCa: lab.tls.caCertPem,
      mailboxes: ['dave@basic.test'],
    });
    epa = await startEpaCas(lab, 'Required');
    await relay.store.profiles.create({
      name: 'epa-required',
      casUrl: epa.ewsUrl,
      casCa: lab.tls.caCertPem,
      mailboxes: ['erin@epa.test'],
    });
    metadata = await writeLabAuthMetadata(lab.staticDir, new URL(lab.cas.origin).host);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await relay.close();
    await epa.stop();
  });

  it('signs alice in silently with Kerberos and shows IWA active in Authentication Settings', async () => {
    const page = await openPane({ user: 'alice', mech: 'krb5' });
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Authentication Settings' }).isVisible(), {
        timeout: 30_000,
      })
      .toBe(true);
    const card = page.getByRole('group', { name: 'Windows sign-in (IWA)' });
    await expect.poll(() => card.textContent()).toMatch(/Active/);
    const body = await page.locator('body').innerText();
    expect(body).toContain('alice@corp.test');
    expect(body).toMatch(/Kerberos/);
    expect(await page.title()).toBe('Authentication Settings – Outlook IWA');
    await shot(page, 'signed-in-settings');

    // Accessibility of the real rendering, not just jsdom's.
    expect(await seriousAxeViolations(page)).toEqual([]);

    const audit = await relay.store.audit.query({ mailbox: 'alice@corp.test', limit: 1 });
    expect(audit[0]).toMatchObject({ outcome: 'success', mechanism: 'kerberos', method: 'iwa' });

    // Sign out: the session is revoked on the server, the pane says so and IWA is available again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('body').innerText()).toMatch(/You are signed out\./);
    await expect.poll(() => card.textContent()).toMatch(/Available/);
    expect(await relay.store.sessions.list({ mailbox: 'alice@corp.test' })).toEqual([]);
    await shot(page, 'signed-out');
  });

  it("opens the wizard with the identity-mismatch explanation for bob's mailbox on alice's PC", async () => {
    const page = await openPane({ user: 'alice', mech: 'krb5', fake: { fakeMailbox: 'bob@corp.test' } });
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 30_000 })
      .toMatch(/You are not signed in\./);
    // This client has Mailbox 1.10, so the item gets the insight message whose action opens the
    // pane (1.3 clients get the informational one), posted with replaceAsync: never stacked.
    const fake = await page.evaluate(
      () =>
        (
          window as unknown as {
            __officeFake: {
              notifications: Record<string, { type?: string }>;
              calls: { op: string; type?: string }[];
            };
          }
        ).__officeFake,
    );
    expect(fake.calls.filter((c) => c.op === 'addAsync')).toEqual([]);
    expect(fake.calls.filter((c) => c.op === 'replaceAsync').map((c) => c.type)).toContain('insightMessage');
    expect(Object.values(fake.notifications).map((n) => n.type)).toEqual(['insightMessage']);
    await page.getByRole('button', { name: 'Fix sign-in' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Sign-in help' }).isVisible(), {
        timeout: 30_000,
      })
      .toBe(true);
    const happened = page.getByRole('region', { name: '3. What happened' });
    await expect.poll(() => happened.innerText(), { timeout: 30_000 }).toMatch(/alice@corp\.test/);
    const text = await happened.innerText();
    expect(text).toContain('bob@corp.test');
    expect(await page.title()).toBe('Sign-in help – Outlook IWA');
    await shot(page, 'identity-mismatch-wizard');
  });

  it("explains a Basic-only CAS and the Fix button's diagnosis lists the failed step", async () => {
    const page = await openPane({ user: 'alice', mech: 'krb5', fake: { fakeMailbox: 'dave@basic.test' } });
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 30_000 })
      .toMatch(/You are not signed in\./);
    await page.getByRole('button', { name: 'Fix sign-in' }).click();
    const happened = page.getByRole('region', { name: '3. What happened' });
    await expect.poll(() => happened.innerText(), { timeout: 30_000 }).toMatch(/Windows authentication/i);
    await shot(page, 'basic-only-wizard');

    // Authentication Settings' Fix runs the diagnosis step by step.
    await page.goto(`${relay.origin}/index.html?fakeMailbox=dave@basic.test`);
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 30_000 })
      .toMatch(/You are not signed in\./);
    await page.getByRole('button', { name: 'Fix Windows sign-in (IWA)' }).click();
    const steps = page.getByRole('list', { name: 'Checks for Windows sign-in (IWA)' });
    await expect
      .poll(() => steps.innerText(), { timeout: 30_000 })
      .toMatch(/Windows authentication offered by Exchange: failed/);
    expect(await steps.innerText()).toMatch(/What to do: .*WindowsAuthentication/s);
    await shot(page, 'basic-only-diagnosis');
  });

  it('against Extended Protection "Required", the diagnosis compares the certificates and says why', async () => {
    // Chromium on Linux binds nothing; "Required" refuses it, and the relay serves its own
    // certificate, so the pane is told EXTENDED_PROTECTION_SUSPECTED.
    const page = await openPane({ user: 'alice', mech: 'krb5', fake: { fakeMailbox: 'erin@epa.test' } });
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 30_000 })
      .toMatch(/You are not signed in\./);
    await page.getByRole('button', { name: 'Fix Windows sign-in (IWA)' }).click();
    const steps = page.getByRole('list', { name: 'Checks for Windows sign-in (IWA)' });
    await expect
      .poll(() => steps.innerText(), { timeout: 30_000 })
      .toMatch(/Certificates for Extended Protection: passed, with a warning/);
    const text = await steps.innerText();
    expect(text).toMatch(
      /If EWS Extended Protection is "Required", relayed sign-ins from Windows will be refused/,
    );
    // The pane asks without the admin credential: the finding, not the certificates' subjects.
    expect(text).not.toMatch(/CN=/);
    expect(text).toMatch(/What to do: Serve this backend with the CAS's own certificate/);
    await page.getByText('Certificates for Extended Protection').scrollIntoViewIfNeeded();
    await shot(page, 'epa-diagnosis');
  });

  it('without Windows credentials: password sign-in, then silent identity-token sign-in on the next start', async () => {
    const token = mintLabIdentityToken({
      key: metadata.signingKeyPem,
      x5t: metadata.x5t,
      aud: manifestUrls(`https://${lab.hosts.relay}/`).page,
      amurl: metadata.amurl,
      msexchuid: 'carol-exchange-uid',
      nbf: Math.floor(Date.now() / 1000) - 60,
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    const fake = { fakeMailbox: 'carol.smith@corp.test', fakeIdentityToken: token };
    const page = await openPane({ mech: 'none', fake });
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 45_000 })
      .toMatch(/You are not signed in\./);
    await page.getByRole('button', { name: 'Fix sign-in' }).click();
    const username = page.getByLabel(/user name/i);
    await expect.poll(() => username.isVisible(), { timeout: 45_000 }).toBe(true);
    await username.fill('CORP\\carol');
    await page.getByLabel(/^password/i).fill(lab.users.carol.password);
    await page.getByLabel(/^password/i).press('Enter');
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: 30_000 })
      .toMatch(/carol\.smith@corp\.test/);
    await expect
      .poll(async () => (await relay.store.bindings.list({ mailbox: 'carol.smith@corp.test' })).length)
      .toBe(1);
    await shot(page, 'password-signed-in');

    // Next start: a new pane (fresh sessionStorage) signs in silently with the bound token.
    const next = await openPane({ mech: 'none', fake });
    await expect
      .poll(() => next.getByRole('heading', { level: 1, name: 'Authentication Settings' }).isVisible(), {
        timeout: 45_000,
      })
      .toBe(true);
    const audit = await relay.store.audit.query({ mailbox: 'carol.smith@corp.test', limit: 1 });
    expect(audit[0]).toMatchObject({ method: 'identity-token', outcome: 'success' });
    await shot(next, 'identity-token-signed-in');
  });
});
