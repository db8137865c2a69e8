/**
 * Abuse tests (issue 8 §3): thousands of abandoned handshakes against the cap, floods from one
 * address, headers at and over every size limit, every token kind out of order, replayed
 * Kerberos tokens, NTLMv1, and the no-secrets scan of every log line these servers wrote.
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { MAX_HEADER_BYTES } from '../../src/backend/app.ts';
import { DEFAULT_RELAY_LIMITS } from '../../src/backend/relay/relay.ts';
import { inspectNegotiateToken } from '../../src/protocol/negotiate.ts';
import {
  buildNegotiate,
  extractNtlmToken,
  wrapSpnegoInit,
  wrapSpnegoResponse,
} from '../../src/protocol/ntlm-client.ts';
import { kinit, negotiateRequest } from '../lab/clients.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { createLabProfile, startRelayServer, type RelayServer } from './harness.ts';
import { Conn, captured, expectIdle, leg, type Answer } from './leg-client.ts';
import { rememberSecret, rememberedSecretCount, scanLogs } from './log-scan.ts';

const lab = inject('lab');
const ALICE = 'alice@corp.test';
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Every server this file starts, for the log scan at the end. */
const servers: RelayServer[] = [];
async function server(options: Parameters<typeof startRelayServer>[1] = {}): Promise<RelayServer> {
  const s = await startRelayServer(lab, options);
  servers.push(s);
  return s;
}

/** A CAS that answers every anonymous probe itself ("401 Negotiate"), sparing the shared lab. */
const offersNegotiate = () =>
  ({ kind: 'respond', status: 401, headers: { 'www-authenticate': 'Negotiate' }, body: '' }) as const;

/**
 * An NTLM AUTHENTICATE with NTLMv1 responses (24-byte LM and NT responses), MS-NLMP 2.2.1.3,
 * without a Version field: what an old client with LmCompatibilityLevel < 3 sends.
 */
function ntlmV1Authenticate(lengths: { lm: number; nt: number } = { lm: 24, nt: 24 }): Uint8Array {
  const enc = (s: string) => Buffer.from(s, 'utf16le');
  const fields = [
    randomBytes(lengths.lm),
    randomBytes(lengths.nt),
    enc('CORP'),
    enc('alice'),
    enc('WKS01'),
    Buffer.alloc(0),
  ];
  const buf = Buffer.alloc(64 + fields.reduce((n, f) => n + f.length, 0));
  buf.write('NTLMSSP\0', 0, 'latin1');
  buf.writeUInt32LE(3, 8);
  let offset = 64;
  fields.forEach((f, i) => {
    const at = 12 + i * 8; // LM, NT, Domain, User, Workstation, EncryptedRandomSessionKey
    buf.writeUInt16LE(f.length, at);
    buf.writeUInt16LE(f.length, at + 2);
    buf.writeUInt32LE(offset, at + 4);
    f.copy(buf, offset);
    offset += f.length;
  });
  buf.writeUInt32LE(0x00000001 | 0x00000200 | 0x00008000, 60); // UNICODE | NTLM | ALWAYS_SIGN
  return buf;
}

