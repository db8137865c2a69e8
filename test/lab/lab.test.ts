/**
 * Self-tests of the lab: real Kerberos and NTLM initiators against the real acceptors, the
 * EWS stand-in's answers through the CAS, and process hygiene.
 */
import { lookup as dnsLookup } from 'node:dns';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, inject, it } from 'vitest';
import { launchChromium } from './chromium.ts';
import {
  clearStandinRequests,
  curlNegotiate,
  kinit,
  labLookup,
  negotiateRequest,
  setStandinMode,
  standinRequests,
} from './clients.ts';
import { convertIdRequest, getFolderRequest } from './ews-xml.ts';
import { startLab } from './lab.ts';
import { pidAlive } from './proc.ts';

const lab = inject('lab');

// Namespace prefixes stripped: the tests read values; ews-xml.ts checks namespaces itself.
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true });
type Obj = Record<string, unknown>;
const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Obj)[k] : undefined), o);

function convertIdMailbox(body: string | null | undefined): unknown {
  return at(
    xml.parse(body ?? ''),
    'Envelope',
    'Body',
    'ConvertIdResponse',
    'ResponseMessages',
    'ConvertIdResponseMessage',
    'AlternateId',
    'Mailbox',
  );
}

function getFolderId(body: string | null | undefined): unknown {
  return at(
    xml.parse(body ?? ''),
    'Envelope',
    'Body',
    'GetFolderResponse',
    'ResponseMessages',
    'GetFolderResponseMessage',
    'Folders',
    'Folder',
    'FolderId',
    'Id',
  );
}

describe('Kerberos', () => {
  it('curl --negotiate with a kinit ticket gets through the CAS as alice@CORP.TEST', async () => {
    await clearStandinRequests(lab);
    const ccache = await kinit(lab, 'alice');
    const r = await curlNegotiate(lab, { ccache });
    expect(r.exitCode).toBe(0);
    expect(r.status).toBe(200);
    expect(r.headers).toContainEqual(['Persistent-Auth', 'true']);
    const seen = await standinRequests(lab);
    expect(seen.at(-1)).toMatchObject({
      user: 'alice@CORP.TEST',
      mech: 'Negotiate/krb5',
      op: 'get',
      status: 200,
    });
  });

  it('GetFolder then ConvertId on the same connection name alice@corp.test', async () => {
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'krb5',
      body: getFolderRequest(),
      thenBodies: [convertIdRequest('{{FolderId}}')],
    });
    expect(r.error).toBeNull();
    expect(r.mech).toBe('krb5');
    expect(r.initiator).toBe('alice@CORP.TEST');
    // Browser-like: anonymous request, 401 offering Negotiate and NTLM, then one token.
    expect(r.legs.map((l) => [l.status, l.wwwAuthenticate])).toEqual([
      [401, ['Negotiate', 'NTLM']],
      [200, ['Negotiate']],
    ]);
    expect(r.status).toBe(200);
    expect(getFolderId(r.body)).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // The follow-up went without Authorization and still passed: the connection is authenticated.
    expect(r.followUps).toHaveLength(1);
    expect(r.followUps[0]?.status).toBe(200);
    expect(r.followUps[0]?.wwwAuthenticate).toEqual([]);
    expect(convertIdMailbox(r.followUps[0]?.body)).toBe('alice@corp.test');
  });

  it('the CAS also accepts a ticket for the relay SPN (HTTP/relay.corp.test)', async () => {
    const r = await negotiateRequest(lab, {
      user: 'bob',
      mech: 'krb5',
      spnHost: lab.hosts.relay,
      body: getFolderRequest(),
    });
    expect(r.status).toBe(200);
    expect(r.mech).toBe('krb5');
  });
});

