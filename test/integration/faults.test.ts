/**
 * Fault tests (issue 8 §2): the CAS dies, stalls, resets, answers garbage, a 500 or a redirect,
 * or closes the connection mid-handshake; the browser walks away between legs; the database is
 * locked or gone at sign-in. Each checks the exact catalogue code, that the server keeps
 * serving (a real Kerberos sign-in afterwards), and that the handshake table and the upstream
 * sockets return to zero.
 *
 * CAS faults go through a fault proxy in front of the lab Apache (fault-proxy.ts), not the
 * shared EWS stand-in's modes: other test files use the same lab at the same time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RelayLimits } from '../../src/backend/relay/relay.ts';
import { openStore } from '../../src/backend/storage/index.ts';
import type { Store } from '../../src/backend/storage/types.ts';
import { startPostgres, type PostgresCluster } from '../db/postgres.ts';
import { curlNegotiate, kinit, negotiateRequest } from '../lab/clients.ts';
import {
  afterToken,
  onToken,
  startFaultProxy,
  startTcpPipe,
  type FaultProxy,
  type TcpPipe,
} from './fault-proxy.ts';
import { createLabProfile, startRelayServer, type RelayServer } from './harness.ts';
import { Conn, captured, expectIdle, leg } from './leg-client.ts';
import { rememberSecret, scanLogs } from './log-scan.ts';

const lab = inject('lab');
const ALICE = 'alice@corp.test'; // signs in through the fault proxy
const BOB = 'bob@corp.test'; // signs in straight to the lab CAS

/** Every log line of every server this file starts, for the no-secrets scan at the end. */
const logs: string[][] = [];
function logged(relay: RelayServer): RelayServer {
  logs.push(relay.logs);
  return relay;
}

let aliceCcache: string;
let bobCcache: string;

/** The harness's server, on a store the test opened itself (busy timeout, PostgreSQL). */
function relayOnStore(store: Store, limits: Partial<RelayLimits> = {}): Promise<RelayServer> {
  return startRelayServer(lab, { store, limits });
}

async function proxiedProfile(relay: RelayServer, proxy: FaultProxy, mailboxes = [ALICE]): Promise<void> {
  await relay.store.profiles.create({
    name: 'via-fault-proxy',
    casUrl: proxy.ewsUrl,
    casCa: lab.tls.caCertPem,
    methods: ['iwa'],
    mailboxes,
  });
}

const json = (body: string | null): Record<string, unknown> => {
  try {
    return JSON.parse(body === null || body === '' ? '{}' : body) as Record<string, unknown>;
  } catch {
    return {};
  }
};

let probeTargets = 0;

/**
 * A fresh proxy and a profile of its own for one mailbox: the relay may reuse a CAS's recent
 * answer to the anonymous probe, so a fault meant for the probe needs a CAS URL never seen.
 */
async function freshCas(relay: RelayServer): Promise<{ proxy: FaultProxy; mailbox: string }> {
  const proxy = await startFaultProxy(lab);
  const n = ++probeTargets;
  const mailbox = `probe${n}@faults.test`;
  await relay.store.profiles.create({
    name: `fresh-${n}`,
    casUrl: proxy.ewsUrl,
    casCa: lab.tls.caCertPem,
    methods: ['iwa'],
    mailboxes: [mailbox],
  });
  return { proxy, mailbox };
}

async function kerberos(relay: RelayServer, mailbox: string, ccache: string) {
  const r = await curlNegotiate(lab, { ccache, url: relay.iwaUrl(mailbox) });
  rememberSecret((json(r.body) as { token?: string }).token);
  return r;
}

/** A normal Kerberos sign-in still succeeds, and nothing is left in flight. */
async function stillServes(relay: RelayServer): Promise<void> {
  const r = await kerberos(relay, BOB, bobCcache);
  expect(r.status).toBe(200);
  expect(json(r.body)).toMatchObject({ mailbox: BOB, mechanism: 'kerberos' });
  await expectIdle(lab, relay);
}

beforeAll(async () => {
  [aliceCcache, bobCcache] = await Promise.all([kinit(lab, 'alice'), kinit(lab, 'bob')]);
});