describe('2,000 concurrent abandoned handshakes', () => {
  const CAP = 500;
  let relay: RelayServer;
  let shortLived: RelayServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    [relay, shortLived, proxy] = await Promise.all([
      // A TTL far past the flood's length, however loaded the machine: none may expire mid-flood.
      server({ limits: { maxHandshakes: CAP, handshakeTtlMs: 600_000 } }),
      server({ limits: { maxHandshakes: CAP, handshakeTtlMs: 1_000 } }),
      startFaultProxy(lab),
    ]);
    proxy.plan = offersNegotiate;
    for (const s of [relay, shortLived]) {
      await createLabProfile(s.store, lab);
      await s.store.profiles.create({
        name: 'flood',
        casUrl: proxy.ewsUrl,
        casCa: lab.tls.caCertPem,
        methods: ['iwa'],
        domains: ['flood.test'],
      });
    }
  });
  afterAll(async () => {
    await proxy.close();
  });

  /** Anonymous first legs, each on its own connection, all left open. */
  async function flood(
    target: RelayServer,
    count: number,
    conns: Conn[],
  ): Promise<{ answers: Answer[]; peak: number }> {
    let peak = 0;
    const sample = setInterval(() => {
      peak = Math.max(peak, target.server.app.relay.inFlight);
    }, 5);
    const answers: Answer[] = [];
    try {
      // Batches keep the TCP accept queue from overflowing; every connection stays open.
      for (let batch = 0; batch < count; batch += 200) {
        const legs = Array.from({ length: Math.min(200, count - batch) }, (_, i) => {
          const conn = new Conn(lab);
          conns.push(conn);
          return conn.leg(target.iwaUrl(`user${batch + i}@flood.test`));
        });
        for (const a of await Promise.all(legs)) {
          answers.push(a);
          peak = Math.max(peak, target.server.app.relay.inFlight);
        }
      }
    } finally {
      clearInterval(sample);
    }
    return { answers, peak };
  }

  it('stay within the cap and are refused politely past it', async () => {
    const conns: Conn[] = [];
    try {
      const { answers, peak } = await flood(relay, 2_000, conns);
      const byStatus = (status: number) => answers.filter((a) => a.status === status);
      expect(peak).toBe(CAP);
      expect(relay.server.app.relay.inFlight).toBe(CAP);
      expect(byStatus(401)).toHaveLength(CAP);
      expect(byStatus(503)).toHaveLength(2_000 - CAP);
      for (const refused of byStatus(503)) {
        expect(refused.json).toMatchObject({ code: 'HANDSHAKE_CAPACITY', limit: CAP });
        expect(refused.json.message).toEqual(expect.any(String));
        expect(refused.headers['www-authenticate']).toBeUndefined();
      }
    } finally {
      for (const c of conns) c.close();
    }
    // The browsers leave: every handshake ends, and the room is free again.
    await expectIdle(lab, relay, 30_000);
    const ccache = await kinit(lab, 'alice');
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'krb5',
      ccache,
      url: relay.iwaUrl(ALICE),
      spnHost: lab.hosts.relay,
    });
    expect(r.status).toBe(200);
    rememberSecret((JSON.parse(r.body ?? '{}') as { token?: string }).token);
    const audit = await relay.store.audit.query({ limit: 5_000 });
    expect(audit.filter((a) => a.reason === 'HANDSHAKE_ABANDONED')).toHaveLength(CAP);
    expect(audit.filter((a) => a.reason === 'HANDSHAKE_CAPACITY')).toHaveLength(2_000 - CAP);
  }, 240_000);

  it('expire with their TTL while the browsers keep their connections open', async () => {
    const conns: Conn[] = [];
    try {
      const { answers } = await flood(shortLived, 300, conns);
      expect(answers.filter((a) => a.status === 401).length).toBeGreaterThan(0);
      await expect.poll(() => shortLived.server.app.relay.inFlight, { timeout: 15_000 }).toBe(0);
      await expect.poll(() => shortLived.server.app.cas.liveSockets, { timeout: 10_000 }).toBe(0);
      // Every connection is still open; a late token on one of them starts nothing.
      const late = await conns[0]?.leg(
        shortLived.iwaUrl('user0@flood.test'),
        `Negotiate ${captured.ntlmAuthenticate}`,
      );
      expect(late?.json).toMatchObject({
        code: 'HANDSHAKE_INVALID',
        reason: 'continuation-on-new-connection',
      });
    } finally {
      for (const c of conns) c.close();
    }
    await expectIdle(lab, shortLived);
  }, 120_000);
});

