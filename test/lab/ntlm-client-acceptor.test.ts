/**
 * Our NTLMv2 client (src/protocol/ntlm-client.ts) against the lab CAS: Apache httpd with
 * mod_auth_gssapi 1.6.4 and gss-ntlmssp 1.2.0, over HTTPS, on ONE keep-alive connection — the
 * way the domain-password sign-in talks to Exchange.
 *
 * It also records which header forms this acceptor takes: `Negotiate` with raw NTLMSSP,
 * `Negotiate` with SPNEGO-wrapped NTLMSSP, and `NTLM` with raw NTLMSSP all work; `NTLM` with
 * SPNEGO does not (and is not a thing any client sends).
 */
import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import type { Socket } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { nodeNtlmCrypto } from '../../src/backend/ntlm-crypto.ts';
import {
  buildAuthenticate,
  buildNegotiate,
  extractNtlmToken,
  parseSpnegoResponse,
  spnegoMechListMic,
  wrapSpnegoInit,
  wrapSpnegoResponse,
} from '../../src/protocol/ntlm-client.ts';
import { clearStandinRequests, standinRequests } from './clients.ts';
import { getFolderRequest } from './ews-xml.ts';

const lab = inject('lab');

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
  socket: Socket;
}

/** One request to the CAS EWS URL on `agent`: 127.0.0.1, SNI and Host cas.corp.test, lab CA. */
function send(agent: Agent, opts: { authorization?: string; body?: string } = {}): Promise<Answer> {
  const url = new URL(lab.cas.ewsUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: lab.cas.port,
        servername: url.hostname,
        path: url.pathname,
        method: opts.body === undefined ? 'GET' : 'POST',
        agent,
        ca: lab.tls.caCertPem,
        headers: {
          Host: url.host,
          ...(opts.body === undefined ? {} : { 'Content-Type': 'text/xml; charset=utf-8' }),
          ...(opts.authorization === undefined ? {} : { Authorization: opts.authorization }),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket: req.socket as Socket });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.end(opts.body);
  });
}

/** The token of the `WWW-Authenticate: <scheme> <token>` challenge, if there is one. */
function challengeToken(headers: IncomingMessage['headers'], scheme: string): Uint8Array | undefined {
  const values: string | string[] | undefined = headers['www-authenticate'];
  const list: string[] = values === undefined ? [] : Array.isArray(values) ? values : [values];
  const found = list.find((h) => h.startsWith(`${scheme} `));
  return found === undefined
    ? undefined
    : new Uint8Array(Buffer.from(found.slice(scheme.length + 1), 'base64'));
}

interface Outcome {
  leg1: number;
  leg2: number;
  /** A request without Authorization after the handshake, on the same connection. */
  followUp: number;
  sameSocket: boolean;
  finalToken: Uint8Array | undefined;
}

async function signIn(opts: {
  scheme: 'Negotiate' | 'NTLM';
  spnego: boolean;
  user: string;
  password: string;
  domain?: string;
  body?: string;
}): Promise<Outcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const negotiate = buildNegotiate();
    const first = opts.spnego ? wrapSpnegoInit(negotiate) : negotiate;
    const a1 = await send(agent, {
      authorization: `${opts.scheme} ${Buffer.from(first).toString('base64')}`,
      body: opts.body,
    });
    const token = challengeToken(a1.headers, opts.scheme);
    if (token === undefined) {
      return { leg1: a1.status, leg2: 0, followUp: 0, sameSocket: false, finalToken: undefined };
    }
    const auth = buildAuthenticate({
      negotiate,
      challenge: extractNtlmToken(token),
      user: opts.user,
      password: opts.password,
      domain: opts.domain,
      workstation: 'OUTLOOK-IWA',
      crypto: nodeNtlmCrypto,
      targetName: 'HTTP/cas.corp.test',
    });
    const third = opts.spnego
      ? wrapSpnegoResponse(auth.message, spnegoMechListMic(nodeNtlmCrypto, auth))
      : auth.message;
    const a2 = await send(agent, {
      authorization: `${opts.scheme} ${Buffer.from(third).toString('base64')}`,
      body: opts.body,
    });
    const a3 = await send(agent, { body: opts.body });
    return {
      leg1: a1.status,
      leg2: a2.status,
      followUp: a3.status,
      sameSocket: a1.socket === a2.socket && a2.socket === a3.socket,
      finalToken: challengeToken(a2.headers, opts.scheme),
    };
  } finally {
    agent.destroy();
  }
}

