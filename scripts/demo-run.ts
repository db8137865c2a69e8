/**
 * The demo: a realm lab (MIT KDC, Apache CAS with mod_auth_gssapi, EWS stand-in), our server
 * on SQLite, a lab profile, and the real task pane in headless Chromium as alice@corp.test,
 * signing in silently through the relay with Kerberos. Prints who signed in and how, and
 * leaves nothing running unless `--keep`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLabProfile, startRelayServer } from '../test/integration/harness.ts';
import { launchChromium } from '../test/lab/chromium.ts';
import { startLab } from '../test/lab/lab.ts';

const keep = process.argv.includes('--keep');
const say = (line: string) => process.stdout.write(`${line}\n`);

const t0 = performance.now();
const lab = await startLab();
const cleanup: (() => Promise<void>)[] = [() => lab.stop()];
const stopAll = async () => {
  for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
};
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

try {
  say(
    `lab: KDC and CAS up in ${Math.round(performance.now() - t0)} ms (realm ${lab.info.realm}, ${lab.info.cas.ewsUrl}, dir ${lab.info.dir})`,
  );
  const server = await startRelayServer(lab.info, { database: `sqlite:${join(lab.info.dir, 'demo.db')}` });
  cleanup.push(() => server.close());
  await createLabProfile(server.store, lab.info);
  say(`server: ${server.origin} (SQLite), profile "lab" for corp.test → ${lab.info.cas.ewsUrl}`);

  const browser = await launchChromium(lab.info, { user: 'alice', mech: 'krb5' });
  cleanup.push(() => browser.close());
  const { page } = browser;
  await page.setViewportSize({ width: 350, height: 700 });
  await page.route('**/office-js/office.js', (route) =>
    route.fulfill({ path: resolve('public-dev/office-fake.js'), contentType: 'application/javascript' }),
  );
  const started = performance.now();
  await page.goto(`${server.origin}/index.html?fakeMailbox=alice@corp.test`);
  await page
    .getByRole('group', { name: 'Windows sign-in (IWA)' })
    .getByText('Active')
    .waitFor({ timeout: 60_000 });
  const ms = Math.round(performance.now() - started);
  const [row] = await server.store.audit.query({ mailbox: 'alice@corp.test', limit: 1 });
  if (row?.outcome !== 'success')
    throw new Error(`sign-in did not succeed: ${row?.reason ?? 'no audit row'}`);
  mkdirSync('test/output', { recursive: true });
  const shot = resolve('test/output/demo-authentication-settings.png');
  await page.screenshot({ path: shot });

  say('');
  say(`signed in:  ${row.provenMailbox ?? '?'}`);
  say(`method:     ${row.method} (${row.mechanism ?? '-'}), through the relay to the lab CAS`);
  say(`time:       ${ms} ms from page load to "signed in"`);
  say(`screenshot: ${shot}`);

  if (keep) {
    say('');
    say('--keep: the lab and the server stay up until Ctrl-C.');
    say(`  pane:     ${server.origin}/index.html  (resolve relay.corp.test and cas.corp.test to 127.0.0.1)`);
    say(`  CA:       ${lab.info.tls.caCertPath}`);
    say(
      `  kerberos: KRB5_CONFIG=${lab.info.env.KRB5_CONFIG} kinit alice   (password in ${lab.info.users.alice.passwordFile})`,
    );
    say(
      `  try:      curl --negotiate -u : --cacert ${lab.info.tls.caCertPath} --resolve relay.corp.test:${server.port}:127.0.0.1 '${server.iwaUrl('alice@corp.test')}'`,
    );
    await new Promise(() => undefined);
  }
} catch (err) {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  if (!keep) await stopAll();
}
