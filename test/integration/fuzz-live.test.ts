/**
 * A time-bounded fuzz of the live endpoint (issue 8 §4): real tokens from the lab (dumped by
 * the GSSAPI client in this run, plus the captured fixtures), mutated (bit flips, truncations,
 * length-field corruptions, splices, insertions, deletions) and sent as legs of real
 * handshakes through our relay to the lab CAS. No crash, no 5xx outside the catalogue, no
 * session, no leak (handshakes and upstream sockets back to zero, the server still answers).
 *
 * OUTLOOK_IWA_FUZZ_MS sets the budget (default 20 s); OUTLOOK_IWA_FUZZ_SEED replays a run.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ERRORS, isErrorCode } from '../../src/protocol/errors.ts';
import { negotiateRequest } from '../lab/clients.ts';
import { corpus, randomMutant, seeded, type Random } from '../unit/fuzz/mutate.ts';
import { createLabProfile, startRelayServer, type RelayServer } from './harness.ts';
import { Conn, captured, expectIdle, type Answer } from './leg-client.ts';
import { rememberSecret, scanLogs } from './log-scan.ts';

const lab = inject('lab');
const BUDGET_MS = Number(process.env.OUTLOOK_IWA_FUZZ_MS ?? 20_000);
const SEED = Number(process.env.OUTLOOK_IWA_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const WORKERS = 4;
const MAILBOX = 'alice@corp.test';

/** Codes a 5xx may carry: the CAS's failures (502) and capacity/database (503). Never INTERNAL. */
const FIVE_XX_OK = new Set(
  Object.entries(ERRORS)
    .filter(([code, spec]) => spec.status >= 500 && code !== 'INTERNAL' && code !== 'SCHEMA_TOO_NEW')
    .map(([code]) => code),
);

type Scenario = 'first-leg' | 'after-probe' | 'authenticate-leg' | 'base64-text';

describe('live endpoint fuzz with mutated lab tokens', () => {
  let relay: RelayServer;
  const tokens: Uint8Array[] = [];

  beforeAll(async () => {
    relay = await startRelayServer(lab);
    await createLabProfile(relay.store, lab);
    // Fresh real tokens from this lab: an NTLM and a Kerberos sign-in through the relay.
    const dir = await mkdtemp(join(lab.dir, 'fuzz-'));
    try {
      for (const [user, mech] of [
        ['alice', 'ntlm'],
        ['alice', 'krb5'],
      ] as const) {
        const r = await negotiateRequest(lab, {
          user,
          mech,
          url: relay.iwaUrl(MAILBOX),
          spnHost: lab.hosts.relay,
          dumpTokensDir: join(dir, mech),
        });
        expect(r.status, `${mech} sign-in to collect tokens`).toBe(200);
        rememberSecret((JSON.parse(r.body ?? '{}') as { token?: string }).token);
        for (const f of await readdir(join(dir, mech))) {
          const b64 = (await readFile(join(dir, mech, f), 'utf8')).trim();
          rememberSecret(b64);
          tokens.push(Buffer.from(b64, 'base64'));
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    tokens.push(...corpus());
  });

  afterAll(async () => {
    await relay.close();
  });

  /** One fuzz case: a handshake on a fresh connection with a mutant in one of its legs. */
  async function fuzzCase(rnd: Random): Promise<{ scenario: Scenario; answers: Answer[] }> {
    const scenarios: Scenario[] = ['first-leg', 'after-probe', 'authenticate-leg', 'base64-text'];
    const scenario = scenarios[Math.floor(rnd() * scenarios.length)] ?? 'first-leg';
    const { bytes } = randomMutant(tokens, rnd);
    let text = Buffer.from(bytes).toString('base64');
    if (scenario === 'base64-text' && text.length > 0) {
      // Corrupt the header text itself: a stray character, lost padding, a cut.
      const at = Math.floor(rnd() * text.length);
      const junk = ['!', ' ', '=', '-', '_', '\t', '%', '\u00e9', ''][Math.floor(rnd() * 9)] ?? '';
      text = text.slice(0, at) + junk + text.slice(at + (rnd() < 0.5 ? 1 : 0));
    }
    const url = relay.iwaUrl(MAILBOX);
    const conn = new Conn(lab);
    const answers: Answer[] = [];
    try {
      if (scenario !== 'first-leg') answers.push(await conn.leg(url));
      if (scenario === 'authenticate-leg') {
        const challenge = await conn.leg(url, `Negotiate ${captured.ntlmNegotiate}`);
        answers.push(challenge);
        if (challenge.status !== 401) return { scenario, answers };
      }
      answers.push(await conn.leg(url, `Negotiate ${text}`));
    } finally {
      conn.close();
    }
    return { scenario, answers };
  }

  it(
    `sends mutants for ${String(BUDGET_MS / 1000)} s: no crash, no 5xx outside the catalogue, no session, no leak`,
    async () => {
      expect(tokens.length).toBeGreaterThan(25);
      const deadline = performance.now() + BUDGET_MS;
      const tally = new Map<string, number>();
      const failures: string[] = [];
      let cases = 0;
      const worker = async (w: number) => {
        const rnd = seeded(SEED + w);
        while (performance.now() < deadline && failures.length === 0) {
          const n = ++cases;
          const { scenario, answers } = await fuzzCase(rnd);
          for (const a of answers) {
            const code = typeof a.json.code === 'string' ? a.json.code : `<${String(a.status)}>`;
            tally.set(`${String(a.status)} ${code}`, (tally.get(`${String(a.status)} ${code}`) ?? 0) + 1);
            const ok =
              (a.status === 401 && code === 'NEGOTIATE') ||
              (isErrorCode(code) &&
                code !== 'INTERNAL' &&
                ERRORS[code].status === a.status &&
                (a.status < 500 || FIVE_XX_OK.has(code)));
            const bad = !ok;
            if (bad)
              failures.push(
                `case ${String(n)} (worker ${String(w)}, ${scenario}): ${String(a.status)} ${code}`,
              );
          }
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      const summary = [...tally].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${String(v)}`);
      console.log(`live fuzz seed ${String(SEED)}: ${String(cases)} cases\n  ${summary.join('\n  ')}`);
      expect(failures, `seed ${String(SEED)}`).toEqual([]);
      expect(cases).toBeGreaterThan(50);
      // The server survived and holds nothing.
      await expectIdle(lab, relay, 20_000);
      const after = await negotiateRequest(lab, {
        user: 'alice',
        mech: 'krb5',
        url: relay.iwaUrl(MAILBOX),
        spnHost: lab.hosts.relay,
      });
      expect(after.status).toBe(200);
      rememberSecret((JSON.parse(after.body ?? '{}') as { token?: string }).token);
      // Only the three real sign-ins made sessions.
      expect(await relay.store.sessions.list({ mailbox: MAILBOX })).toHaveLength(3);
      expect(relay.logs.filter((l) => l.includes('"relay error"'))).toEqual([]);
      await expectIdle(lab, relay);
    },
    BUDGET_MS + 90_000,
  );

  it('leaves no token, challenge or password in any log line', () => {
    expect(relay.logs.length).toBeGreaterThan(100);
    expect(scanLogs(relay.logs, lab)).toEqual([]);
  });
});
