/**
 * Several instances: two relay servers share one PostgreSQL database behind HAProxy in TCP
 * mode (connection affinity, as Negotiate needs), all on loopback. Users sign in through the
 * load balancer with real Kerberos (curl --negotiate) and real NTLM (GSSAPI + gss-ntlmssp);
 * a session issued by one instance is honoured and revoked through the other; and when one
 * instance stops mid-run, new sign-ins through the load balancer succeed on the survivor.
 * HAProxy sends PROXY protocol v2 (`send-proxy-v2`) and the instances require it: the audit
 * trail shows each client's own address, not the balancer's.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { buildProxyHeaderV2 } from '../../src/protocol/proxy-protocol.ts';
import { type JSONWebKeySet, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../db/postgres.ts';
import { curlNegotiate, kinit, negotiateRequest } from '../lab/clients.ts';
import type { LabUser } from '../lab/lab.ts';
import { pidAlive } from '../lab/proc.ts';
import { DEFAULT_ACCOUNT_BACKOFF } from '../../src/backend/password/lockout.ts';
import { startHaproxy, type Haproxy } from './haproxy.ts';
import { createLabProfile, startRelayServer, type RelayServer } from './harness.ts';

const lab = inject('lab');
const RELAY = lab.hosts.relay;

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

/**
 * One request straight to an instance's port (not through the load balancer). The instances
 * want a PROXY header first; a LOCAL one, as HAProxy's health checks send, keeps our address.
 */
async function direct(
  port: number,
  path: string,
  o: { method?: string; token?: string; json?: unknown } = {},
): Promise<Answer> {
  // The header goes out before TLS starts, once the connection is up.
  const tcp = tcpConnect({ host: '127.0.0.1', port });
  await new Promise((resolve, reject) => tcp.once('connect', resolve).once('error', reject));
  tcp.write(buildProxyHeaderV2(null));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        servername: RELAY,
        path,
        method: o.method ?? 'GET',
        ca: lab.tls.caCertPem,
        // No agent: with one, Node would open its own connection, without the header.
        createConnection: () => tlsConnect({ socket: tcp, servername: RELAY, ca: lab.tls.caCertPem }),
        headers: {
          Host: `${RELAY}:${port}`,
          ...(o.token === undefined ? {} : { Authorization: `Bearer ${o.token}` }),
          ...(o.json === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            json: body === '' ? {} : (JSON.parse(body) as Record<string, unknown>),
          });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
    req.end(o.json === undefined ? undefined : JSON.stringify(o.json));
  });
}

/** How many IWA legs each instance has logged since `marks` (its log length then). */
function legsSince(instances: readonly RelayServer[], marks: readonly number[]): number[] {
  return instances.map(
    (r, i) =>
      r.logs
        .slice(marks[i])
        .map((l) => JSON.parse(l) as { msg?: string; req?: { path?: string } })
        .filter((e) => e.msg === 'request completed' && e.req?.path === '/api/auth/iwa').length,
  );
}

const marksOf = (instances: readonly RelayServer[]) => instances.map((r) => r.logs.length);

