/**
 * Soak (issue 8 §5): about two minutes of mixed Kerberos and NTLM sign-ins through the relay to
 * the lab CAS, interleaved with faults (a CAS that dies, resets, stalls, closes after the
 * challenge, answers garbage, a 500 or a redirect) and browsers that walk away between legs.
 * Memory (RSS, heap) and open file descriptors must be flat at the end, and nothing may be
 * left in flight.
 *
 *   npm run soak                    # SOAK_SECONDS=120 by default
 *   SOAK_SECONDS=30 npm run soak     # shorter
 *
 * Prints the figures at the start, every 30 s, and at the end; exits 1 if anything is off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { curlNegotiate, kinit, labLookup, negotiateRequest } from '../test/lab/clients.ts';
import { startLab, type LabInfo } from '../test/lab/lab.ts';
import {
  onToken,
  afterToken,
  startFaultProxy,
  type FaultAction,
  type FaultProxy,
} from '../test/integration/fault-proxy.ts';
import { createLabProfile, startRelayServer, type RelayServer } from '../test/integration/harness.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 4);
// Flat means: after the run and a GC, no more than this above the warmed-up start.
const TOLERANCE = {
  rssBytes: 48 * 1024 * 1024,
  heapBytes: 12 * 1024 * 1024,
  fds: 8,
};

interface Figures {
  rssMiB: number;
  heapUsedMiB: number;
  fds: number;
}

function figures(): Figures {
  const m = process.memoryUsage();
  return {
    rssMiB: +(m.rss / 2 ** 20).toFixed(1),
    heapUsedMiB: +(m.heapUsed / 2 ** 20).toFixed(1),
    fds: readdirSync('/proc/self/fd').length,
  };
}

async function settle(): Promise<Figures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(200);
  }
  return figures();
}

/** An anonymous leg and the first NTLM leg on one connection, then the browser leaves. */
function abandon(lab: LabInfo, url: string, negotiate: string): Promise<void> {
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 1,
    secureContext: tls.createSecureContext({ ca: lab.tls.caCertPem }),
    lookup: labLookup,
  });
  const get = (authorization?: string) =>
    new Promise<number>((resolve, reject) => {
      https
        .get(url, { agent, headers: authorization === undefined ? {} : { authorization } }, (res) => {
          res.resume();
          res.on('end', () => {
            resolve(res.statusCode ?? 0);
          });
        })
        .on('error', reject);
    });
  return get()
    .then(() => get(`Negotiate ${negotiate}`))
    .then(() => undefined)
    .finally(() => {
      agent.destroy();
    });
}

interface Scenario {
  readonly name: string;
  /** Runs one sign-in; returns the code it got ('OK' for a 200). */
  run(): Promise<string>;
  /** The codes this scenario may end with. */
  readonly expect: readonly string[];
}