describe('NTLM inside Negotiate (gss-ntlmssp)', () => {
  it.each([
    ['alice', 'alice@corp.test'],
    ['carol', 'carol.smith@corp.test'],
  ] as const)('%s signs in and ConvertId names %s', async (user, smtp) => {
    await clearStandinRequests(lab);
    const r = await negotiateRequest(lab, {
      user,
      mech: 'ntlm',
      body: getFolderRequest(),
      thenBodies: [convertIdRequest('{{FolderId}}')],
    });
    expect(r.error).toBeNull();
    expect(r.mech).toBe('ntlmssp');
    // NEGOTIATE → CHALLENGE (401 with a token) → AUTHENTICATE → 200.
    expect(r.legs.map((l) => l.status)).toEqual([401, 401, 200]);
    expect(r.legs[1]?.receivedTokenLength).toBeGreaterThan(0);
    expect(convertIdMailbox(r.followUps[0]?.body)).toBe(smtp);
    const seen = await standinRequests(lab);
    expect(seen.map((s) => [s.user, s.mech, s.op])).toEqual([
      [`CORP\\${user}`, 'Negotiate/NTLM', 'GetFolder'],
      [`CORP\\${user}`, 'Negotiate/NTLM', 'ConvertId'],
    ]);
  });

  it('a wrong password is refused with 401 and nothing reaches EWS', async () => {
    await clearStandinRequests(lab);
    const r = await negotiateRequest(lab, { user: 'alice', mech: 'ntlm', password: 'not-the-password' });
    expect(r.status).toBe(401);
    expect(r.legs.every((l) => l.status === 401)).toBe(true);
    expect(await standinRequests(lab)).toEqual([]);
  });
});

describe('the CAS', () => {
  it('challenges anonymous EWS requests with Negotiate and NTLM', async () => {
    const r = await curlNegotiate(lab, { anonymous: true });
    expect(r.status).toBe(401);
    expect(r.wwwAuthenticate).toEqual(['Negotiate', 'NTLM']);
  });

  it('offers only Basic on the Basic-only path', async () => {
    const r = await curlNegotiate(lab, { url: lab.cas.basicEwsUrl, anonymous: true });
    expect(r.status).toBe(401);
    expect(r.wwwAuthenticate).toEqual(['Basic']);
    const ccache = await kinit(lab, 'alice');
    const withTicket = await curlNegotiate(lab, { url: lab.cas.basicEwsUrl, ccache });
    expect(withTicket.status).toBe(401);
  });

  it('serves a certificate the lab CA does not vouch for on the untrusted port', async () => {
    const strict = await curlNegotiate(lab, { url: lab.cas.untrustedEwsUrl, anonymous: true });
    expect(strict.exitCode).toBe(60); // CURLE_PEER_FAILED_VERIFICATION
    const lax = await curlNegotiate(lab, { url: lab.cas.untrustedEwsUrl, anonymous: true, ca: false });
    expect(lax.status).toBe(401);
  });

  it('serves the static metadata directory without authentication', async () => {
    const r = await curlNegotiate(lab, { url: `${lab.cas.staticUrl}README.txt`, anonymous: true });
    expect(r.status).toBe(200);
    expect(r.body).toContain('Outlook IWA lab');
  });

  it('sets the identity headers itself, whatever the client sends', async () => {
    await clearStandinRequests(lab);
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'ntlm',
      headers: { 'X-Lab-User': 'CORP\\bob', 'X-Lab-Mech': 'Negotiate/krb5' },
    });
    expect(r.status).toBe(200);
    expect((await standinRequests(lab)).at(-1)).toMatchObject({
      user: 'CORP\\alice',
      mech: 'Negotiate/NTLM',
    });
  });
});

describe('the EWS stand-in', () => {
  it('answers an unknown operation with a SOAP fault (HTTP 500)', async () => {
    const r = await negotiateRequest(lab, {
      user: 'bob',
      mech: 'krb5',
      body: getFolderRequest()
        .replace(/GetFolder>/g, 'FrobnicateFolder>')
        .replace('<m:GetFolder', '<m:FrobnicateFolder'),
    });
    expect(r.status).toBe(500);
    const fault = at(xml.parse(r.body ?? ''), 'Envelope', 'Body', 'Fault');
    expect(at(fault, 'faultcode')).toBe('a:ErrorSchemaValidation');
    expect(JSON.stringify(at(fault, 'faultstring'))).toContain('FrobnicateFolder');
  });

  it('answers ConvertId of an unknown id with ErrorInvalidIdMalformed', async () => {
    const r = await negotiateRequest(lab, {
      user: 'bob',
      mech: 'krb5',
      body: convertIdRequest('AAMkAGZhN2IxYTA0LWNiNzItN='),
    });
    expect(r.status).toBe(200);
    const msg = at(
      xml.parse(r.body ?? ''),
      'Envelope',
      'Body',
      'ConvertIdResponse',
      'ResponseMessages',
      'ConvertIdResponseMessage',
    );
    expect(msg).toMatchObject({ ResponseClass: 'Error', ResponseCode: 'ErrorInvalidIdMalformed' });
  });

  it('can be told to misbehave, for the next request only', async () => {
    await setStandinMode(lab, '500', { times: 1 });
    const bad = await negotiateRequest(lab, { user: 'bob', mech: 'krb5', body: getFolderRequest() });
    expect(bad.status).toBe(500);
    expect(bad.body).toContain('Runtime Error');
    const good = await negotiateRequest(lab, { user: 'bob', mech: 'krb5', body: getFolderRequest() });
    expect(good.status).toBe(200);
  });
});