describe('two instances, one PostgreSQL, behind HAProxy (TCP mode)', () => {
  let pg: PostgresCluster;
  let one: RelayServer;
  let two: RelayServer;
  let lb: Haproxy;
  const lbUrl = (mailbox: string) =>
    `https://${RELAY}:${lb.port}/api/auth/iwa?mailbox=${encodeURIComponent(mailbox)}`;

  /** Kerberos through the load balancer: curl --negotiate with a fresh ticket. */
  async function kerberosSignIn(user: LabUser, localAddress?: string) {
    const ccache = await kinit(lab, user);
    const r = await curlNegotiate(lab, {
      ccache,
      url: lbUrl(lab.users[user].smtp),
      ...(localAddress === undefined ? {} : { localAddress }),
    });
    const body = r.body === '' ? {} : (JSON.parse(r.body) as Record<string, unknown>);
    return { status: r.status, body, legs: r.responses.map((x) => x.status) };
  }

  /** NTLM (in SPNEGO) through the load balancer: the python GSSAPI client, one connection. */
  async function ntlmSignIn(user: LabUser) {
    const r = await negotiateRequest(lab, {
      user,
      mech: 'ntlm',
      url: lbUrl(lab.users[user].smtp),
      spnHost: RELAY,
    });
    const body = JSON.parse(r.body ?? '{}') as Record<string, unknown>;
    return { status: r.status, body, legs: r.legs.map((l) => l.status), error: r.error };
  }

  beforeAll(async () => {
    pg = await startPostgres();
    const url = await pg.createDatabase('instances');
    // The same key-encryption key on both, as the admin guide says: they share the signing keys.
    const keyEncryptionKey = randomBytes(32);
    // Four guesses free, then the hold (the default's 30 s and 60 s waits would only slow this down).
    const passwordLimits = { accountBackoff: { ...DEFAULT_ACCOUNT_BACKOFF, freeFailures: 4 } };
    one = await startRelayServer(lab, {
      database: url,
      passwordLimits,
      proxyProtocol: true,
      keyEncryptionKey,
    });
    two = await startRelayServer(lab, {
      database: url,
      passwordLimits,
      proxyProtocol: true,
      keyEncryptionKey,
    });
    // One profile, made once through instance 1's store: instance 2 sees it in the shared database.
    await createLabProfile(one.store, lab);
    lb = await startHaproxy({
      backends: [
        { name: 'one', port: one.port },
        { name: 'two', port: two.port },
      ],
      caFile: lab.tls.caCertPath,
      serverName: RELAY,
      checkIntervalMs: 500,
    });
    // Both instances pass the /readyz check before the test starts.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const states = await lb.serverStates();
      if (states.one === 'up' && states.two === 'up') break;
      if (Date.now() > deadline) throw new Error(`instances not up in HAProxy: ${JSON.stringify(states)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);

  afterAll(async () => {
    const pid = lb.pid;
    await lb.stop();
    await Promise.all([one.close(), two.close()]);
    await pg.stop();
    expect(pidAlive(pid)).toBe(false);
  }, 60_000);

  it('the second instance sees the profile made through the first', async () => {
    expect((await two.store.profiles.effective('bob@corp.test'))?.profile.name).toBe('lab');
  });

  it('Kerberos and NTLM sign-ins through the load balancer, spread over both instances', async () => {
    const marks = marksOf([one, two]);
    const results = [
      await kerberosSignIn('alice'),
      await ntlmSignIn('bob'),
      await kerberosSignIn('bob'),
      await ntlmSignIn('alice'),
    ];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.map((r) => r.body.mechanism)).toEqual(['kerberos', 'ntlm', 'kerberos', 'ntlm']);
    expect(results.map((r) => r.body.mailbox)).toEqual([
      'alice@corp.test',
      'bob@corp.test',
      'bob@corp.test',
      'alice@corp.test',
    ]);
    // Every handshake stayed on one instance (TCP mode): NTLM's three legs (probe, NEGOTIATE,
    // AUTHENTICATE) on one connection. curl sends its Kerberos token with the first request.
    for (const i of [1, 3]) expect(results[i]?.legs).toEqual([401, 401, 200]);
    for (const i of [0, 2]) expect(results[i]?.legs.at(-1)).toBe(200);
    // Round robin over connections: both instances relayed sign-ins, and no leg got lost.
    const legs = legsSince([one, two], marks);
    expect(legs[0]).toBeGreaterThan(0);
    expect(legs[1]).toBeGreaterThan(0);
    expect((legs[0] ?? 0) + (legs[1] ?? 0)).toBe(results.reduce((n, r) => n + r.legs.length, 0));
  });

  it('send-proxy-v2: the audit trail shows the client, not HAProxy (which connects from 127.0.0.1)', async () => {
    const since = new Date(Date.now() - 1000);
    const r = await kerberosSignIn('carol', '127.0.0.7');
    expect(r.status).toBe(200);
    const rows = await one.store.audit.query({ mailbox: lab.users.carol.smtp, since });
    expect(rows.map((e) => [e.clientAddress, e.outcome])).toEqual([['127.0.0.7', 'success']]);
  });

  it('a session issued by one instance is honoured and revocable through the other', async () => {
    const marks = marksOf([one, two]);
    const r = await kerberosSignIn('alice');
    expect(r.status).toBe(200);
    const token = String(r.body.token);
    const [legsOne] = legsSince([one, two], marks);
    const [issuer, other] = legsOne === 0 ? [two, one] : [one, two];

    const seen = await direct(other.port, '/api/session', { token });
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ mailbox: 'alice@corp.test', method: 'iwa', mechanism: 'kerberos' });

    const out = await direct(other.port, '/api/session', { method: 'DELETE', token });
    expect(out.status).toBe(204);
    for (const instance of [issuer, other]) {
      const after = await direct(instance.port, '/api/session', { token });
      expect(after.status).toBe(401);
      expect(after.json).toMatchObject({ code: 'SESSION_INVALID' });
    }
  });

  it('two instances give one budget: at most 4 wrong NTLM passwords per account, whichever instance relays them', async () => {
    const marks = marksOf([one, two]);
    const answers = [];
    for (let i = 0; i < 8; i++) {
      const r = await negotiateRequest(lab, {
        user: 'bob',
        mech: 'ntlm',
        password: 'Not-Bobs-Password-1',
        url: lbUrl(`claim${String(i)}@corp.test`),
        spnHost: RELAY,
      });
      answers.push((JSON.parse(r.body ?? '{}') as { code?: string; scope?: string }).code);
    }
    expect(answers).toEqual([
      ...Array<string>(4).fill('AUTH_REJECTED'),
      ...Array<string>(4).fill('RATE_LIMITED'),
    ]);
    // Round robin: both instances relayed guesses, and each sees the budget the other spent.
    const legs = legsSince([one, two], marks);
    expect(legs[0]).toBeGreaterThan(0);
    expect(legs[1]).toBeGreaterThan(0);
    const refused = await one.store.audit.query({ limit: 8 });
    expect(refused.map((r) => r.account)).toEqual(Array<string>(8).fill('CORP\\bob'));
    // A ticket is no guess: bob's Kerberos sign-in still works through either instance.
    const kerberos = await kerberosSignIn('bob');
    expect(kerberos.status).toBe(200);
  });

  it("both instances issue access tokens that verify against either instance's JWKS", async () => {
    await one.store.accessTokens.audiences.add({ name: 'https://api.corp.test' });
    const r = await kerberosSignIn('bob');
    expect(r.status).toBe(200);
    const session = String(r.body.token);
    const tokens: string[] = [];
    for (const instance of [one, two]) {
      const t = await direct(instance.port, '/api/token', {
        method: 'POST',
        token: session,
        json: { audience: 'https://api.corp.test' },
      });
      expect(t.status).toBe(200);
      tokens.push(String(t.json.access_token));
    }
    for (const instance of [one, two]) {
      const jwks = createLocalJWKSet(
        (await direct(instance.port, '/.well-known/jwks.json')).json as unknown as JSONWebKeySet,
      );
      for (const t of tokens) {
        const { payload } = await jwtVerify(t, jwks, {
          issuer: `https://${RELAY}`,
          audience: 'https://api.corp.test',
        });
        expect(payload.email).toBe('bob@corp.test');
      }
    }
    // One signing key for the deployment, made by whichever instance signed first.
    expect(new Set(tokens.map((t) => decodeProtectedHeader(t).kid)).size).toBe(1);
  });

  it('one instance stops mid-run: new sign-ins through the load balancer succeed on the survivor', async () => {
    // (Graceful shutdown with a handshake in flight is serve.test.ts's job.)
    const stopping = two;
    const survivor = one;
    await stopping.server.shutdown(10_000);
    // Immediately: HAProxy may not have seen a failed check yet; a refused connection is
    // retried on the other instance (retries + option redispatch).
    const marks = marksOf([survivor, stopping]);
    const results = [
      await ntlmSignIn('alice'),
      await kerberosSignIn('bob'),
      await ntlmSignIn('carol'),
      await kerberosSignIn('alice'),
    ];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.map((r) => r.body.mailbox)).toEqual([
      'alice@corp.test',
      'bob@corp.test',
      lab.users.carol.smtp,
      'alice@corp.test',
    ]);
    // All of them on the survivor; the stopped instance saw none.
    expect(legsSince([survivor, stopping], marks)).toEqual([
      results.reduce((n, r) => n + r.legs.length, 0),
      0,
    ]);
    // And the health check takes the stopped instance out.
    const deadline = Date.now() + 10_000;
    let states = await lb.serverStates();
    while (states.two !== 'down' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      states = await lb.serverStates();
    }
    expect(states).toMatchObject({ one: 'up', two: 'down' });
    // The sessions they got work on the survivor.
    const check = await direct(survivor.port, '/api/session', { token: String(results[0]?.body.token) });
    expect(check.status).toBe(200);
  }, 90_000);
});
