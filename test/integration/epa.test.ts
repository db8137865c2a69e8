/**
 * Extended Protection (channel binding) end to end, against the lab's EPA CAS (`epa_cas.py`:
 * python3-gssapi, MIT krb5 and gss-ntlmssp enforcing RFC 5929 `tls-server-end-point`) and
 * binding clients (`negotiate_client.py --channel-bindings`, as Windows SSPI binds):
 *
 * - a relay presenting the CAS's own certificate: Kerberos and NTLM sign in against "Required";
 * - a relay presenting its own certificate: both refused, both `EXTENDED_PROTECTION_SUSPECTED`;
 * - the domain-password sign-in (our NTLMv2 client binds to the CAS certificate it sees);
 * - "Accept" lets an unbound client in; an NTLM AUTHENTICATE aimed at another service is
 *   stopped before the CAS; a preemptive token to a Basic-only CAS is `CAS_NO_NEGOTIATE`;
 * - diagnosis compares the two certificates before anyone signs in (HTTP and CLI).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { negotiateRequest, type NegotiateResult } from '../lab/clients.ts';
import { startEpaCas, type EpaCas } from '../lab/epa-cas.ts';
import { startRelayServer, type RelayServer } from './harness.ts';
import { type Answer, labCall } from './lab-call.ts';
import { scanLogs } from './log-scan.ts';
import { outlookIwaArgs } from '../lab/outlook-iwa.ts';

const lab = inject('lab');

const call = (origin: string, method: 'GET' | 'POST', path: string, body?: unknown, bearer?: string) =>
  labCall(lab, `${origin}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const bodyOf = (r: NegotiateResult): Record<string, unknown> =>
  JSON.parse(r.body ?? '{}') as Record<string, unknown>;

describe('Extended Protection through the relay', () => {
  let required: EpaCas;
  let accept: EpaCas;
  /** Presents the CAS's own certificate (cas.corp.test): clients reach it under that name. */
  let sameCert: RelayServer;
  /** Presents its own certificate (relay.corp.test). */
  let ownCert: RelayServer;

  /** Our own URL for a mailbox on the relay that serves the CAS's certificate. */
  const sameCertUrl = (mailbox: string) =>
    `https://${lab.hosts.cas}:${String(sameCert.port)}/api/auth/iwa?mailbox=${encodeURIComponent(mailbox)}`;

  beforeAll(async () => {
    [required, accept] = await Promise.all([startEpaCas(lab, 'Required'), startEpaCas(lab, 'Accept')]);
    sameCert = await startRelayServer(lab, {
      tls: { certFile: lab.tls.casCertPath, keyFile: lab.tls.casKeyPath },
    });
    ownCert = await startRelayServer(lab);
    for (const relay of [sameCert, ownCert]) {
      const profile = (name: string, casUrl: string, scope: { domains?: string[]; mailboxes?: string[] }) =>
        relay.store.profiles.create({
          name,
          casUrl,
          casCa: lab.tls.caCertPem,
          methods: ['iwa', 'password'],
          ...scope,
        });
      // alice and carol: EWS Extended Protection "Required"; bob: "Accept"; dave: Basic only.
      await profile('epa-required', required.ewsUrl, { domains: ['corp.test'] });
      await profile('epa-accept', accept.ewsUrl, { mailboxes: ['bob@corp.test'] });
      await profile('basic-only', lab.cas.basicEwsUrl, { mailboxes: ['dave@basic.test'] });
    }
  });

  afterAll(async () => {
    await Promise.all([sameCert.close(), ownCert.close()]);
    await Promise.all([required.stop(), accept.stop()]);
  });

  describe("a relay presenting the CAS's own certificate, CAS Required", () => {
    it('Kerberos from a binding client signs in, identity proven as usual', async () => {
      const r = await negotiateRequest(lab, {
        user: 'alice',
        mech: 'krb5',
        url: sameCertUrl('alice@corp.test'),
        connectPort: sameCert.port,
        channelBindings: true,
      });
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
      expect(bodyOf(r)).toMatchObject({ mailbox: 'alice@corp.test', method: 'iwa', mechanism: 'kerberos' });
    });

    it('NTLM from a binding client signs in (carol: EWS proves carol.smith@)', async () => {
      const r = await negotiateRequest(lab, {
        user: 'carol',
        mech: 'ntlm',
        url: sameCertUrl('carol.smith@corp.test'),
        connectPort: sameCert.port,
        channelBindings: true,
      });
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
      expect(bodyOf(r)).toMatchObject({ mailbox: 'carol.smith@corp.test', mechanism: 'ntlm' });
    });

    it('diagnosis says Required lets relayed sign-ins through: same tls-server-end-point', async () => {
      const r = await call(
        `https://${lab.hosts.cas}:${String(sameCert.port)}`,
        'GET',
        '/api/auth/iwa/diagnose?mailbox=alice%40corp.test',
      );
      const step = (r.json.steps as { name: string }[]).find((s) => s.name === 'extended-protection');
      expect(step).toMatchObject({
        ok: true,
        outcome: expect.stringMatching(/lets relayed sign-ins through/) as unknown,
      });
      expect(step).not.toHaveProperty('warning');
      expect(step).not.toHaveProperty('remedy');
    });
  });

  describe('a relay presenting its own certificate, CAS Required', () => {
    it('Kerberos from a binding client: EXTENDED_PROTECTION_SUSPECTED, EPA first among the causes', async () => {
      const r = await negotiateRequest(lab, {
        user: 'alice',
        mech: 'krb5',
        url: ownCert.iwaUrl('alice@corp.test'),
        spnHost: lab.hosts.relay,
        channelBindings: true,
      });
      expect(r.status, r.body ?? '').toBe(401);
      const body = bodyOf(r);
      expect(body).toMatchObject({
        code: 'EXTENDED_PROTECTION_SUSPECTED',
        mechanism: 'kerberos',
        likelyCauses: ['extended-protection', 'relay-spn', 'clock-skew'],
      });
      // Both ways out.
      expect(body.remedy).toMatch(/CAS's own certificate/);
      expect(body.remedy).toMatch(/to None .*Accept/);
      // The CAS really refused for the binding (GSSAPI), not for anything else.
      expect(required.log.join('\n')).toMatch(/refused: GSSAPI/);
    });

    it('NTLM from a binding client: EXTENDED_PROTECTION_SUSPECTED', async () => {
      const r = await negotiateRequest(lab, {
        user: 'carol',
        mech: 'ntlm',
        url: ownCert.iwaUrl('carol.smith@corp.test'),
        spnHost: lab.hosts.relay,
        channelBindings: true,
      });
      expect(r.status, r.body ?? '').toBe(401);
      expect(bodyOf(r)).toMatchObject({ code: 'EXTENDED_PROTECTION_SUSPECTED', mechanism: 'ntlm' });
    });

    it('the domain-password sign-in binds to the CAS certificate it sees: signed in', async () => {
      const alice = lab.users.alice;
      const r = await call(ownCert.origin, 'POST', '/api/auth/password', {
        mailbox: 'alice@corp.test',
        username: 'CORP\\alice',
        password: alice.password,
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json).toMatchObject({ mailbox: 'alice@corp.test', method: 'password', mechanism: 'ntlm' });
    });

    it('diagnosis warns, before anyone signs in, that Required would refuse, with both ways out', async () => {
      const path = '/api/auth/iwa/diagnose?mailbox=alice%40corp.test';
      const step = (r: Answer) =>
        (r.json.steps as Record<string, unknown>[]).find((s) => s.name === 'extended-protection');
      // Anyone: the finding and both ways out, but no certificate subjects or hashes.
      const anonymous = await call(ownCert.origin, 'GET', path);
      expect(anonymous.json.ok).toBe(true);
      expect(step(anonymous)).toMatchObject({
        ok: true,
        warning: true,
        outcome: expect.stringMatching(
          /"Required", relayed sign-ins from Windows will be refused/,
        ) as unknown,
      });
      expect(step(anonymous)?.remedy).toMatch(/to None .*Accept/);
      expect(step(anonymous)).not.toHaveProperty('detail');
      // The admin: which certificates differ.
      const admin = await call(
        ownCert.origin,
        'GET',
        path,
        undefined,
        await ownCert.store.adminCredentials.mint(),
      );
      expect(step(admin)).toMatchObject({
        ok: true,
        warning: true,
        detail: expect.stringMatching(
          /backend: subject .*CN=relay\.corp\.test.*tls-server-end-point sha256:[0-9a-f]{64}; CAS: subject .*CN=cas\.corp\.test/,
        ) as unknown,
      });
    });

    it('outlook-iwa diagnose --tls-cert compares the certificate serve presents with the CAS', async () => {
      const db = `${lab.dir}/epa-diagnose-${String(process.pid)}.db`;
      const store = await import('../../src/backend/storage/index.ts').then((m) =>
        m.openStore(`sqlite:${db}`),
      );
      await store.profiles.create({
        name: 'epa',
        casUrl: required.ewsUrl,
        casCa: lab.tls.caCertPem,
        domains: ['corp.test'],
      });
      await store.close();
      const run = (cert: string) =>
        spawnSync(
          process.execPath,
          outlookIwaArgs(
            'diagnose',
            'alice@corp.test',
            '--database',
            `sqlite:${db}`,
            '--resolve',
            'cas.corp.test:127.0.0.1',
            '--tls-cert',
            cert,
          ),
          { encoding: 'utf8', timeout: 30_000 },
        );
      const other = run(lab.tls.relayCertPath);
      expect(other.status, other.stderr).toBe(0);
      expect(other.stdout).toMatch(/WARN extended-protection +If EWS Extended Protection is "Required"/);
      const same = run(lab.tls.casCertPath);
      expect(same.status, same.stderr).toBe(0);
      expect(same.stdout).toMatch(/ok {3}extended-protection +Extended Protection "Required" lets/);
    });
  });

  describe('CAS Accept', () => {
    it('a client that sends no binding signs in, Kerberos and NTLM, even through another certificate', async () => {
      for (const mech of ['krb5', 'ntlm'] as const) {
        const r = await negotiateRequest(lab, {
          user: 'bob',
          mech,
          url: ownCert.iwaUrl('bob@corp.test'),
          spnHost: lab.hosts.relay,
        });
        expect(r.status, `${mech}: ${r.body ?? ''}`).toBe(200);
        expect(bodyOf(r)).toMatchObject({ mailbox: 'bob@corp.test' });
      }
    });

    it('a binding client through another certificate is refused under Accept too: Accept checks bindings sent', async () => {
      const r = await negotiateRequest(lab, {
        user: 'bob',
        mech: 'krb5',
        url: ownCert.iwaUrl('bob@corp.test'),
        spnHost: lab.hosts.relay,
        channelBindings: true,
      });
      expect(r.status, r.body ?? '').toBe(401);
      expect(bodyOf(r)).toMatchObject({ code: 'EXTENDED_PROTECTION_SUSPECTED', mechanism: 'kerberos' });
    });

    it('the same unbound client is refused by Required (the lab CAS enforces, it does not just accept)', async () => {
      const r = await negotiateRequest(lab, { user: 'alice', mech: 'krb5', url: required.ewsUrl });
      expect(r.status).toBe(401);
      expect(required.log.join('\n')).toMatch(/refused: no channel binding/);
    });

    it('an NTLM AUTHENTICATE computed for another service is refused before it reaches the CAS', async () => {
      // Under "Accept" gss-ntlmssp would take this AUTHENTICATE: only our guard can stop it.
      const before = accept.log.length;
      const r = await negotiateRequest(lab, {
        user: 'bob',
        mech: 'ntlm',
        url: ownCert.iwaUrl('bob@corp.test'),
        spnHost: 'fileserver.corp.test',
      });
      expect(r.status).toBe(400);
      expect(bodyOf(r)).toMatchObject({ code: 'HANDSHAKE_INVALID', reason: 'target-name' });
      const rows = await ownCert.store.audit.query({ mailbox: 'bob@corp.test', limit: 1 });
      expect(rows[0]).toMatchObject({ reason: 'HANDSHAKE_INVALID', claimedMailbox: 'bob@corp.test' });
      // The CAS saw the NEGOTIATE leg (and perhaps the anonymous probe), never an AUTHENTICATE.
      expect(accept.log.slice(before).filter((l) => / 200 /.test(l))).toEqual([]);
    });
  });

  it('the relays and the EPA CAS logged no password, token or challenge', () => {
    const lines = [...sameCert.logs, ...ownCert.logs, ...required.log, ...accept.log];
    expect(lines.length).toBeGreaterThan(20);
    expect(scanLogs(lines, lab)).toEqual([]);
  });

  it('a preemptive token to the Basic-only CAS is CAS_NO_NEGOTIATE, not a refused ticket', async () => {
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'krb5',
      url: ownCert.iwaUrl('dave@basic.test'),
      spnHost: lab.hosts.relay,
      preemptive: true,
    });
    expect(r.legs[0]?.sentToken).toBe(true);
    expect(r.status).toBe(502);
    expect(bodyOf(r)).toMatchObject({ code: 'CAS_NO_NEGOTIATE', offered: ['Basic'] });
  });
});
