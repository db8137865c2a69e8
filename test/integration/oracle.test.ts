/**
 * Issue 11 item 1: the IWA relay is no NTLM password oracle. Real NTLM clients (python-gssapi
 * with gss-ntlmssp, NTLM inside SPNEGO) spray wrong passwords for one account from several
 * loopback source addresses, each attempt claiming another mailbox, and one of the guesses
 * comes by the password sign-in instead. The Apache CAS's own access log counts the
 * AUTHENTICATE messages that reached it: at most 4 for the account, whichever path they came
 * by. Afterwards the same user's Kerberos sign-in still works: a ticket is no guess.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_ACCOUNT_BACKOFF } from '../../src/backend/password/lockout.ts';
import { labLookup, negotiateRequest } from '../lab/clients.ts';
import { startRelayServer, type RelayServer } from './harness.ts';

const lab = inject('lab');
const WRONG = 'Not-Alices-Password-1';
const SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];

/**
 * Four guesses free, then the hold: the default policy's 30 s and 60 s waits between the 3rd
 * and 4th guesses (unit-tested with a fake clock) would only make this test slow, not different.
 */
const BUDGET = { ...DEFAULT_ACCOUNT_BACKOFF, freeFailures: 4 };

/**
 * Wrong passwords that reached the CAS on connections that asked for a URL holding `marker`:
 * mod_auth_gssapi logs each refused AUTHENTICATE as a failed `gss_accept_sec_context()` with
 * the client's port, and the access log (`… port=%{remote}p`) ties that port to our URL.
 */
async function refusedAtCas(marker: string, since: LogMarks): Promise<number> {
  const access = (await readFile(lab.logs.apacheAccess, 'utf8')).slice(since.access);
  const ports = new Set(
    access
      .split('\n')
      .filter((l) => l.includes(marker))
      .map((l) => /port=(\d+)$/.exec(l)?.[1]),
  );
  // Only what the CAS logged since the test began: other test files share this Apache, and an
  // ephemeral port of theirs may have matched one of ours earlier in the log.
  const errors = (await readFile(lab.logs.apacheError, 'utf8')).slice(since.error);
  return errors
    .split('\n')
    .filter((l) => l.includes('gss_accept_sec_context() failed'))
    .filter((l) => ports.has(/\[client 127\.0\.0\.1:(\d+)\]/.exec(l)?.[1])).length;
}

interface LogMarks {
  readonly access: number;
  readonly error: number;
}

/** Where the CAS's logs end now (in UTF-16 units of their text, as `slice` counts). */
async function logMarks(): Promise<LogMarks> {
  const [access, error] = await Promise.all([
    readFile(lab.logs.apacheAccess, 'utf8'),
    readFile(lab.logs.apacheError, 'utf8'),
  ]);
  return { access: access.length, error: error.length };
}

/** Requests with `marker` in their URL that the CAS answered with a 200. */
async function acceptedAtCas(marker: string): Promise<number> {
  const access = await readFile(lab.logs.apacheAccess, 'utf8');
  return access.split('\n').filter((l) => l.includes(marker) && /" 200 /.test(l)).length;
}

describe('the relay is no NTLM password oracle', () => {
  let relay: RelayServer;
  const marker = randomBytes(8).toString('hex');
  // A URL of our own per path, so the CAS's logs tell this test's requests apart.
  const relayUrl = `${lab.cas.ewsUrl}?oracle=${marker}`;
  const passwordUrl = `${lab.cas.ewsUrl}?oracle-password=${marker}`;

  beforeAll(async () => {
    relay = await startRelayServer(lab, { passwordLimits: { accountBackoff: BUDGET } });
    await relay.store.profiles.create({
      name: 'oracle',
      casUrl: relayUrl,
      casCa: lab.tls.caCertPem,
      methods: ['iwa'],
      domains: ['corp.test'],
    });
    await relay.store.profiles.create({
      name: 'oracle-password',
      casUrl: passwordUrl,
      casCa: lab.tls.caCertPem,
      methods: ['password'],
      mailboxes: ['pw1@corp.test', 'pw2@corp.test'],
    });
  });

  afterAll(async () => {
    await relay.close();
  });

  /** A relayed NTLM sign-in as alice with a wrong password, from `source`, claiming `mailbox`. */
  async function relayGuess(source: string, mailbox: string) {
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'ntlm',
      password: WRONG,
      url: relay.iwaUrl(mailbox),
      spnHost: lab.hosts.relay,
      sourceAddress: source,
    });
    return { status: r.status, body: JSON.parse(r.body ?? '{}') as Record<string, unknown> };
  }

  async function passwordGuess(source: string, mailbox: string) {
    const dispatcher = new Agent({
      connect: { ca: lab.tls.caCertPem, lookup: labLookup, localAddress: source },
    });
    try {
      const r = await request(`${relay.origin}/api/auth/password`, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mailbox, username: 'CORP\\alice', password: WRONG }),
      });
      return { status: r.statusCode, body: (await r.body.json()) as Record<string, unknown> };
    } finally {
      await dispatcher.close();
    }
  }

  it('at most 4 wrong passwords reach the CAS, by either path; then Kerberos still signs alice in', async () => {
    const since = await logMarks();
    const answers: { status: number | null; body: Record<string, unknown> }[] = [];
    answers.push(await relayGuess(SOURCES[0] ?? '', 'm0@corp.test'));
    answers.push(await relayGuess(SOURCES[1] ?? '', 'm1@corp.test'));
    answers.push(await passwordGuess(SOURCES[2] ?? '', 'pw1@corp.test'));
    for (let i = 0; i < 8; i++) {
      answers.push(await relayGuess(SOURCES[(i + 3) % SOURCES.length] ?? '', `m${i + 2}@corp.test`));
    }
    answers.push(await passwordGuess(SOURCES[5] ?? '', 'pw2@corp.test'));

    const codes = answers.map((a) => a.body.code);
    expect(codes.slice(0, 4)).toEqual(['AUTH_REJECTED', 'AUTH_REJECTED', 'AUTH_REJECTED', 'AUTH_REJECTED']);
    expect(codes.slice(4)).toEqual(Array<string>(8).fill('RATE_LIMITED'));
    for (const a of answers.slice(4)) expect(a.body).toMatchObject({ scope: 'account' });

    // Counted at the CAS: three relayed AUTHENTICATEs and one from the password sign-in.
    expect(await refusedAtCas(`oracle=${marker}`, since)).toBe(3);
    expect(await refusedAtCas(`oracle-password=${marker}`, since)).toBe(1);
    expect(await acceptedAtCas(marker)).toBe(0);

    // The audit trail names the account every NTLM attempt used, from every address.
    const rows = (await relay.store.audit.query({ limit: 100 })).filter((r) => r.method === 'iwa');
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.account))).toEqual(new Set(['CORP\\alice']));
    expect(new Set(rows.map((r) => r.clientAddress))).toEqual(new Set(SOURCES));

    // A ticket is no guess: alice's Kerberos sign-in is not held back by the NTLM failures.
    const kerberos = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'krb5',
      url: relay.iwaUrl(lab.users.alice.smtp),
      spnHost: lab.hosts.relay,
      sourceAddress: SOURCES[0] ?? '',
    });
    expect(kerberos.status).toBe(200);
    expect(JSON.parse(kerberos.body ?? '{}')).toMatchObject({
      mailbox: lab.users.alice.smtp,
      mechanism: 'kerberos',
    });
    expect(await refusedAtCas(marker, since)).toBe(4);
    expect(await acceptedAtCas(`oracle=${marker}`)).toBeGreaterThan(0);
  }, 120_000);
});