describe('floods from one address', () => {
  let relay: RelayServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    [relay, proxy] = await Promise.all([
      server({
        limits: { perAddress: { burst: 5, perMinute: 1 }, perMailbox: { burst: 8, perMinute: 1 } },
      }),
      startFaultProxy(lab),
    ]);
    proxy.plan = offersNegotiate;
    await relay.store.profiles.create({
      name: 'rate',
      casUrl: proxy.ewsUrl,
      casCa: lab.tls.caCertPem,
      methods: ['iwa'],
      domains: ['rate.test'],
    });
  });
  afterAll(async () => {
    await proxy.close();
  });

  const from = (address: string, mailbox: string) =>
    leg(lab, relay.iwaUrl(mailbox), {}, { localAddress: address });

  it('hit RATE_LIMITED per address without blocking other addresses', async () => {
    const flood = await Promise.all(
      Array.from({ length: 20 }, (_, i) => from('127.0.0.1', `m${i}@rate.test`)),
    );
    expect(flood.filter((a) => a.status === 401)).toHaveLength(5);
    const limited = flood.filter((a) => a.status === 429);
    expect(limited).toHaveLength(15);
    for (const a of limited) {
      expect(a.json).toMatchObject({ code: 'RATE_LIMITED', scope: 'address' });
      expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Another address is served at once.
    expect((await from('127.0.0.2', 'other@rate.test')).status).toBe(401);
    expect((await from('127.0.0.1', 'again@rate.test')).status).toBe(429);
  });

  it('cannot lock a mailbox out by asking: only failed sign-ins count against the claim', async () => {
    // Ten requests claiming the victim from ten addresses: each is answered with a challenge,
    // none is a failed sign-in, so the victim's budget of 8 is untouched.
    const answers: Answer[] = [];
    for (let i = 0; i < 10; i++) answers.push(await from(`127.0.0.${String(10 + i)}`, 'victim@rate.test'));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(401));
    expect((await from('127.0.0.30', 'victim@rate.test')).status).toBe(401);
    await expectIdle(lab, relay);
  });

  it('hit RATE_LIMITED per mailbox after 8 failed sign-ins for the claim, whatever the addresses', async () => {
    // The CAS here answers every token with a bare "Negotiate": a refused sign-in.
    const negotiate = `Negotiate ${b64(wrapSpnegoInit(buildNegotiate()))}`;
    const failed: Answer[] = [];
    for (let i = 0; i < 8; i++) {
      const conn = new Conn(lab, `127.0.0.${String(40 + i)}`);
      try {
        await conn.leg(relay.iwaUrl('target@rate.test'));
        failed.push(await conn.leg(relay.iwaUrl('target@rate.test'), negotiate));
      } finally {
        conn.close();
      }
    }
    expect(failed.map((a) => a.json.code)).toEqual(Array(8).fill('AUTH_REJECTED'));
    expect((await from('127.0.0.50', 'target@rate.test')).json).toMatchObject({
      code: 'RATE_LIMITED',
      scope: 'mailbox',
    });
    expect((await from('127.0.0.50', 'bystander2@rate.test')).status).toBe(401);
    await expectIdle(lab, relay);
  });
});

describe('open handshakes per address', () => {
  it('are capped, so probe legs from one address cannot fill the table; others still get in', async () => {
    const [relay, proxy] = await Promise.all([
      server({ limits: { maxHandshakesPerAddress: 3 } }),
      startFaultProxy(lab),
    ]);
    proxy.plan = offersNegotiate;
    await relay.store.profiles.create({
      name: 'cap',
      casUrl: proxy.ewsUrl,
      casCa: lab.tls.caCertPem,
      methods: ['iwa'],
      domains: ['cap.test'],
    });
    const conns = Array.from({ length: 4 }, () => new Conn(lab, '127.0.0.60'));
    const other = new Conn(lab, '127.0.0.61');
    try {
      const answers: Answer[] = [];
      for (const c of conns) answers.push(await c.leg(relay.iwaUrl('x@cap.test')));
      expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 503]);
      expect(answers[3]?.json).toMatchObject({ code: 'HANDSHAKE_CAPACITY', scope: 'address', limit: 3 });
      expect((await other.leg(relay.iwaUrl('x@cap.test'))).status).toBe(401);
      // A handshake that ends gives its place back.
      conns[0]?.close();
      await expect.poll(() => relay.server.app.relay.inFlight).toBe(3);
      expect((await new Conn(lab, '127.0.0.60').leg(relay.iwaUrl('x@cap.test'))).status).toBe(401);
    } finally {
      for (const c of [...conns, other]) c.close();
      await proxy.close();
    }
  });
});

