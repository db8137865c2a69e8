/**
 * The negotiate relay against the real lab: real Kerberos (curl --negotiate, MIT), real NTLM
 * (python-gssapi + gss-ntlmssp), real Apache mod_auth_gssapi as the CAS, and our HTTPS server.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { curlNegotiate, kinit, labLookup, negotiateRequest } from '../lab/clients.ts';
import { createLabProfile, startRelayServer, type RelayServer } from './harness.ts';
import { type Answer, labCall } from './lab-call.ts';

const lab = inject('lab');

/** One request to our server; `agent` decides which TCP connection carries it. */
const request = (url: string, headers: Record<string, string> = {}, agent?: https.Agent): Promise<Answer> =>
  labCall(lab, url, { headers, ...(agent === undefined ? {} : { agent }) });

const ntlmVectors = JSON.parse(
  readFileSync(new URL('../fixtures/protocol/ntlm-gssntlmssp.json', import.meta.url), 'utf8'),
) as { vectors: { description: string; legs: { from: string; token: string }[] }[] };

/** A real NTLM AUTHENTICATE (in SPNEGO) captured from gss-ntlmssp. */
function capturedAuthenticate(): string {
  const legs = ntlmVectors.vectors[0]?.legs.filter((l) => l.from === 'initiator') ?? [];
  const last = legs.at(-1);
  if (last === undefined) throw new Error('no captured NTLM AUTHENTICATE');
  return last.token;
}