async function main(): Promise<void> {
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    console.warn('run with node --expose-gc for stable figures (npm run soak does)');
  }
  const lab = await startLab();
  let relay: RelayServer | undefined;
  let proxy: FaultProxy | undefined;
  try {
    const info = lab.info;
    relay = await startRelayServer(info, { limits: { requestTimeoutMs: 2_000 } });
    proxy = await startFaultProxy(info);
    await createLabProfile(relay.store, info);
    await relay.store.profiles.create({
      name: 'faulty',
      casUrl: proxy.ewsUrl,
      casCa: info.tls.caCertPem,
      methods: ['iwa'],
      mailboxes: ['alice@corp.test'],
    });
    const r = relay;
    const p = proxy;
    const ccaches = { alice: await kinit(info, 'alice'), bob: await kinit(info, 'bob') };
    const vectors = JSON.parse(
      readFileSync(new URL('../test/fixtures/protocol/ntlm-gssntlmssp.json', import.meta.url), 'utf8'),
    ) as { vectors: { legs: { token: string }[] }[] };
    const negotiateToken = vectors.vectors[0]?.legs[0]?.token;
    if (negotiateToken === undefined) throw new Error('no captured NTLM NEGOTIATE');

    const codeOf = (status: number | null, body: string | null): string => {
      if (status === 200) return 'OK';
      try {
        const code = (JSON.parse(body ?? '{}') as { code?: unknown }).code;
        return typeof code === 'string' ? code : `HTTP ${String(status)}`;
      } catch {
        return `HTTP ${String(status)}`;
      }
    };
    const kerberos = async (mailbox: string, ccache: string) => {
      const c = await curlNegotiate(info, { ccache, url: r.iwaUrl(mailbox) });
      return codeOf(c.status, c.body);
    };
    const ntlm = async (user: 'bob' | 'alice' | 'carol', mailbox: string) => {
      const n = await negotiateRequest(info, {
        user,
        mech: 'ntlm',
        url: r.iwaUrl(mailbox),
        spnHost: info.hosts.relay,
      });
      return codeOf(n.status, n.body);
    };
    // Faults apply to alice's profile (through the proxy); bob and carol go straight to the CAS.
    // One fault at a time: a worker holds the proxy while its faulty sign-in runs.
    let proxyBusy: Promise<void> = Promise.resolve();
    const withFault = async (
      plan: FaultAction | undefined,
      kind: string,
      how: 'on' | 'after',
      signIn: () => Promise<string>,
    ) => {
      const previous = proxyBusy;
      let release: () => void = () => undefined;
      proxyBusy = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      try {
        if (plan !== undefined) p.plan = how === 'on' ? onToken(kind, plan) : afterToken(kind, plan);
        return await signIn();
      } finally {
        p.reset();
        release();
      }
    };
    const respond = (status: number, body: string, headers: Record<string, string> = {}): FaultAction => ({
      kind: 'respond',
      status,
      body,
      headers,
    });
    const scenarios: Scenario[] = [
      { name: 'kerberos', run: () => kerberos('bob@corp.test', ccaches.bob), expect: ['OK'] },
      { name: 'ntlm', run: () => ntlm('carol', 'carol.smith@corp.test'), expect: ['OK'] },
      { name: 'kerberos via proxy', run: () => withFault(undefined, '', 'on', () => kerberos('alice@corp.test', ccaches.alice)), expect: ['OK'] },
      { name: 'identity mismatch', run: () => kerberos('carol.smith@corp.test', ccaches.bob), expect: ['IDENTITY_MISMATCH'] },
      { name: 'wrong NTLM password', run: async () => { const n = await negotiateRequest(info, { user: 'bob', mech: 'ntlm', password: 'wrong-password', url: r.iwaUrl('bob@corp.test'), spnHost: info.hosts.relay }); return codeOf(n.status, n.body); }, expect: ['AUTH_REJECTED'] },
      { name: 'CAS killed mid-NTLM', run: () => withFault({ kind: 'kill' }, 'ntlm-authenticate', 'on', () => ntlm('alice', 'alice@corp.test')), expect: ['CAS_UNREACHABLE'] },
      { name: 'CAS closes after challenge', run: () => withFault({ kind: 'close-after' }, 'ntlm-negotiate', 'on', () => ntlm('alice', 'alice@corp.test')), expect: ['CAS_UNREACHABLE'] },
      { name: 'CAS resets', run: () => withFault({ kind: 'reset' }, 'kerberos-ap-req', 'on', () => kerberos('alice@corp.test', ccaches.alice)), expect: ['CAS_UNREACHABLE'] },
      { name: 'CAS stalls', run: () => withFault({ kind: 'stall' }, 'kerberos-ap-req', 'on', () => kerberos('alice@corp.test', ccaches.alice)), expect: ['CAS_UNREACHABLE'] },
      { name: 'CAS garbage', run: () => withFault(respond(200, '\u0000<<garbage>>'), 'kerberos-ap-req', 'after', () => kerberos('alice@corp.test', ccaches.alice)), expect: ['CAS_PROTOCOL_ERROR'] },
      { name: 'CAS 500', run: () => withFault(respond(500, '<html>error</html>'), 'kerberos-ap-req', 'on', () => kerberos('alice@corp.test', ccaches.alice)), expect: ['CAS_PROTOCOL_ERROR'] },
      { name: 'CAS redirect', run: () => withFault(respond(302, '', { location: 'https://cas.corp.test/owa/' }), 'kerberos-ap-req', 'on', () => kerberos('alice@corp.test', ccaches.alice)), expect: ['CAS_PROTOCOL_ERROR'] },
      { name: 'browser leaves', run: async () => { await abandon(info, r.iwaUrl('bob@corp.test'), negotiateToken); return 'LEFT'; }, expect: ['LEFT'] },
    ]; // prettier-ignore

    const tally = new Map<string, number>();
    const unexpected: string[] = [];
    const runFor = async (ms: number) => {
      const deadline = Date.now() + ms;
      let i = 0;
      await Promise.all(
        Array.from({ length: WORKERS }, async (_, w) => {
          while (Date.now() < deadline) {
            const s = scenarios[(i++ * 7 + w) % scenarios.length];
            if (s === undefined) continue;
            const code = await s
              .run()
              .catch((err: unknown) => `THREW ${err instanceof Error ? err.message : String(err)}`);
            tally.set(s.name, (tally.get(s.name) ?? 0) + 1);
            if (!s.expect.includes(code)) unexpected.push(`${s.name}: ${code}`);
          }
        }),
      );
    };
    const idle = async () => {
      const deadline = Date.now() + 15_000;
      while ((r.server.app.relay.inFlight > 0 || r.server.app.cas.liveSockets > 0) && Date.now() < deadline)
        await sleep(100);
    };

    // Warm up (JIT, pools, caches, TLS sessions), then take the baseline.
    await runFor(Math.min(15_000, (SECONDS * 1000) / 6));
    await idle();
    const start = await settle();
    console.log(`start   ${JSON.stringify(start)}`);
    const t0 = Date.now();
    const ticker = setInterval(() => {
      console.log(
        `t+${String(Math.round((Date.now() - t0) / 1000))}s ${JSON.stringify({ ...figures(), inFlight: r.server.app.relay.inFlight, signIns: [...tally.values()].reduce((a, b) => a + b, 0) })}`,
      );
    }, 30_000);
    tally.clear();
    await runFor(SECONDS * 1000);
    clearInterval(ticker);
    await idle();
    const end = await settle();
    console.log(`end     ${JSON.stringify(end)}`);

    const total = [...tally.values()].reduce((a, b) => a + b, 0);
    console.log(`\n${String(total)} sign-ins in ${String(SECONDS)} s with ${String(WORKERS)} workers:`);
    for (const [name, n] of [...tally].sort((a, b) => b[1] - a[1]))
      console.log(`  ${name.padEnd(28)} ${String(n)}`);
    const delta = {
      rssMiB: +(end.rssMiB - start.rssMiB).toFixed(1),
      heapUsedMiB: +(end.heapUsedMiB - start.heapUsedMiB).toFixed(1),
      fds: end.fds - start.fds,
    };
    console.log(`delta   ${JSON.stringify(delta)}`);
    const problems: string[] = [];
    if (delta.rssMiB * 2 ** 20 > TOLERANCE.rssBytes) problems.push(`RSS grew ${String(delta.rssMiB)} MiB`);
    if (delta.heapUsedMiB * 2 ** 20 > TOLERANCE.heapBytes)
      problems.push(`heap grew ${String(delta.heapUsedMiB)} MiB`);
    if (delta.fds > TOLERANCE.fds) problems.push(`${String(delta.fds)} more open file descriptors`);
    if (r.server.app.relay.inFlight !== 0)
      problems.push(`${String(r.server.app.relay.inFlight)} handshakes left in flight`);
    if (r.server.app.cas.liveSockets !== 0)
      problems.push(`${String(r.server.app.cas.liveSockets)} upstream sockets left open`);
    if (unexpected.length > 0)
      problems.push(
        `${String(unexpected.length)} unexpected outcomes: ${[...new Set(unexpected)].slice(0, 10).join('; ')}`,
      );
    if (total < SECONDS) problems.push(`only ${String(total)} sign-ins`);
    if (problems.length > 0) {
      console.log(`\nSOAK FAILED:\n  ${problems.join('\n  ')}`);
      process.exitCode = 1;
    } else {
      console.log('\nsoak ok: memory and file descriptors flat, nothing in flight');
    }
  } finally {
    await relay?.close();
    await proxy?.close();
    await lab.stop();
  }
}

await main();