describe('hostile legs against the lab', () => {
  let relay: RelayServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    [relay, proxy] = await Promise.all([server(), startFaultProxy(lab)]);
    await createLabProfile(relay.store, lab);
    await relay.store.profiles.create({
      name: 'via-fault-proxy',
      casUrl: proxy.ewsUrl,
      casCa: lab.tls.caCertPem,
      methods: ['iwa'],
      mailboxes: [ALICE],
    });
  });
  beforeEach(() => {
    proxy.reset();
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('an Authorization header at maxAuthorizationBytes is read; one byte more is REQUEST_TOO_LARGE', async () => {
    const max = DEFAULT_RELAY_LIMITS.maxAuthorizationBytes;
    // `Negotiate ` + base64 of zero bytes, padded with spaces to exactly `max` bytes.
    const at = (size: number) => {
      const token = Buffer.alloc(Math.floor((size - 10) / 4) * 3).toString('base64');
      return `Negotiate ${' '.repeat(size - 10 - token.length)}${token}`;
    };
    expect(Buffer.byteLength(at(max))).toBe(max);
    const atLimit = await leg(lab, relay.iwaUrl(ALICE), { authorization: at(max) });
    expect(atLimit.status).toBe(400);
    expect(atLimit.json).toMatchObject({ code: 'HANDSHAKE_INVALID' });
    const over = await leg(lab, relay.iwaUrl(ALICE), { authorization: at(max + 1) });
    expect(over.status).toBe(413);
    expect(over.json).toMatchObject({ code: 'REQUEST_TOO_LARGE', limit: 'authorization', maxBytes: max });
    expect(proxy.seen).toEqual([]);
  });

  /** Sends a raw request whose header block (request line to the blank line) is `size` bytes. */
  function rawHeaderBlock(size: number): Promise<string> {
    const head = `GET /healthz HTTP/1.1\r\nHost: ${lab.hosts.relay}:${String(relay.port)}\r\nX-Pad: `;
    const tail = '\r\n\r\n';
    const block = head + 'a'.repeat(size - head.length - tail.length) + tail;
    expect(Buffer.byteLength(block)).toBe(size);
    return new Promise((resolve, reject) => {
      const socket = tls.connect(
        { host: '127.0.0.1', port: relay.port, servername: lab.hosts.relay, ca: lab.tls.caCertPem },
        () => {
          socket.end(block);
        },
      );
      let answer = '';
      socket.on('data', (c: Buffer) => (answer += c.toString('utf8')));
      socket.on('end', () => {
        resolve(answer);
      });
      socket.on('close', () => {
        resolve(answer);
      });
      socket.on('error', reject);
    });
  }

  it('a header block of MAX_HEADER_BYTES is served; just over it is 431 REQUEST_TOO_LARGE in our format', async () => {
    const at = await rawHeaderBlock(MAX_HEADER_BYTES);
    expect(at).toMatch(/^HTTP\/1\.1 200 /);
    // Node's parser allows a few bytes of slack past maxHeaderSize (24 on Node 20): 64 over is
    // the smallest round "just over" that every Node we run on refuses.
    const over = await rawHeaderBlock(MAX_HEADER_BYTES + 64);
    expect(over).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(over.slice(over.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'REQUEST_TOO_LARGE' });
    expect((await leg(lab, `${relay.origin}/healthz`)).status).toBe(200);
  });

  it('every token kind out of order is HANDSHAKE_INVALID and never reaches the CAS', async () => {
    const challengeRaw = (
      JSON.parse(
        await readFile(new URL('../fixtures/protocol/ms-nlmp-4.2.4.json', import.meta.url), 'utf8'),
      ) as { vectors: { token: string }[] }
    ).vectors[0]?.token;
    const firstLegs: [string, string | undefined][] = [
      ['an NTLM CHALLENGE (SPNEGO) from the client', captured.ntlmChallenge],
      ['a raw NTLM CHALLENGE from the client', challengeRaw],
      ['an NTLM AUTHENTICATE first', captured.ntlmAuthenticate],
      ['a Kerberos AP-REP from the client', captured.krbApRep],
      ['a SPNEGO NegTokenResp first', 'oQcwBaADCgEA'],
    ];
    for (const [what, token] of firstLegs) {
      expect(token, what).toBeDefined();
      // Straight away on a new connection, and after the anonymous leg on the same one.
      const fresh = await leg(lab, relay.iwaUrl(ALICE), { authorization: `Negotiate ${String(token)}` });
      expect({ what, status: fresh.status, code: fresh.json.code }).toEqual({
        what,
        status: 400,
        code: 'HANDSHAKE_INVALID',
      });
      const conn = new Conn(lab);
      try {
        expect((await conn.leg(relay.iwaUrl(ALICE))).status).toBe(401);
        const after = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${String(token)}`);
        expect({ what, status: after.status, code: after.json.code }).toEqual({
          what,
          status: 400,
          code: 'HANDSHAKE_INVALID',
        });
      } finally {
        conn.close();
      }
    }
    expect(proxy.seen.filter((s) => s.hasAuthorization)).toEqual([]);
    await expectIdle(lab, relay);
  });

  it('NEGOTIATE twice on one connection: the CAS refuses the restart, cleanly', async () => {
    const conn = new Conn(lab);
    try {
      await conn.leg(relay.iwaUrl(ALICE));
      const first = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmNegotiate}`);
      expect(first.status).toBe(401);
      expect(first.json.code).toBe('NEGOTIATE');
      // Forwarded (a NEGOTIATE may start over), and mod_auth_gssapi refuses a restart mid-context.
      const second = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmNegotiate}`);
      expect(second.status).toBe(401);
      expect(second.json).toMatchObject({ code: 'AUTH_REJECTED', mechanism: 'ntlm' });
      expect(second.headers['www-authenticate']).toBeUndefined();
    } finally {
      conn.close();
    }
    await expectIdle(lab, relay);
  });

  it('a CAS that challenges for ever is cut off at maxLegs', async () => {
    proxy.plan = (r) =>
      r.hasAuthorization
        ? {
            kind: 'respond',
            status: 401,
            headers: { 'www-authenticate': `Negotiate ${captured.ntlmChallenge}` },
            body: '',
          }
        : { kind: 'pass' };
    const conn = new Conn(lab);
    const answers: unknown[] = [];
    try {
      await conn.leg(relay.iwaUrl(ALICE));
      for (let i = 0; i <= DEFAULT_RELAY_LIMITS.maxLegs; i++) {
        const a = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmNegotiate}`);
        answers.push(a.json.code === 'NEGOTIATE' ? 'challenge' : a.json);
      }
    } finally {
      conn.close();
    }
    expect(answers.slice(0, -1)).toEqual(Array(DEFAULT_RELAY_LIMITS.maxLegs).fill('challenge'));
    expect(answers.at(-1)).toMatchObject({ code: 'HANDSHAKE_INVALID', reason: 'too-many-legs' });
    expect(proxy.seen.filter((s) => s.hasAuthorization)).toHaveLength(DEFAULT_RELAY_LIMITS.maxLegs);
    proxy.reset();
    await expectIdle(lab, relay);
  });

  it('a second handshake started mid-way (a Kerberos AP-REQ after the NTLM CHALLENGE) gets no session', async () => {
    const before = await relay.store.sessions.list({ mailbox: ALICE });
    const conn = new Conn(lab);
    try {
      await conn.leg(relay.iwaUrl(ALICE));
      expect((await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmNegotiate}`)).status).toBe(401);
      // A captured ticket, long expired and for HTTP/cas.corp.test.
      const krb = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.krbApReq}`);
      expect(krb.status).toBe(401);
      // Refused with no KRB-ERROR while this relay serves another certificate than the CAS:
      // Extended Protection is named first, the SPN and the clock after it.
      expect(krb.json).toMatchObject({
        code: 'EXTENDED_PROTECTION_SUSPECTED',
        likelyCauses: ['extended-protection', 'relay-spn', 'clock-skew'],
      });
      expect(krb.json.token).toBeUndefined();
      // The handshake is over: the NTLM AUTHENTICATE that would have followed is refused.
      const late = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmAuthenticate}`);
      expect(late.json).toMatchObject({
        code: 'HANDSHAKE_INVALID',
        reason: 'continuation-on-new-connection',
      });
    } finally {
      conn.close();
    }
    expect(await relay.store.sessions.list({ mailbox: ALICE })).toEqual(before);
    await expectIdle(lab, relay);
  });

  it('a replayed Kerberos AP-REQ is refused by the CAS replay cache: AUTH_REJECTED, never a session', async () => {
    const dir = await mkdtemp(join(lab.dir, 'dump-'));
    try {
      const first = await negotiateRequest(lab, {
        user: 'alice',
        mech: 'krb5',
        url: relay.iwaUrl(ALICE),
        spnHost: lab.hosts.relay,
        dumpTokensDir: dir,
      });
      expect(first.status).toBe(200);
      rememberSecret((JSON.parse(first.body ?? '{}') as { token?: string }).token);
      const files = (await readdir(dir)).sort();
      for (const f of files) rememberSecret(await readFile(join(dir, f), 'utf8'));
      const sent = files.filter((f) => f.endsWith('-sent.b64'));
      expect(sent).toHaveLength(1);
      const apReq = (await readFile(join(dir, sent[0] ?? ''), 'utf8')).trim();
      expect(inspectNegotiateToken(Buffer.from(apReq, 'base64')).kind).toBe('kerberos-ap-req');
      const sessions = (await relay.store.sessions.list({ mailbox: ALICE })).length;

      proxy.reset();
      // Replayed as a browser would send it (after the anonymous leg) and preemptively.
      const conn = new Conn(lab);
      try {
        await conn.leg(relay.iwaUrl(ALICE));
        const replay = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${apReq}`);
        expect(replay.status).toBe(401);
        expect(replay.json).toMatchObject({ code: 'AUTH_REJECTED', mechanism: 'kerberos' });
        expect(replay.json.token).toBeUndefined();
        expect(replay.headers['www-authenticate']).toBeUndefined();
      } finally {
        conn.close();
      }
      const again = await leg(lab, relay.iwaUrl(ALICE), { authorization: `Negotiate ${apReq}` });
      expect(again.json).toMatchObject({ code: 'AUTH_REJECTED' });
      // The relay forwarded them (it cannot tell a replay); the CAS refused both.
      expect(proxy.seen.filter((s) => s.tokenKind === 'kerberos-ap-req')).toHaveLength(2);
      expect(await relay.store.sessions.list({ mailbox: ALICE })).toHaveLength(sessions);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await expectIdle(lab, relay);
  });

  it('a replayed NTLM AUTHENTICATE under a fresh CHALLENGE is AUTH_REJECTED', async () => {
    const conn = new Conn(lab);
    try {
      await conn.leg(relay.iwaUrl(ALICE));
      expect((await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmNegotiate}`)).status).toBe(401);
      const replay = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmAuthenticate}`);
      expect(replay.status).toBe(401);
      expect(replay.json).toMatchObject({ code: 'AUTH_REJECTED', mechanism: 'ntlm' });
    } finally {
      conn.close();
    }
    await expectIdle(lab, relay);
  });

  it('NTLMv1, LM-only and unknown responses are refused before they reach the CAS', async () => {
    const v1 = ntlmV1Authenticate();
    const lmOnly = ntlmV1Authenticate({ lm: 24, nt: 0 });
    const odd = ntlmV1Authenticate({ lm: 0, nt: 10 });
    expect(inspectNegotiateToken(v1).ntlm).toMatchObject({ messageType: 'authenticate', response: 'ntlmv1' });
    expect(inspectNegotiateToken(lmOnly).ntlm).toMatchObject({ response: 'lm-only' });
    expect(inspectNegotiateToken(odd).ntlm).toMatchObject({ response: 'unknown' });
    for (const [token, reason] of [
      [v1, 'ntlmv1-refused'],
      [wrapSpnegoResponse(v1), 'ntlmv1-refused'],
      [lmOnly, 'lm-only-refused'],
      [wrapSpnegoResponse(odd), 'unknown-refused'],
    ] as const) {
      proxy.reset();
      const conn = new Conn(lab);
      try {
        await conn.leg(relay.iwaUrl(ALICE));
        expect((await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmNegotiate}`)).status).toBe(401);
        const refused = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${b64(token)}`);
        expect(refused.status).toBe(401);
        expect(refused.json).toMatchObject({ code: 'AUTH_REJECTED', reason });
      } finally {
        conn.close();
      }
      expect(proxy.seen.map((s) => s.tokenKind).filter((k) => k !== undefined)).toEqual(['ntlm-negotiate']);
    }
    const audit = await relay.store.audit.query({ mailbox: ALICE, limit: 1 });
    expect(audit[0]).toMatchObject({ reason: 'AUTH_REJECTED', mechanism: 'ntlm', account: 'CORP\\alice' });
    await expectIdle(lab, relay);
  });

  it('an AUTHENTICATE wrapped in a NegTokenInit is still a continuation: never forwarded out of order', async () => {
    const wrapped = `Negotiate ${b64(wrapSpnegoInit(extractNtlmToken(Buffer.from(captured.ntlmAuthenticate, 'base64'))))}`;
    expect(inspectNegotiateToken(Buffer.from(wrapped.slice(10), 'base64'))).toMatchObject({
      kind: 'ntlm-authenticate',
      spnego: { token: 'init' },
    });
    proxy.reset();
    const fresh = await leg(lab, relay.iwaUrl(ALICE), { authorization: wrapped });
    expect(fresh.json).toMatchObject({ code: 'HANDSHAKE_INVALID', reason: 'continuation-on-new-connection' });
    const conn = new Conn(lab);
    try {
      await conn.leg(relay.iwaUrl(ALICE));
      const early = await conn.leg(relay.iwaUrl(ALICE), wrapped);
      expect(early.json).toMatchObject({
        code: 'HANDSHAKE_INVALID',
        reason: 'continuation-before-challenge',
      });
    } finally {
      conn.close();
    }
    expect(proxy.seen.map((s) => s.tokenKind).filter((k) => k !== undefined)).toEqual([]);
    await expectIdle(lab, relay);
  });
});

describe('the logs of this whole file', () => {
  it('hold no token, challenge, session token or password', () => {
    const lines = servers.flatMap((s) => s.logs);
    expect(lines.length).toBeGreaterThan(1_000);
    expect(rememberedSecretCount()).toBeGreaterThan(10);
    expect(scanLogs(lines, lab)).toEqual([]);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
});
