/**
 * The password sign-in service (src/backend/password/sign-in.ts) against a fake CAS that
 * really verifies NTLMv2 (MS-NLMP §3.3.2: NTProofStr = HMAC_MD5(NTOWFv2, ServerChallenge ‖
 * temp)) and answers EWS with the lab stand-in's pure logic. Fake clock, fake store.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeNtlmCrypto } from '../../src/backend/ntlm-crypto.ts';
import { Secret } from '../../src/backend/password/secret.ts';
import {
  PasswordSignIn,
  type CasConnection,
  type PasswordLimits,
  type PasswordReply,
} from '../../src/backend/password/sign-in.ts';
import type { CasResponse as UpstreamResponse } from '../../src/backend/cas/client.ts';
import { SignInPipeline } from '../../src/backend/sign-in/pipeline.ts';
import type { AuditEntry, Profile } from '../../src/backend/domain.ts';
import { IwaError } from '../../src/protocol/errors.ts';
import { AvId } from '../../src/protocol/ntlm.ts';
import {
  encodeAvPairs,
  parseSpnegoResponse,
  toFiletime,
  wrapSpnegoResponse,
} from '../../src/protocol/ntlm-client.ts';
import { ntowfV2, utf16le } from '../../src/protocol/ntlm-crypto.ts';
import { answerEws } from '../lab/ews-xml.ts';

const PASSWORDS: Record<string, string> = { alice: 'Alice-Pa55word!', bob: 'Bob-Pa55word!' };
const WRONG = 'Wrong-Pa55word?';
/** For attempts refused before any password is checked. */
const OTHER = 'Other-Pa55word#';

// ---------------------------------------------------------------------------------- fake CAS

const SERVER_CHALLENGE = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

/** A CHALLENGE_MESSAGE (MS-NLMP §2.2.1.2) for domain CORP with a timestamp, so a MIC is due. */
function challengeMessage(): Uint8Array {
  const targetName = utf16le('CORP');
  const info = encodeAvPairs([
    { id: AvId.MsvAvNbDomainName, value: utf16le('CORP') },
    { id: AvId.MsvAvNbComputerName, value: utf16le('CAS') },
    { id: AvId.MsvAvTimestamp, value: toFiletime(new Date(Date.UTC(2025, 0, 1))) },
  ]);
  const header = 56;
  const out = new Uint8Array(header + targetName.length + info.length);
  const v = new DataView(out.buffer);
  out.set([0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0], 0);
  v.setUint32(8, 2, true);
  v.setUint16(12, targetName.length, true);
  v.setUint16(14, targetName.length, true);
  v.setUint32(16, header, true);
  v.setUint32(20, 0xe28a8215, true);
  out.set(SERVER_CHALLENGE, 24);
  v.setUint16(40, info.length, true);
  v.setUint16(42, info.length, true);
  v.setUint32(44, header + targetName.length, true);
  out.set([10, 0, 0x61, 0x4a, 0, 0, 0, 0x0f], 48);
  out.set(targetName, header);
  out.set(info, header + targetName.length);
  return out;
}

function field(msg: Uint8Array, at: number): Uint8Array {
  const v = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  const len = v.getUint16(at, true);
  const off = v.getUint32(at + 4, true);
  return msg.subarray(off, off + len);
}

function decodeUtf16(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf16le');
}

interface FakeCasOptions {
  /** How the CAS answers the NEGOTIATE leg. */
  first?:
    | 'challenge'
    | 'spnego-challenge'
    | 'basic-only'
    | 'bare-negotiate'
    | 'ok'
    | 'server-error'
    | 'garbage-challenge'
    | 'oem-challenge';
  /** Throw this from the first post (a transport failure, or a bug). */
  fail?: Error;
  /** Resolve the AUTHENTICATE leg only when this promise does. */
  gate?: Promise<void>;
}

class FakeCas implements CasConnection {
  readonly posts: { authorization: string | undefined }[] = [];
  destroyed = false;
  user: string | undefined;
  spnegoAuthenticate: { mechListMic: boolean } | undefined;
  readonly #opts: FakeCasOptions;

  constructor(opts: FakeCasOptions = {}) {
    this.#opts = opts;
  }