describe('negotiate relay through the lab CAS', () => {
  let relay: RelayServer;

  beforeAll(async () => {
    relay = await startRelayServer(lab);
    await createLabProfile(relay.store, lab);
    const profile = (name: string, casUrl: string, mailboxes: string[], casCa = lab.tls.caCertPem) =>
      relay.store.profiles.create({ name, casUrl, casCa, methods: ['iwa'], mailboxes });
    await profile('basic-only', lab.cas.basicEwsUrl, ['dave@basic.test']);
    await profile('cas-down', `https://${lab.hosts.cas}:1/EWS/Exchange.asmx`, ['erin@down.test']);
    await profile('untrusted', lab.cas.untrustedEwsUrl, ['frank@untrusted.test']);
    await relay.store.profiles.create({
      name: 'no-iwa',
      casUrl: lab.cas.ewsUrl,
      casCa: lab.tls.caCertPem,
      methods: ['password'],
      mailboxes: ['gina@corp.test'],
    });
  });

  afterAll(async () => {
    await relay.close();
  });

  it('Kerberos with curl --negotiate: the ticket is for HTTP/relay.corp.test and the CAS accepts it', async () => {
    const ccache = await kinit(lab, 'alice');
    const r = await curlNegotiate(lab, { ccache, url: relay.iwaUrl('alice@corp.test') });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as Record<string, unknown>;
    expect(body).toMatchObject({ mailbox: 'alice@corp.test', method: 'iwa', mechanism: 'kerberos' });
    expect(body.token).toMatch(/^[\w-]+\.[\w-]+$/);
    // The relay offered only Negotiate on the first leg.
    expect(r.responses[0]?.wwwAuthenticate).toEqual(['Negotiate']);
    // The CAS's mutual-authentication token reached the client.
    expect(r.responses.at(-1)?.wwwAuthenticate).toEqual(['Negotiate']);

    const session = await request(`${relay.origin}/api/session`, {
      authorization: `Bearer ${String(body.token)}`,
    });
    expect(session.status).toBe(200);
    expect(session.json).toMatchObject({ mailbox: 'alice@corp.test', method: 'iwa' });
  });

  it('NTLM through GSSAPI with gss-ntlmssp', async () => {
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'ntlm',
      url: relay.iwaUrl('alice@corp.test'),
      spnHost: lab.hosts.relay,
    });
    expect(r.error).toBeNull();
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body ?? '{}')).toMatchObject({ mailbox: 'alice@corp.test', mechanism: 'ntlm' });
    // probe, NEGOTIATE, AUTHENTICATE
    expect(r.legs.map((l) => l.status)).toEqual([401, 401, 200]);
  });

  it('carol signs in and proves carol.smith@corp.test', async () => {
    const r = await negotiateRequest(lab, {
      user: 'carol',
      mech: 'ntlm',
      url: relay.iwaUrl('Carol.Smith@corp.test'),
      spnHost: lab.hosts.relay,
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body ?? '{}')).toMatchObject({ mailbox: 'carol.smith@corp.test' });
  });

  it('alice claiming bob@corp.test gets IDENTITY_MISMATCH, no token, and an audit row', async () => {
    const ccache = await kinit(lab, 'alice');
    const r = await curlNegotiate(lab, { ccache, url: relay.iwaUrl('bob@corp.test') });
    expect(r.status).toBe(403);
    const body = JSON.parse(r.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      code: 'IDENTITY_MISMATCH',
      claimed: 'bob@corp.test',
      proven: 'alice@corp.test',
    });
    expect(body.token).toBeUndefined();
    expect(r.responses.at(-1)?.wwwAuthenticate).toEqual([]);
    const audit = await relay.store.audit.query({ mailbox: 'bob@corp.test' });
    expect(audit[0]).toMatchObject({
      claimedMailbox: 'bob@corp.test',
      provenMailbox: 'alice@corp.test',
      outcome: 'failure',
      reason: 'IDENTITY_MISMATCH',
      mechanism: 'kerberos',
      profile: 'lab',
    });
    expect(await relay.store.sessions.list({ mailbox: 'bob@corp.test' })).toEqual([]);
  });

  it('a wrong NTLM password is AUTH_REJECTED, answered in JSON without WWW-Authenticate', async () => {
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'ntlm',
      password: 'wrong-password',
      url: relay.iwaUrl('alice@corp.test'),
      spnHost: lab.hosts.relay,
    });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body ?? '{}')).toMatchObject({ code: 'AUTH_REJECTED', user: 'alice' });
    expect(r.legs.at(-1)?.wwwAuthenticate).toEqual([]);
  });

  it('a Basic-only CAS is CAS_NO_NEGOTIATE naming what it offers', async () => {
    const r = await request(relay.iwaUrl('dave@basic.test'));
    expect(r.status).toBe(502);
    expect(r.json).toMatchObject({ code: 'CAS_NO_NEGOTIATE', offered: ['Basic'] });
    expect(r.headers['www-authenticate']).toBeUndefined();
  });

  it('a CAS that is down is CAS_UNREACHABLE, quickly', async () => {
    const t0 = performance.now();
    const r = await request(relay.iwaUrl('erin@down.test'));
    expect(r.status).toBe(502);
    expect(r.json).toMatchObject({ code: 'CAS_UNREACHABLE', reason: 'tcp-refused' });
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('a CAS with an untrusted certificate is CAS_TLS_UNTRUSTED', async () => {
    const r = await request(relay.iwaUrl('frank@untrusted.test'));
    expect(r.status).toBe(502);
    expect(r.json).toMatchObject({ code: 'CAS_TLS_UNTRUSTED' });
  });

  it('refuses a mailbox with no profile, a profile without IWA, and a malformed mailbox', async () => {
    expect((await request(relay.iwaUrl('zed@nowhere.test'))).json).toMatchObject({
      code: 'PROFILE_NOT_FOUND',
    });
    expect((await request(relay.iwaUrl('gina@corp.test'))).json).toMatchObject({ code: 'METHOD_DISABLED' });
    expect((await request(relay.iwaUrl('not-an-address'))).json).toMatchObject({ code: 'MAILBOX_INVALID' });
    expect((await request(`${relay.origin}/api/auth/iwa`)).json).toMatchObject({ code: 'MAILBOX_INVALID' });
  });

  it('an NTLM AUTHENTICATE on a new connection is HANDSHAKE_INVALID and never reaches the CAS', async () => {
    const r = await request(relay.iwaUrl('alice@corp.test'), {
      authorization: `Negotiate ${capturedAuthenticate()}`,
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 'HANDSHAKE_INVALID', reason: 'continuation-on-new-connection' });
  });

  it('garbage and oversize tokens are refused and the server stays up', async () => {
    const cases: [string, number, string][] = [
      ['Negotiate !!!not-base64!!!', 400, 'HANDSHAKE_INVALID'],
      ['Negotiate AAAAAAAAAAAA', 400, 'HANDSHAKE_INVALID'],
      ['Basic YWxpY2U6cGFzcw==', 400, 'HANDSHAKE_INVALID'],
      ['Negotiate', 400, 'HANDSHAKE_INVALID'],
      [`Negotiate ${'A'.repeat(40 * 1024)}`, 413, 'REQUEST_TOO_LARGE'],
    ];
    for (const [authorization, status, code] of cases) {
      const r = await request(relay.iwaUrl('alice@corp.test'), { authorization });
      expect({ status: r.status, code: r.json.code }, authorization.slice(0, 20)).toEqual({ status, code });
    }
    // Over the server's header block limit: Node refuses before any route, in our format.
    const huge = await request(relay.iwaUrl('alice@corp.test'), {
      authorization: `Negotiate ${'A'.repeat(70 * 1024)}`,
    });
    expect(huge.status).toBe(431);
    expect(huge.json).toMatchObject({ code: 'REQUEST_TOO_LARGE' });
    expect((await request(`${relay.origin}/healthz`)).status).toBe(200);
  });

  it('a token sent on a second leg over another connection starts no handshake there', async () => {
    const agent = new https.Agent({
      keepAlive: true,
      maxSockets: 1,
      ca: lab.tls.caCertPem,
      lookup: labLookup,
    });
    try {
      const first = await request(relay.iwaUrl('alice@corp.test'), {}, agent);
      expect(first.status).toBe(401);
      expect(first.headers['www-authenticate']).toBe('Negotiate');
      expect(relay.server.app.relay.inFlight).toBe(1);
      // Changing the claimed mailbox mid-handshake is refused.
      const other = await request(
        relay.iwaUrl('bob@corp.test'),
        { authorization: `Negotiate ${capturedAuthenticate()}` },
        agent,
      );
      expect(other.json).toMatchObject({ code: 'HANDSHAKE_INVALID' });
    } finally {
      agent.destroy();
    }
  });

  it('leaves no handshake and no upstream socket behind', async () => {
    await expect.poll(() => relay.server.app.relay.inFlight, { timeout: 5_000 }).toBe(0);
    await expect.poll(() => relay.server.app.cas.liveSockets, { timeout: 5_000 }).toBe(0);
  });

  it('metrics count handshakes and outcomes', async () => {
    const r = await new Promise<string>((resolve, reject) => {
      https
        .get(`${relay.origin}/metrics`, { ca: lab.tls.caCertPem, lookup: labLookup, agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => {
            resolve(body);
          });
        })
        .on('error', reject);
    });
    expect(r).toMatch(/outlook_iwa_signin_outcomes_total\{method="iwa",code="OK"\} [1-9]/);
    expect(r).toMatch(/outlook_iwa_signin_outcomes_total\{method="iwa",code="IDENTITY_MISMATCH"\} 1/);
    expect(r).toMatch(/outlook_iwa_handshakes_in_flight 0/);
    expect(r).toMatch(/outlook_iwa_relay_leg_seconds_count [1-9]/);
  });
});
