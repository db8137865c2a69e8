/**
 * Raw legs to our relay for the fault, abuse and fuzz tests: one request on a connection the
 * test controls (a keep-alive agent with a single socket), so a test decides which TCP
 * connection carries each leg, from which loopback address.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { expect } from 'vitest';
import { labLookup } from '../lab/clients.ts';
import type { LabInfo } from '../lab/lab.ts';
import type { RelayServer } from './harness.ts';
import { type Answer, type CallOptions, labCall } from './lab-call.ts';
import { rememberHeaderToken, rememberSecret } from './log-scan.ts';

export type { Answer } from './lab-call.ts';

export type LegOptions = Pick<CallOptions, 'agent' | 'localAddress' | 'timeoutMs'>;

/**
 * One GET to our server; `agent` decides which TCP connection carries it. The tokens and
 * session secrets it carries are remembered for the no-secrets log scan.
 */
export async function leg(
  lab: LabInfo,
  url: string,
  headers: Record<string, string> = {},
  o: LegOptions = {},
): Promise<Answer> {
  rememberHeaderToken(headers.authorization);
  const answer = await labCall(lab, url, { headers, ...o });
  rememberHeaderToken(answer.headers['www-authenticate']);
  if (typeof answer.json.token === 'string') rememberSecret(answer.json.token);
  return answer;
}

const contexts = new WeakMap<LabInfo, tls.SecureContext>();
/** One TLS context trusting the lab CA, shared by every client connection (parsing is not free). */
function labContext(lab: LabInfo): tls.SecureContext {
  let ctx = contexts.get(lab);
  if (ctx === undefined) {
    ctx = tls.createSecureContext({ ca: lab.tls.caCertPem });
    contexts.set(lab, ctx);
  }
  return ctx;
}

/** The latest TLS session per origin: new connections resume it, as a browser would. */
const sessions = new Map<string, Buffer>();

/** A client connection: every leg sent through it travels on the same TCP socket. */
export class Conn {
  readonly agent: https.Agent;
  readonly #lab: LabInfo;
  readonly #localAddress: string | undefined;

  constructor(lab: LabInfo, localAddress?: string) {
    this.#lab = lab;
    this.#localAddress = localAddress;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 1,
      secureContext: labContext(lab),
      lookup: labLookup,
      ...(localAddress === undefined ? {} : { localAddress }),
    });
  }

  async leg(url: string, authorization?: string): Promise<Answer> {
    const origin = new URL(url).origin;
    const session = sessions.get(origin);
    // A new TCP connection all the same: resuming only skips the certificate work.
    if (session !== undefined) this.agent.options.session = session;
    const answer = await leg(this.#lab, url, authorization === undefined ? {} : { authorization }, {
      agent: this.agent,
      ...(this.#localAddress === undefined ? {} : { localAddress: this.#localAddress }),
    });
    for (const sockets of Object.values(this.agent.freeSockets)) {
      const latest = (sockets?.[0] as tls.TLSSocket | undefined)?.getSession();
      if (latest !== undefined) sessions.set(origin, latest);
    }
    return answer;
  }

  /** Closes the client's socket (the browser walks away). */
  close(): void {
    this.agent.destroy();
  }
}

/** The server's handshake table and upstream sockets are back to zero, and it still answers. */
export async function expectIdle(lab: LabInfo, relay: RelayServer, timeout = 10_000): Promise<void> {
  await expect.poll(() => relay.server.app.relay.inFlight, { timeout }).toBe(0);
  await expect.poll(() => relay.server.app.cas.liveSockets, { timeout }).toBe(0);
  expect((await leg(lab, `${relay.origin}/healthz`)).status).toBe(200);
}

interface Vectors {
  vectors: { description: string; legs: { from: string; token: string }[] }[];
}

function vectors(file: string): Vectors {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/protocol/${file}`, import.meta.url), 'utf8'),
  ) as Vectors;
}

/** Captured real tokens (base64) from the protocol fixtures: gss-ntlmssp NTLM and MIT Kerberos. */
export const captured = (() => {
  const ntlm = vectors('ntlm-gssntlmssp.json').vectors[0]?.legs ?? [];
  const krb = vectors('kerberos-mit.json').vectors[0]?.legs ?? [];
  const pick = (legs: { from: string; token: string }[], from: string, i: number): string => {
    const t = legs.filter((l) => l.from === from)[i]?.token;
    if (t === undefined) throw new Error(`no captured ${from} token #${i}`);
    return t;
  };
  return {
    /** SPNEGO NegTokenInit carrying an NTLM NEGOTIATE. */
    ntlmNegotiate: pick(ntlm, 'initiator', 0),
    /** SPNEGO NegTokenResp carrying an NTLM CHALLENGE (the acceptor's). */
    ntlmChallenge: pick(ntlm, 'acceptor', 0),
    /** SPNEGO NegTokenResp carrying an NTLM AUTHENTICATE. */
    ntlmAuthenticate: pick(ntlm, 'initiator', 1),
    /** SPNEGO NegTokenInit carrying a Kerberos AP-REQ (for HTTP/cas.corp.test, long expired). */
    krbApReq: pick(krb, 'initiator', 0),
    /** SPNEGO NegTokenResp carrying the Kerberos AP-REP. */
    krbApRep: pick(krb, 'acceptor', 0),
  };
})();
