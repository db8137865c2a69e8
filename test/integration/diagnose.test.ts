/**
 * Diagnosis against the lab: the HTTP route and `outlook-iwa diagnose`, step by step, for a
 * working CAS, a Basic-only CAS and an untrusted certificate.
 */
import { spawnSync } from 'node:child_process';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { labLookup } from '../lab/clients.ts';
import { outlookIwaArgs } from '../lab/outlook-iwa.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { createLabProfile, startRelayServer, type RelayServer } from './harness.ts';
import { leg } from './leg-client.ts';

const lab = inject('lab');

interface Report {
  ok: boolean;
  profile: string | null;
  steps: { name: string; ok: boolean; detail: string; remedy?: string }[];
}

/** With `admin`, the admin credential: the full report. Without it, the public one. */
function diagnose(relay: RelayServer, mailbox: string, admin?: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    https
      .get(
        `${relay.origin}/api/auth/iwa/diagnose?mailbox=${encodeURIComponent(mailbox)}`,
        {
          ca: lab.tls.caCertPem,
          lookup: labLookup,
          agent: false,
          ...(admin === undefined ? {} : { headers: { authorization: `Bearer ${admin}` } }),
        },
        (res) => {
          let data = '';
          res.on('data', (c: Buffer) => (data += c.toString()));
          res.on('end', () => {
            resolve(JSON.parse(data) as Report);
          });
        },
      )
      .on('error', reject);
  });
}

describe('diagnosis', () => {
  let relay: RelayServer;
  let dbPath: string;
  let admin: string;

  beforeAll(async () => {
    dbPath = `${lab.dir}/diagnose-${String(process.pid)}.db`;
    relay = await startRelayServer(lab, { database: `sqlite:${dbPath}` });
    await createLabProfile(relay.store, lab);
    admin = await relay.store.adminCredentials.mint();
    await relay.store.profiles.create({
      name: 'basic-only',
      casUrl: lab.cas.basicEwsUrl,
      casCa: lab.tls.caCertPem,
      mailboxes: ['dave@basic.test'],
    });
    await relay.store.profiles.create({
      name: 'untrusted',
      casUrl: lab.cas.untrustedEwsUrl,
      casCa: lab.tls.caCertPem,
      mailboxes: ['frank@untrusted.test'],
    });
  });

  afterAll(async () => {
    await relay.close();
  });

  it('a working CAS passes every step and names the certificate', async () => {
    const r = await diagnose(relay, 'alice@corp.test', admin);
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => [s.name, s.ok])).toEqual([
      ['profile', true],
      ['dns', true],
      ['tcp', true],
      ['tls', true],
      ['negotiate', true],
      ['extended-protection', true],
    ]);
    expect(r.steps[3]?.detail).toMatch(/CN=cas\.corp\.test.*trusted: yes/);
    expect(r.steps[4]?.detail).toMatch(/Negotiate/);
    // Our relay serves its own certificate, not the CAS's: the EP hint says what to do.
    expect(r.steps[5]?.remedy).toMatch(/ExtendedProtectionTokenChecking/);
  });

  it('a Basic-only CAS fails at negotiate with a remedy naming the IIS setting', async () => {
    const r = await diagnose(relay, 'dave@basic.test', admin);
    expect(r.ok).toBe(false);
    const failed = r.steps.find((s) => !s.ok);
    expect(failed).toMatchObject({
      name: 'negotiate',
      detail: expect.stringMatching(/offers: Basic/) as unknown,
    });
    expect(failed?.remedy).toMatch(/WindowsAuthentication \$true/);
  });

  it('without the admin credential: step names, outcomes and remedies, nothing internal', async () => {
    for (const mailbox of ['alice@corp.test', 'dave@basic.test', 'frank@untrusted.test']) {
      const full = await diagnose(relay, mailbox, admin);
      const r = await diagnose(relay, mailbox);
      expect(r.steps.map((s) => [s.name, s.ok])).toEqual(full.steps.map((s) => [s.name, s.ok]));
      expect(r.ok).toBe(full.ok);
      expect(r.steps.map((s) => s.remedy !== undefined)).toEqual(
        full.steps.map((s) => s.remedy !== undefined),
      );
      const text = JSON.stringify({ ...r, mailbox: undefined }); // the caller's own mailbox may name the domain
      expect(r).not.toHaveProperty('profile');
      for (const s of r.steps) expect(Object.keys(s).sort()).toEqual(expect.arrayContaining(['name', 'ok']));
      for (const s of r.steps) expect(s).not.toHaveProperty('detail');
      for (const secret of [
        'basic-only',
        'untrusted',
        "'lab'",
        'CN=',
        '127.0.0.1',
        new URL(lab.cas.ewsUrl).hostname,
      ]) {
        expect(text, `${mailbox}: ${secret}`).not.toContain(secret);
      }
    }
    // The user-facing remedy survives: what to turn on in IIS.
    const basic = await diagnose(relay, 'dave@basic.test');
    expect(basic.steps.find((s) => !s.ok)?.remedy).toMatch(/WindowsAuthentication \$true/);
  });

  it('always probes the CAS, even right after the relay cached its "Negotiate offered"', async () => {
    const proxy: FaultProxy = await startFaultProxy(lab);
    try {
      await relay.store.profiles.create({
        name: 'via-fault-proxy',
        casUrl: proxy.ewsUrl,
        casCa: lab.tls.caCertPem,
        methods: ['iwa'],
        mailboxes: ['erin@proxied.test'],
      });
      const anonymous = () => proxy.seen.filter((s) => !s.hasAuthorization).length;
      // Two browsers' first legs: the second is answered from the relay's probe cache.
      for (let i = 0; i < 2; i++) {
        const first = await leg(lab, relay.iwaUrl('erin@proxied.test'));
        expect(first.status).toBe(401);
        expect(first.headers['www-authenticate']).toBe('Negotiate');
      }
      expect(anonymous()).toBe(1);
      // The CAS stops offering Negotiate; the cache would still say it does.
      proxy.plan = () => ({
        kind: 'respond',
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="cas"' },
        body: '',
      });
      const r = await diagnose(relay, 'erin@proxied.test', admin);
      expect(anonymous()).toBe(2);
      expect(r.ok).toBe(false);
      expect(r.steps.find((s) => !s.ok)).toMatchObject({
        name: 'negotiate',
        detail: expect.stringMatching(/offers: Basic/) as unknown,
      });
    } finally {
      await proxy.close();
    }
  });

  it('an untrusted certificate fails at tls', async () => {
    const r = await diagnose(relay, 'frank@untrusted.test');
    expect(r.steps.find((s) => !s.ok)).toMatchObject({ name: 'tls' });
  });

  it('outlook-iwa diagnose prints the steps and exits 0 only if IWA can work', () => {
    const run = (mailbox: string) =>
      spawnSync(
        process.execPath,
        outlookIwaArgs(
          'diagnose',
          mailbox,
          '--database',
          `sqlite:${dbPath}`,
          '--resolve',
          'cas.corp.test:127.0.0.1',
        ),
        { encoding: 'utf8', timeout: 30_000 },
      );
    const good = run('alice@corp.test');
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/IWA can work/);
    const bad = run('dave@basic.test');
    expect(bad.status).toBe(3);
    expect(bad.stdout).toMatch(/FAIL negotiate/);
    expect(bad.stdout).toMatch(/fix: Turn on Windows Authentication/);
  });
});