describe('CAS faults through the fault proxy', () => {
  let relay: RelayServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    [relay, proxy] = await Promise.all([startRelayServer(lab).then(logged), startFaultProxy(lab)]);
    await createLabProfile(relay.store, lab);
    await proxiedProfile(relay, proxy);
  });
  afterEach(() => {
    proxy.reset();
  });
  afterAll(async () => {
    await relay.close();
    await proxy.close();
  });

  const ntlm = async () => {
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'ntlm',
      url: relay.iwaUrl(ALICE),
      spnHost: lab.hosts.relay,
    });
    rememberSecret((json(r.body) as { token?: string }).token);
    return r;
  };

  it('passes a normal NTLM and Kerberos sign-in through the proxy (the proxy itself is faithful)', async () => {
    const n = await ntlm();
    expect(n.status).toBe(200);
    expect(json(n.body)).toMatchObject({ mailbox: ALICE, mechanism: 'ntlm' });
    // NEGOTIATE → CHALLENGE, AUTHENTICATE → 200, then ConvertId: all on one connection to the
    // CAS (the anonymous probe before them too, unless the relay reused a recent probe answer).
    expect(proxy.seen.filter((s) => s.hasAuthorization).map((s) => s.tokenKind)).toEqual([
      'ntlm-negotiate',
      'ntlm-authenticate',
    ]);
    expect(proxy.seen.at(-1)).toMatchObject({ hasAuthorization: false, action: 'pass' });
    expect(new Set(proxy.seen.map((s) => s.connection))).toEqual(new Set([1]));
    const k = await kerberos(relay, ALICE, aliceCcache);
    expect(k.status).toBe(200);
    await expectIdle(lab, relay);
    await expect.poll(() => proxy.openConnections).toBe(0);
  });

  // Decision: the connection that carried the NTLM context is gone through no fault of the
  // browser's, so the answer is the CAS's failure, CAS_UNREACHABLE (502), not HANDSHAKE_INVALID
  // (400), which tells the user a proxy between them and us mixed up connections.
  it('the CAS dies while the NTLM AUTHENTICATE is in flight: CAS_UNREACHABLE', async () => {
    proxy.plan = onToken('ntlm-authenticate', { kind: 'kill' });
    const r = await ntlm();
    expect(r.status).toBe(502);
    expect(json(r.body)).toMatchObject({ code: 'CAS_UNREACHABLE' });
    expect(r.legs.map((l) => l.status)).toEqual([401, 401, 502]);
    expect(proxy.seen.at(-1)).toMatchObject({ tokenKind: 'ntlm-authenticate', action: 'kill' });
    await expect.poll(() => proxy.openConnections).toBe(0);
    await stillServes(relay);
  });

  it('the CAS closes the connection after the CHALLENGE: CAS_UNREACHABLE, and the AUTHENTICATE never goes out on a new socket', async () => {
    proxy.plan = onToken('ntlm-negotiate', { kind: 'close-after' });
    const r = await ntlm();
    expect(r.status).toBe(502);
    expect(json(r.body)).toMatchObject({ code: 'CAS_UNREACHABLE', reason: 'connection-lost' });
    expect(proxy.seen.at(-1)).toMatchObject({ tokenKind: 'ntlm-negotiate', action: 'close-after' });
    expect(proxy.seen.some((s) => s.tokenKind === 'ntlm-authenticate')).toBe(false);
    expect(proxy.connections).toBe(1);
    await stillServes(relay);
  });

  it('the CAS resets connections, on the probe and mid-handshake: CAS_UNREACHABLE', async () => {
    const fresh = await freshCas(relay);
    try {
      fresh.proxy.plan = () => ({ kind: 'reset' });
      const probe = await leg(lab, relay.iwaUrl(fresh.mailbox));
      expect(probe.status).toBe(502);
      expect(probe.json).toMatchObject({ code: 'CAS_UNREACHABLE', reason: 'connection-reset' });
      expect(fresh.proxy.seen.map((s) => s.action)).toEqual(['reset']);
    } finally {
      await fresh.proxy.close();
    }

    proxy.plan = onToken('kerberos-ap-req', { kind: 'reset' });
    const k = await kerberos(relay, ALICE, aliceCcache);
    expect(k.status).toBe(502);
    expect(json(k.body)).toMatchObject({ code: 'CAS_UNREACHABLE' });
    expect(proxy.seen.at(-1)).toMatchObject({ tokenKind: 'kerberos-ap-req', action: 'reset' });
    await stillServes(relay);
  });

  const redirect = () => ({
    kind: 'respond' as const,
    status: 302,
    // Pointing back at the proxy: a followed redirect would show up in proxy.seen.
    headers: { location: `${proxy.ewsUrl.replace('/EWS/Exchange.asmx', '/owa/auth/logon.aspx')}?x=1` },
    body: '<html><body>Object moved</body></html>',
  });
  const cases = [
    ['garbage', () => ({ kind: 'respond' as const, status: 200, headers: { 'content-type': 'text/xml' }, body: '\u0000<<garbage>> not XML {' })],
    ['a 500', () => ({ kind: 'respond' as const, status: 500, headers: { 'content-type': 'text/html' }, body: '<html><h1>Server Error in /EWS</h1></html>' })],
    ['a redirect', redirect],
  ] as const; // prettier-ignore

  for (const [what, action] of cases) {
    for (const [plan, where] of [
      [onToken, 'to the Kerberos leg'],
      [afterToken, 'to the identity probe on the authenticated connection'],
    ] as const) {
      it(`the CAS answers ${what} ${where}: CAS_PROTOCOL_ERROR, nothing followed`, async () => {
        const sessions = (await relay.store.sessions.list({ mailbox: ALICE })).length;
        proxy.plan = plan('kerberos-ap-req', action());
        const r = await kerberos(relay, ALICE, aliceCcache);
        expect(r.status).toBe(502);
        const body = json(r.body);
        expect(body).toMatchObject({ code: 'CAS_PROTOCOL_ERROR' });
        expect(body.token).toBeUndefined();
        if (what === 'a redirect') expect(body).toMatchObject({ reason: 'redirect' });
        // The faulty answer was the last request the CAS side saw: no redirect followed, no retry.
        expect(proxy.seen.at(-1)?.action).toBe('respond');
        expect(proxy.seen.filter((s) => s.action === 'respond')).toHaveLength(1);
        expect(proxy.seen.every((s) => s.path === '/EWS/Exchange.asmx' && s.connection === 1)).toBe(true);
        expect(await relay.store.sessions.list({ mailbox: ALICE })).toHaveLength(sessions);
        await stillServes(relay);
      });
    }
  }

  it('the browser disconnects between legs: handshake dropped, CAS connection destroyed, HANDSHAKE_ABANDONED audited', async () => {
    const before = (await relay.store.audit.query({ mailbox: ALICE })).length;
    const conn = new Conn(lab);
    expect((await conn.leg(relay.iwaUrl(ALICE))).status).toBe(401);
    const challenge = await conn.leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmNegotiate}`);
    expect(challenge.status).toBe(401);
    expect(challenge.headers['www-authenticate']).toMatch(/^Negotiate [A-Za-z0-9+/=]{40,}$/);
    expect(relay.server.app.relay.inFlight).toBe(1);
    expect(proxy.openConnections).toBe(1);

    conn.close();
    await expectIdle(lab, relay);
    await expect.poll(() => proxy.openConnections).toBe(0);
    await expect
      .poll(async () => (await relay.store.audit.query({ mailbox: ALICE })).slice(0, 1))
      .toEqual([
        expect.objectContaining({ reason: 'HANDSHAKE_ABANDONED', outcome: 'failure', mechanism: 'ntlm' }),
      ]);
    expect((await relay.store.audit.query({ mailbox: ALICE })).length).toBe(before + 1);
    await stillServes(relay);
  });

  it('the browser gives up while the CAS is still thinking: the stalled leg is torn down', async () => {
    proxy.plan = onToken('ntlm-negotiate', { kind: 'stall' });
    const conn = new Conn(lab);
    expect((await conn.leg(relay.iwaUrl(ALICE))).status).toBe(401);
    const pending = conn
      .leg(relay.iwaUrl(ALICE), `Negotiate ${captured.ntlmNegotiate}`)
      .catch((e: unknown) => e);
    await expect.poll(() => proxy.seen.at(-1)?.action).toBe('stall');
    conn.close();
    expect(await pending).toBeInstanceOf(Error);
    await expectIdle(lab, relay);
    await expect.poll(() => proxy.openConnections).toBe(0);
    await stillServes(relay);
  });
});

describe('a CAS that stalls beyond the timeout', () => {
  let relay: RelayServer;
  let proxy: FaultProxy;

  beforeAll(async () => {
    [relay, proxy] = await Promise.all([
      startRelayServer(lab, { limits: { requestTimeoutMs: 1_000 } }).then(logged),
      startFaultProxy(lab),
    ]);
    await createLabProfile(relay.store, lab);
    await proxiedProfile(relay, proxy);
  });
  afterAll(async () => {
    await relay.close();
    await proxy.close();
  });

  it('on the probe and on a handshake leg: CAS_UNREACHABLE, within the timeout', async () => {
    const fresh = await freshCas(relay);
    let t0 = performance.now();
    try {
      fresh.proxy.plan = () => ({ kind: 'stall' });
      const probe = await leg(lab, relay.iwaUrl(fresh.mailbox));
      expect(probe.status).toBe(502);
      expect(probe.json).toMatchObject({ code: 'CAS_UNREACHABLE', reason: 'response-timeout' });
      expect(performance.now() - t0).toBeLessThan(8_000);
      await expect.poll(() => fresh.proxy.openConnections).toBe(0);
    } finally {
      await fresh.proxy.close();
    }

    proxy.plan = onToken('kerberos-ap-req', { kind: 'stall' });
    t0 = performance.now();
    const k = await kerberos(relay, ALICE, aliceCcache);
    expect(k.status).toBe(502);
    expect(json(k.body)).toMatchObject({ code: 'CAS_UNREACHABLE', reason: 'response-timeout' });
    expect(performance.now() - t0).toBeLessThan(8_000);
    await expect.poll(() => proxy.openConnections).toBe(0);
    proxy.reset();
    await stillServes(relay);
  });
});

describe('the database at sign-in', () => {
  it('locked by another process (BEGIN EXCLUSIVE): DATABASE_UNAVAILABLE, no half-written session', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'iwa-faults-'));
    const file = join(dir, 'iwa.db');
    const relay = logged(await relayOnStore(await openStore(`sqlite:${file}`, { busyTimeoutMs: 300 })));
    const other = new BetterSqlite3(file);
    try {
      await createLabProfile(relay.store, lab);
      other.exec('BEGIN EXCLUSIVE');
      const r = await kerberos(relay, BOB, bobCcache);
      expect(r.status).toBe(503);
      expect(json(r.body)).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      expect(json(r.body).token).toBeUndefined();
      other.exec('ROLLBACK');
      expect(await relay.store.sessions.list({ mailbox: BOB })).toEqual([]);
      await stillServes(relay);
      expect(await relay.store.sessions.list({ mailbox: BOB })).toHaveLength(1);
    } finally {
      other.close();
      await relay.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('PostgreSQL going away mid-handshake', () => {
    let pg: PostgresCluster;
    let pipe: TcpPipe;
    let relay: RelayServer;
    let proxy: FaultProxy;

    beforeAll(async () => {
      [pg, proxy] = await Promise.all([startPostgres(), startFaultProxy(lab)]);
      const url = new URL(await pg.createDatabase('faults'));
      pipe = await startTcpPipe(Number(url.port));
      url.port = String(pipe.port);
      relay = logged(await relayOnStore(await openStore(url.toString())));
      await createLabProfile(relay.store, lab);
      await proxiedProfile(relay, proxy);
    }, 60_000);
    afterAll(async () => {
      await relay.close();
      await proxy.close();
      await pipe.close();
      await pg.stop();
    });

    it('DATABASE_UNAVAILABLE at the first leg and at session issue; nothing half-written; serves again once back', async () => {
      pipe.cut();
      const first = await leg(lab, relay.iwaUrl(BOB));
      expect(first.status).toBe(503);
      expect(first.json).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      pipe.restore();

      // The database goes away while the CAS checks the Kerberos ticket.
      proxy.plan = (r) => {
        if (r.tokenKind === 'kerberos-ap-req') pipe.cut();
        return { kind: 'pass' };
      };
      const k = await kerberos(relay, ALICE, aliceCcache);
      expect(k.status).toBe(503);
      expect(json(k.body)).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      expect(json(k.body).token).toBeUndefined();
      pipe.restore();
      proxy.reset();
      expect(await relay.store.sessions.list({ mailbox: ALICE })).toEqual([]);
      await stillServes(relay);
    });
  });
});

describe('the logs of this whole file', () => {
  it('hold no token, challenge, session token or password', () => {
    const lines = logs.flat();
    expect(lines.length).toBeGreaterThan(50);
    expect(scanLogs(lines, lab)).toEqual([]);
  });
});