  async post(body: string, authorization?: string): Promise<UpstreamResponse> {
    if (this.destroyed) throw new Error('post after destroy');
    this.posts.push({ authorization });
    if (this.#opts.fail !== undefined) throw this.#opts.fail;
    const ans = (status: number, www: string[], text = ''): UpstreamResponse => ({
      status,
      wwwAuthenticate: www,
      contentType: 'text/xml',
      body: text,
    });
    if (authorization === undefined) {
      if (this.user === undefined) return ans(401, ['Negotiate']);
      const a = answerEws(body, `CORP\\${this.user}`);
      return ans(a.status, [], a.body);
    }
    let token: Uint8Array = Buffer.from(authorization.replace(/^Negotiate /, ''), 'base64');
    if (token[0] !== 0x4e) {
      const resp = parseSpnegoResponse(token);
      this.spnegoAuthenticate = { mechListMic: resp.mechListMic !== undefined };
      token = resp.responseToken ?? new Uint8Array(0);
    }
    const type = new DataView(token.buffer, token.byteOffset).getUint32(8, true);
    if (type === 1) {
      switch (this.#opts.first ?? 'challenge') {
        case 'basic-only':
          return ans(401, ['Basic realm="cas"']);
        case 'bare-negotiate':
          return ans(401, ['Negotiate']);
        case 'ok':
          return ans(200, [], answerEws(body, 'CORP\\alice').body);
        case 'server-error':
          return ans(500, []);
        case 'spnego-challenge':
          return ans(401, [
            `Negotiate ${Buffer.from(wrapSpnegoResponse(challengeMessage())).toString('base64')}`,
          ]);
        case 'challenge':
          return ans(401, [`Negotiate ${Buffer.from(challengeMessage()).toString('base64')}`]);
        case 'garbage-challenge':
          return ans(401, ['Negotiate AQID']);
        case 'oem-challenge': {
          const oem = challengeMessage();
          oem[20] = (oem[20] ?? 0) & ~0x01; // NEGOTIATE_UNICODE off
          return ans(401, [`Negotiate ${Buffer.from(oem).toString('base64')}`]);
        }
      }
    }
    await this.#opts.gate;
    // AUTHENTICATE: verify NTProofStr the way a DC does.
    const nt = field(token, 20);
    const domain = decodeUtf16(field(token, 28));
    const user = decodeUtf16(field(token, 36));
    // A UPN comes with an empty domain, as Windows sends it; the DC resolves it.
    const upn = domain === '' && user.toLowerCase().endsWith('@corp.test');
    const login = upn ? user.toLowerCase().slice(0, -'@corp.test'.length) : user.toLowerCase();
    const password = PASSWORDS[login];
    if (password !== undefined && (domain === 'CORP' || upn)) {
      const key = ntowfV2(nodeNtlmCrypto, password, user, domain);
      const proof = nodeNtlmCrypto.hmacMd5(key, Buffer.concat([SERVER_CHALLENGE, nt.subarray(16)]));
      if (Buffer.from(proof).equals(Buffer.from(nt.subarray(0, 16)))) {
        this.user = login;
        const a = answerEws(body, `CORP\\${login}`);
        return ans(a.status, [], a.body);
      }
    }
    return ans(401, ['Negotiate']);
  }

  destroy(): void {
    this.destroyed = true;
  }
}

// ---------------------------------------------------------------------------------- harness

function fakeClock() {
  let now = Date.UTC(2025, 0, 1);
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

function profile(name: string, methods: Profile['methods']): Profile {
  return {
    name,
    description: '',
    methods,
    casUrl: 'https://cas.corp.test/EWS/Exchange.asmx',
    casCa: null,
    sessionTtlSeconds: 3600,
    idleTtlSeconds: 600,
    isDefault: false,
    domains: [],
    mailboxes: [],
    precedence: 0,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
}

function setup(opts: { cas?: FakeCasOptions; limits?: Partial<PasswordLimits> } = {}) {
  const clock = fakeClock();
  const audits: AuditEntry[] = [];
  const sessions: { mailbox: string; profile: string }[] = [];
  const connections: FakeCas[] = [];
  const internal: unknown[] = [];
  const outcomes: string[] = [];
  const service = new PasswordSignIn({
    clock,
    limits: opts.limits,
    connect: (target) => {
      expect(target.url.href).toBe('https://cas.corp.test/EWS/Exchange.asmx');
      const c = new FakeCas(opts.cas);
      connections.push(c);
      return c;
    },
    onInternalError: (err) => internal.push(err),
    pipeline: new SignInPipeline({
      clock,
      metrics: { outcome: (method, reason) => outcomes.push(`${method} ${reason}`) },
      onInternalError: (err) => internal.push(err),
      store: {
        effectiveProfile: (mailbox) => {
          const domain = mailbox.split('@')[1];
          if (domain === 'corp.test') {
            const p =
              mailbox === 'gina@corp.test' ? profile('iwa-only', ['iwa']) : profile('lab', ['password']);
            return Promise.resolve({ profile: p, match: 'domain', reason: 'test' });
          }
          return Promise.resolve(null);
        },
        succeeded: ({ mailbox, method, mechanism, profile: p }, entry) => {
          sessions.push({ mailbox, profile: p.name });
          audits.push(entry);
          return Promise.resolve({
            token: `sid.${String(sessions.length)}`,
            session: {
              id: 'sid',
              mailbox,
              method,
              mechanism,
              profile: p.name,
              createdAt: clock.now(),
              lastSeenAt: clock.now(),
              expiresAt: new Date(clock.now().getTime() + 3600_000),
              idleExpiresAt: new Date(clock.now().getTime() + 600_000),
            },
          });
        },
        audit: (entry) => {
          audits.push(entry);
          return Promise.resolve();
        },
      },
    }),
  });
  const signIn = async (mailbox: unknown, username: string, password: string, clientAddress = '10.0.0.1') => {
    const secret = new Secret(password);
    const reply = await service.signIn({ clientAddress, mailbox, username, password: secret });
    expect(secret.disposed).toBe(true);
    expect(JSON.stringify(reply)).not.toContain(password);
    return reply;
  };
  return { service, clock, audits, sessions, connections, internal, outcomes, signIn };
}

function code(reply: PasswordReply): unknown {
  return 'code' in reply.body ? reply.body.code : undefined;
}

// ---------------------------------------------------------------------------------- tests

describe('PasswordSignIn', () => {
  it('signs alice in: NEGOTIATE, AUTHENTICATE with the GetFolder body, ConvertId; session and audit', async () => {
    const t = setup();
    const r = await t.signIn('Alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      token: 'sid.1',
      mailbox: 'alice@corp.test',
      method: 'password',
      mechanism: 'ntlm',
      expiresAt: '2025-01-01T01:00:00.000Z',
    });
    expect(t.sessions).toEqual([{ mailbox: 'alice@corp.test', profile: 'lab' }]);
    const [conn] = t.connections;
    // Two legs with Authorization, then the identity probe's ConvertId without.
    expect(conn?.posts.map((p) => p.authorization?.split(' ')[0])).toEqual([
      'Negotiate',
      'Negotiate',
      undefined,
    ]);
    expect(conn?.destroyed).toBe(true);
    expect(t.audits).toEqual([
      expect.objectContaining({
        claimedMailbox: 'alice@corp.test',
        provenMailbox: 'alice@corp.test',
        method: 'password',
        mechanism: 'ntlm',
        outcome: 'success',
        reason: 'OK',
        profile: 'lab',
      }),
    ]);
    expect(t.outcomes).toEqual(['password OK']);
    expect(t.service.inFlight).toBe(0);
  });

  it("a plain user name takes the CHALLENGE's NetBIOS domain (CORP here, as a real CAS announces)", async () => {
    const t = setup();
    expect((await t.signIn('alice@corp.test', 'alice', PASSWORDS.alice ?? '')).status).toBe(200);
    expect((await t.signIn('bob@corp.test', 'corp\\bob', PASSWORDS.bob ?? '')).status).toBe(200);
  });

  it('answers an SPNEGO-wrapped CHALLENGE in SPNEGO, with a mechListMIC', async () => {
    const t = setup({ cas: { first: 'spnego-challenge' } });
    expect((await t.signIn('alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '')).status).toBe(200);
    expect(t.connections[0]?.spnegoAuthenticate).toEqual({ mechListMic: true });
  });

  it("a wrong password is AUTH_REJECTED without the CAS's NetBIOS domain, with an audit row and no password", async () => {
    const t = setup();
    const r = await t.signIn('alice@corp.test', 'CORP\\alice', WRONG);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({
      code: 'AUTH_REJECTED',
      reason: 'credentials-refused',
      usernameForm: 'down-level',
    });
    expect(r.body).not.toHaveProperty('user');
    expect(r.body).not.toHaveProperty('domain');
    expect(r.headers).toEqual({ 'cache-control': 'no-store' });
    expect(t.outcomes).toEqual(['password AUTH_REJECTED']);
    expect(t.sessions).toEqual([]);
    expect(t.audits).toEqual([
      expect.objectContaining({ reason: 'AUTH_REJECTED', outcome: 'failure', mechanism: 'ntlm' }),
    ]);
    expect(JSON.stringify(t.audits)).not.toContain(WRONG);
    expect(t.connections[0]?.destroyed).toBe(true);
  });

  it("alice's credentials claiming bob: IDENTITY_MISMATCH {claimed, proven}, no session", async () => {
    const t = setup();
    const r = await t.signIn('bob@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '');
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      code: 'IDENTITY_MISMATCH',
      claimed: 'bob@corp.test',
      proven: 'alice@corp.test',
    });
    expect(t.sessions).toEqual([]);
    expect(t.audits[0]).toMatchObject({ provenMailbox: 'alice@corp.test', reason: 'IDENTITY_MISMATCH' });
  });

  it.each([
    [{ first: 'basic-only' } as const, 'CAS_NO_NEGOTIATE', { offered: ['Basic'] }],
    [{ first: 'bare-negotiate' } as const, 'CAS_NO_NEGOTIATE', { reason: 'ntlm-refused' }],
    [{ first: 'ok' } as const, 'CAS_PROTOCOL_ERROR', { reason: 'no-authentication-required' }],
    [{ first: 'server-error' } as const, 'CAS_PROTOCOL_ERROR', { reason: 'server-error' }],
    // A CHALLENGE the one inspection cannot read, or the client cannot answer.
    [
      { first: 'garbage-challenge' } as const,
      'CAS_PROTOCOL_ERROR',
      { reason: 'negotiate-unrecognised-token' },
    ],
    [{ first: 'oem-challenge' } as const, 'CAS_PROTOCOL_ERROR', { reason: 'ntlm-challenge-no-unicode' }],
    [{ fail: new IwaError('CAS_UNREACHABLE', { reason: 'tcp-refused' }) }, 'CAS_UNREACHABLE', {}],
    [
      { fail: new IwaError('CAS_TLS_UNTRUSTED', { reason: 'self_signed_cert_in_chain' }) },
      'CAS_TLS_UNTRUSTED',
      {},
    ],
  ])('CAS trouble before the password goes out (%j) → %s, refunded', async (cas, expected, details) => {
    const t = setup({
      cas,
      limits: {
        accountBackoff: {
          freeFailures: 1,
          baseDelayMs: 60_000,
          maxDelayMs: 60_000,
          holdAfterFailures: 2,
          quietMs: 600_000,
        },
      },
    });
    for (let i = 0; i < 3; i++) {
      const r = await t.signIn('alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '');
      expect(r.body).toMatchObject({ code: expected, ...details });
    }
    // Nothing was counted against alice: no password reached the CAS.
    expect(t.connections).toHaveLength(3);
    expect(t.connections.every((c) => c.destroyed)).toBe(true);
    expect(t.audits.map((a) => a.mechanism)).toEqual([null, null, null]);
  });

  it('refuses before any connection: bad mailbox, bad user name, no profile, method disabled', async () => {
    const t = setup();
    expect((await t.signIn('nope', 'CORP\\alice', OTHER)).body).toMatchObject({
      code: 'MAILBOX_INVALID',
      field: 'mailbox',
    });
    expect((await t.signIn(undefined, 'CORP\\alice', OTHER)).body).toMatchObject({ code: 'MAILBOX_INVALID' });
    expect((await t.signIn('alice@corp.test', '\\alice', OTHER)).body).toMatchObject({
      code: 'INPUT_INVALID',
      field: 'username',
    });
    expect((await t.signIn('zed@else.test', 'CORP\\zed', OTHER)).body).toMatchObject({
      code: 'PROFILE_NOT_FOUND',
    });
    expect((await t.signIn('gina@corp.test', 'CORP\\gina', OTHER)).body).toMatchObject({
      code: 'METHOD_DISABLED',
      method: 'password',
      profile: 'iwa-only',
    });
    expect(t.connections).toEqual([]);
    expect(t.audits.map((a) => [a.reason, a.method])).toEqual([
      ['MAILBOX_INVALID', 'password'],
      ['MAILBOX_INVALID', 'password'],
      ['INPUT_INVALID', 'password'],
      ['PROFILE_NOT_FOUND', 'password'],
      ['METHOD_DISABLED', 'password'],
    ]);
  });

  describe('lockout protection', () => {
    it('per mailbox: 2 failures, then RATE_LIMITED with Retry-After, even for the right password', async () => {
      const t = setup();
      expect(code(await t.signIn('alice@corp.test', 'CORP\\alice', WRONG))).toBe('AUTH_REJECTED');
      expect(code(await t.signIn('alice@corp.test', 'CORP\\alice', WRONG))).toBe('AUTH_REJECTED');
      const limited = await t.signIn('alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '');
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', scope: 'mailbox', retryAfterSeconds: 30 });
      expect(limited.headers).toEqual({ 'cache-control': 'no-store', 'retry-after': '30' });
      expect(t.connections).toHaveLength(2);
      expect(t.audits.at(-1)).toMatchObject({ reason: 'RATE_LIMITED', mechanism: null });

      t.clock.advance(30_000);
      expect(code(await t.signIn('alice@corp.test', 'CORP\\alice', WRONG))).toBe('AUTH_REJECTED');
      expect((await t.signIn('alice@corp.test', 'CORP\\alice', WRONG)).body).toMatchObject({
        retryAfterSeconds: 60,
      });
      t.clock.advance(60_000);
      expect(code(await t.signIn('alice@corp.test', 'CORP\\alice', WRONG))).toBe('AUTH_REJECTED');
      // Four bad passwords: hold for the whole quiet period.
      expect((await t.signIn('alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '')).body).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: 30 * 60,
      });
      t.clock.advance(30 * 60_000);
      expect((await t.signIn('alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '')).status).toBe(200);
    });

    it('per account: every mailbox claim and name form of one AD account share its counter', async () => {
      const t = setup();
      await t.signIn('alice@corp.test', 'CORP\\alice', WRONG);
      // A plain name takes the CHALLENGE's domain: the same CORP\alice.
      await t.signIn('bob@corp.test', 'alice', WRONG);
      expect((await t.signIn('carol.smith@corp.test', 'corp\\ALICE', WRONG)).body).toMatchObject({
        code: 'RATE_LIMITED',
        scope: 'account',
      });
    });

    it("another domain's alice is another account, and her success never resets this one", async () => {
      const t = setup();
      await t.signIn('a1@corp.test', 'CORP\\alice', WRONG);
      await t.signIn('a2@corp.test', 'CORP\\alice', WRONG);
      // LAB\alice has a budget of her own (the fake CAS refuses every other domain).
      expect(code(await t.signIn('a3@corp.test', 'LAB\\alice', WRONG))).toBe('AUTH_REJECTED');
      expect((await t.signIn('a4@corp.test', 'CORP\\alice', WRONG)).body).toMatchObject({
        code: 'RATE_LIMITED',
        scope: 'account',
      });
    });

    it("a success on one account gives back its own charge only: the address's failures stay", async () => {
      const t = setup({
        limits: {
          addressBackoff: {
            freeFailures: 3,
            baseDelayMs: 10_000,
            maxDelayMs: 10_000,
            holdAfterFailures: Infinity,
            quietMs: 600_000,
          },
        },
      });
      for (const m of ['a1', 'a2', 'a3']) await t.signIn(`${m}@corp.test`, `CORP\\${m}`, WRONG);
      t.clock.advance(10_000);
      expect((await t.signIn('alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '')).status).toBe(200);
      // Still 3 failures on the address: the next attempt waits, as it did before the success.
      expect((await t.signIn('a4@corp.test', 'CORP\\a4', WRONG)).body).toMatchObject({
        code: 'RATE_LIMITED',
        scope: 'address',
      });
    });

    it('a UPN and DOMAIN\\user of one person share one budget once a success proved the mailbox', async () => {
      const t = setup();
      const right = PASSWORDS.alice ?? '';
      expect((await t.signIn('alice@corp.test', 'alice@corp.test', right)).status).toBe(200);
      expect((await t.signIn('alice@corp.test', 'CORP\\alice', right)).status).toBe(200);
      await t.signIn('m1@corp.test', 'CORP\\alice', WRONG);
      await t.signIn('m2@corp.test', 'CORP\\alice', WRONG);
      // The UPN's own counter is clean, but alice's mailbox budget has two failures.
      expect((await t.signIn('m3@corp.test', 'alice@corp.test', WRONG)).body).toMatchObject({
        code: 'RATE_LIMITED',
        scope: 'account',
      });
    });

    it('a success clears the counters; a mismatch clears the account but not a guessed mailbox', async () => {
      const t = setup();
      await t.signIn('alice@corp.test', 'CORP\\alice', WRONG);
      expect((await t.signIn('alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '')).status).toBe(200);
      await t.signIn('alice@corp.test', 'CORP\\alice', WRONG);
      expect(code(await t.signIn('alice@corp.test', 'CORP\\alice', WRONG))).toBe('AUTH_REJECTED');

      await t.signIn('bob@corp.test', 'CORP\\bob', WRONG);
      t.clock.advance(30_000);
      expect(code(await t.signIn('bob@corp.test', 'CORP\\alice', PASSWORDS.alice ?? ''))).toBe(
        'IDENTITY_MISMATCH',
      );
      // alice's accepted credentials cleared her account's count, as AD does.
      await t.signIn('zed@corp.test', 'CORP\\alice', WRONG);
      expect(code(await t.signIn('zed@corp.test', 'CORP\\alice', WRONG))).toBe('AUTH_REJECTED');
      // bob's mailbox kept its failure: one more and it waits.
      expect(code(await t.signIn('bob@corp.test', 'CORP\\bob', WRONG))).toBe('AUTH_REJECTED');
      expect((await t.signIn('bob@corp.test', 'CORP\\bob', WRONG)).body).toMatchObject({
        code: 'RATE_LIMITED',
        scope: 'mailbox',
      });
    });

    it('parallel attempts cannot slip past: only the free failures reach the CAS', async () => {
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const t = setup({ cas: { gate } });
      const replies = Array.from({ length: 6 }, () => t.signIn('alice@corp.test', 'CORP\\alice', WRONG));
      await new Promise((r) => setTimeout(r, 10));
      open();
      const codes = (await Promise.all(replies)).map(code);
      expect(codes.filter((c) => c === 'AUTH_REJECTED')).toHaveLength(2);
      expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(4);
      expect(t.connections).toHaveLength(2);
    });

    it('per address: a token bucket over all attempts, and back-off on failures across accounts', async () => {
      const t = setup({
        limits: {
          perAddress: { burst: 3, perMinute: 1 },
        },
      });
      for (const user of ['alice', 'bob', 'carol']) await t.signIn('zed@else.test', `CORP\\${user}`, OTHER);
      expect((await t.signIn('zed@else.test', 'CORP\\dave', OTHER)).body).toMatchObject({
        code: 'RATE_LIMITED',
        scope: 'address',
        retryAfterSeconds: 60,
      });
      // Another address is not affected.
      expect(code(await t.signIn('zed@else.test', 'CORP\\dave', OTHER, '10.0.0.2'))).toBe(
        'PROFILE_NOT_FOUND',
      );

      const s = setup({
        limits: {
          addressBackoff: {
            freeFailures: 3,
            baseDelayMs: 10_000,
            maxDelayMs: 10_000,
            holdAfterFailures: Infinity,
            quietMs: 600_000,
          },
        },
      });
      for (const m of ['a1', 'a2', 'a3']) await s.signIn(`${m}@corp.test`, `CORP\\${m}`, WRONG);
      expect((await s.signIn('a4@corp.test', 'CORP\\a4', WRONG)).body).toMatchObject({
        code: 'RATE_LIMITED',
        scope: 'address',
        retryAfterSeconds: 10,
      });
    });

    it('HANDSHAKE_CAPACITY when too many sign-ins talk to a CAS at once', async () => {
      let open = (): void => undefined;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const t = setup({ cas: { gate }, limits: { maxInFlight: 1 } });
      const first = t.signIn('alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '');
      await new Promise((r) => setTimeout(r, 5));
      expect(code(await t.signIn('bob@corp.test', 'CORP\\bob', PASSWORDS.bob ?? ''))).toBe(
        'HANDSHAKE_CAPACITY',
      );
      open();
      expect((await first).status).toBe(200);
      expect(t.service.inFlight).toBe(0);
    });
  });

  it('an unexpected failure is INTERNAL, reported without the password, and still cleans up', async () => {
    const t = setup({ cas: { fail: new Error('boom') } });
    const r = await t.signIn('alice@corp.test', 'CORP\\alice', PASSWORDS.alice ?? '');
    expect(r.body).toMatchObject({ code: 'INTERNAL' });
    expect(t.internal).toHaveLength(1);
    expect(t.connections[0]?.destroyed).toBe(true);
  });
});

describe('Secret', () => {
  it('never prints its value, and forgets it on dispose', () => {
    const s = new Secret('hunter2-secret');
    const shown = [String(s), s.toString(), JSON.stringify({ s }), inspect({ s }), inspect(s)];
    for (const text of shown) expect(text).not.toContain('hunter2');
    expect(s.use((v) => v.length)).toBe(14);
    s.dispose();
    expect(s.disposed).toBe(true);
    expect(() => s.use((v) => v)).toThrow('disposed');
  });
});