describe('NTLM client against the lab CAS (Apache mod_auth_gssapi + gss-ntlmssp)', () => {
  const alice = lab.users.alice;

  it.each([
    { scheme: 'Negotiate', spnego: false },
    { scheme: 'Negotiate', spnego: true },
    { scheme: 'NTLM', spnego: false },
  ] as const)(
    '$scheme with spnego=$spnego: accepted on one connection, later requests need no header',
    async (form) => {
      await clearStandinRequests(lab);
      const o = await signIn({ ...form, user: 'CORP\\alice', password: alice.password });
      expect(o).toMatchObject({ leg1: 401, leg2: 200, followUp: 200, sameSocket: true });
      if (form.spnego) {
        // SPNEGO ends with accept-completed and the acceptor's own mechListMIC.
        const final = parseSpnegoResponse(o.finalToken ?? new Uint8Array(0));
        expect(final.negState).toBe(0);
      }
      const seen = await standinRequests(lab);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      for (const r of seen) expect(r).toMatchObject({ user: alice.ntlmName, mech: `${form.scheme}/NTLM` });
    },
  );

  it('NTLM with SPNEGO inside is not a form Apache takes (it offers no NTLM challenge)', async () => {
    const o = await signIn({ scheme: 'NTLM', spnego: true, user: 'CORP\\alice', password: alice.password });
    expect(o.leg1).toBe(401);
    expect(o.leg2).toBe(0);
  });

  it('a POSTed EWS GetFolder carries the handshake (the identity probe shape)', async () => {
    await clearStandinRequests(lab);
    const o = await signIn({
      scheme: 'Negotiate',
      spnego: false,
      user: 'CORP\\alice',
      password: alice.password,
      body: getFolderRequest(),
    });
    expect(o).toMatchObject({ leg1: 401, leg2: 200, followUp: 200, sameSocket: true });
    const seen = await standinRequests(lab);
    expect(seen.map((r) => r.user)).toEqual([alice.ntlmName, alice.ntlmName]);
  });

  it('carol, plain user name with the domain given separately', async () => {
    // Not the CHALLENGE's domain here: the lab's gss-ntlmssp announces MsvAvNbDomainName
    // "WORKSTATION" (its default without NETBIOS_DOMAIN_NAME), not CORP. A real CAS announces
    // its AD domain, which is what buildAuthenticate falls back to for a plain user name.
    await clearStandinRequests(lab);
    const o = await signIn({
      scheme: 'Negotiate',
      spnego: false,
      user: 'carol',
      domain: 'CORP',
      password: lab.users.carol.password,
    });
    expect(o).toMatchObject({ leg2: 200, followUp: 200 });
    expect((await standinRequests(lab)).every((r) => r.user === lab.users.carol.ntlmName)).toBe(true);
  });

  it('wrong password: the final leg is 401 and the connection stays unauthenticated', async () => {
    await clearStandinRequests(lab);
    const o = await signIn({
      scheme: 'Negotiate',
      spnego: false,
      user: 'CORP\\alice',
      password: 'not-the-password',
    });
    expect(o).toMatchObject({ leg1: 401, leg2: 401, followUp: 401 });
    expect(o.finalToken).toBeUndefined();
    expect(await standinRequests(lab)).toEqual([]);
  });
});