describe('the EWS stand-in, misbehaving on request', () => {
  it.each([
    ['garbage', 200, 'not XML'],
    ['redirect', 302, 'Object moved'],
  ] as const)('%s → HTTP %i through the CAS', async (mode, status, text) => {
    await setStandinMode(lab, mode, { times: 1 });
    const r = await negotiateRequest(lab, { user: 'alice', mech: 'krb5', body: getFolderRequest() });
    expect(r.status).toBe(status);
    expect(r.body).toContain(text);
    expect(
      (await negotiateRequest(lab, { user: 'alice', mech: 'krb5', body: getFolderRequest() })).status,
    ).toBe(200);
  });

  it('reset: Apache logs a 502 and drops the client connection without an answer', async () => {
    await setStandinMode(lab, 'reset', { times: 1 });
    const r = await negotiateRequest(lab, { user: 'alice', mech: 'krb5', body: getFolderRequest() });
    expect(r.status).toBeNull();
    expect(r.error).toMatch(/RemoteDisconnected/);
    expect(r.legs.map((l) => l.status)).toEqual([401]);
    expect(
      (await negotiateRequest(lab, { user: 'alice', mech: 'krb5', body: getFolderRequest() })).status,
    ).toBe(200);
  });

  it('stall keeps the request hanging until the client gives up', async () => {
    await setStandinMode(lab, 'stall', { times: 1 });
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'krb5',
      body: getFolderRequest(),
      timeoutMs: 1500,
    });
    expect(r.error).toMatch(/timed out|TimeoutError/i);
    expect(
      (await negotiateRequest(lab, { user: 'alice', mech: 'krb5', body: getFolderRequest() })).status,
    ).toBe(200);
  });
});

describe('Chromium', () => {
  it('completes Negotiate (Kerberos) against the CAS by itself', async () => {
    await clearStandinRequests(lab);
    const browser = await launchChromium(lab, { user: 'alice', mech: 'krb5', timeoutMs: 20_000 });
    try {
      const resp = await browser.page.goto(lab.cas.ewsUrl, { timeout: 15_000 });
      expect(resp?.status()).toBe(200);
      expect(await browser.page.content()).toContain('Exchange Web Services');
    } finally {
      await browser.close();
    }
    expect((await standinRequests(lab)).at(-1)).toMatchObject({
      user: 'alice@CORP.TEST',
      mech: 'Negotiate/krb5',
    });
  });
});

describe('helpers', () => {
  it('labLookup sends *.corp.test to loopback and refuses every other name', async () => {
    const ok = await new Promise((resolve, reject) => {
      labLookup('relay.corp.test', {}, (err, address) => {
        if (err) reject(err);
        else resolve(address);
      });
    });
    expect(ok).toBe('127.0.0.1');
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      labLookup('example.com', { all: true }, (e) => {
        resolve(e);
      });
    });
    expect(err?.code).toBe('ENOTFOUND');
    // Same calling convention as dns.lookup.
    expect(typeof dnsLookup).toBe(typeof labLookup);
  });
});

describe('lifecycle', () => {
  it('a second lab starts beside the first, and after stop() none of its processes remain', async () => {
    const t0 = performance.now();
    const second = await startLab();
    const startMs = performance.now() - t0;
    try {
      expect(second.info.cas.port).not.toBe(lab.cas.port);
      expect(second.info.kdc.port).not.toBe(lab.kdc.port);
      // Make Apache's workers do something, so that there are workers to wait for.
      const r = await negotiateRequest(second.info, { user: 'alice', mech: 'ntlm' });
      expect(r.status).toBe(200);
    } finally {
      const pids = second.allPids();
      expect(pids.length).toBeGreaterThanOrEqual(4); // KDC, stand-in, Apache master + workers
      const t1 = performance.now();
      await second.stop();
      const stopMs = performance.now() - t1;
      expect(pids.filter(pidAlive)).toEqual([]);
      expect(startMs).toBeLessThan(10_000);
      expect(stopMs).toBeLessThan(5_000);
    }
  });
});
