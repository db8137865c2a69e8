/**
 * The domain-password sign-in (docs/architecture.md §3, interface.md `POST /api/auth/password`): the
 * backend itself authenticates to the effective profile's CAS with the user's Windows
 * credentials, NTLMv2 over one TLS connection, then runs the same identity probe as the IWA
 * relay, so a session is issued only for the mailbox the CAS proves.
 *
 * ```
 * backend                                                   Exchange CAS (EWS)
 *  POST GetFolder + Authorization: Negotiate <NEGOTIATE>  ─▶ 401 WWW-Authenticate: Negotiate <CHALLENGE>
 *  POST GetFolder + Authorization: Negotiate <AUTHENTICATE, NTLMv2 + MIC>  ─▶ 200 GetFolder answer
 *  POST ConvertId (same connection, no Authorization)     ─▶ 200 AlternateId/@Mailbox = proven SMTP
 * ```
 *
 * Raw NTLMSSP under the `Negotiate` scheme is what both IIS and the lab's Apache/gss-ntlmssp
 * take; when a CAS answers with an SPNEGO-wrapped CHALLENGE, the AUTHENTICATE goes back wrapped
 * too, with the mechListMIC MS-SPNG requires.
 *
 * Framework-free like the relay: the Fastify route validates the body and writes the reply.
 * The password lives in a {@link Secret}, is used once to compute the NTLMv2 response, and is
 * then dropped; it never reaches an error, a log line or the audit trail.
 *
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/ (MS-NLMP §3.1.5, §3.3.2)
 * @see https://www.rfc-editor.org/rfc/rfc4559 (HTTP Negotiate)
 * @module
 */

import type { X509Certificate } from 'node:crypto';
import { tlsServerEndPoint } from '../channel-binding.ts';
import { classifyLeg, classifyProbe } from '../../protocol/classify.ts';
import { IwaError } from '../../protocol/errors.ts';
import { formatNegotiate } from '../../protocol/http-auth.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { inspectNegotiateToken, type NegotiateTokenInfo } from '../../protocol/negotiate.ts';
import {
  buildAuthenticate,
  buildNegotiate,
  parseUserName,
  readServerChallenge,
  spnegoMechListMic,
  wrapSpnegoResponse,
  type NtlmCrypto,
  type NtlmUserName,
  type ServerChallenge,
} from '../../protocol/ntlm-client.ts';
import { toIwaError } from '../../protocol/parse-error.ts';
import { nodeNtlmCrypto } from '../ntlm-crypto.ts';
import { type IdentityProbe, ewsIdentityProbe } from '../relay/identity-probe.ts';
import type { RateLimitPolicy } from '../relay/rate-limit.ts';
import { casTarget } from '../relay/relay.ts';
import type { CasResponse, CasTarget, ConnectOptions } from '../cas/client.ts';
import type { Clock, Mechanism, Profile } from '../domain.ts';
import type { SignInPipeline, SignInReply } from '../sign-in/pipeline.ts';
import type { BackoffPolicy } from './lockout.ts';
import { addressKey, ntlmAccountKey } from '../limits/policy.ts';
import { MemoryLimitStore } from '../limits/store.ts';
import {
  AccountBudget,
  SignInLimits,
  limitKeys,
  type ChargedAccount,
  type LimitSettle,
} from '../limits/sign-in-limits.ts';
import type { Secret } from './secret.ts';

/** Every limit of the password sign-in. The numbers and why: `README.md` in this directory. */
export interface PasswordLimits {
  /** Attempts per client address, failed or not (token bucket). */
  readonly perAddress: RateLimitPolicy;
  /** Failure back-off per client address. */
  readonly addressBackoff: BackoffPolicy;
  /** Failure back-off per claimed mailbox and per AD account: the lockout guard. */
  readonly accountBackoff: BackoffPolicy;
  /** Password sign-ins talking to a CAS at the same time; each holds one TLS connection. */
  readonly maxInFlight: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
}

import { DEFAULT_PASSWORD_LIMITS } from '../limits/defaults.ts';

export { DEFAULT_PASSWORD_LIMITS };

/** The part of a pinned CAS connection (`CasClient.connect`) the sign-in uses; tests pass a fake CAS. */
export interface CasConnection {
  post(body: string, authorization?: string): Promise<CasResponse>;
  /** The certificate the CAS presented, once connected: what the AUTHENTICATE binds to. */
  peerCertificate?(): X509Certificate | undefined;
  destroy(): void;
}

export type ConnectCas = (target: CasTarget, options: ConnectOptions) => CasConnection;

export interface PasswordSignInDeps {
  /** Profile gate, session, audit, outcome metrics and reply: shared with the other methods. */
  readonly pipeline: SignInPipeline;
  readonly clock: Clock;
  /** The counters, shared with the relay (one budget per AD account). Default: this process. */
  readonly signInLimits?: SignInLimits;
  readonly limits?: Partial<PasswordLimits>;
  /** A pinned connection to the CAS: the app's `CasClient.connect`; tests pass a fake CAS. */
  readonly connect: ConnectCas;
  readonly identityProbe?: IdentityProbe;
  /** Default: {@link nodeNtlmCrypto}. */
  readonly crypto?: NtlmCrypto;
  /** The workstation name in the AUTHENTICATE message: what AD's logon events show as the source. */
  readonly workstation?: string;
  /** Errors that are not catalogue codes; never given the password. */
  readonly onInternalError?: (err: unknown) => void;
}

export interface PasswordRequest {
  readonly clientAddress: string;
  readonly mailbox: unknown;
  readonly username: string;
  /** Disposed by {@link PasswordSignIn.signIn} whatever happens. */
  readonly password: Secret;
}

export type PasswordReply = SignInReply;

/** How far an attempt got: decides whether it counts as a bad password (see `#settle`). */
type Stage = 'before-password' | 'password-sent' | 'credentials-accepted' | 'signed-in';

const DEFAULT_WORKSTATION = 'OUTLOOK-IWA';

/**
 * The password sign-in service. One instance per app: it owns the rate limiters and the
 * lockout counters.
 */
export class PasswordSignIn {
  readonly #deps: PasswordSignInDeps;
  readonly #limits: PasswordLimits;
  readonly #counters: SignInLimits;
  readonly #accounts: AccountBudget;
  readonly #probe: IdentityProbe;
  readonly #crypto: NtlmCrypto;
  readonly #connect: ConnectCas;
  #inFlight = 0;

  constructor(deps: PasswordSignInDeps) {
    this.#deps = deps;
    this.#limits = { ...DEFAULT_PASSWORD_LIMITS, ...deps.limits };
    this.#counters = deps.signInLimits ?? new SignInLimits(new MemoryLimitStore(deps.clock));
    this.#accounts = new AccountBudget(this.#counters, this.#limits.accountBackoff);
    this.#probe = deps.identityProbe ?? ewsIdentityProbe;
    this.#crypto = deps.crypto ?? nodeNtlmCrypto;
    this.#connect = deps.connect;
  }

  /** Sign-ins currently talking to a CAS. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * One sign-in attempt. Never throws: every failure becomes a catalogue error reply, and the
   * CAS connection is destroyed and the password dropped before this returns.
   */
  async signIn(req: PasswordRequest): Promise<PasswordReply> {
    let claimed: string | null = null;
    let profile: Profile | null = null;
    let stage: Stage = 'before-password';
    let keys: Keys | undefined;
    let connection: CasConnection | undefined;
    let counted = false;
    let proven: string | null = null;
    try {
      const mailbox = parseMailboxField(req.mailbox);
      claimed = mailbox;
      const name = parseUsernameField(req.username);
      const k: Keys = { address: addressKey(req.clientAddress), mailbox, account: undefined };
      keys = k;
      // Checked and charged in one atomic step, so parallel attempts cannot all pass the check
      // first (see lockout.ts). #settle refunds or clears these once we know how far the
      // attempt got.
      await this.#admit(k);
      counted = true;

      profile = await this.#deps.pipeline.profile(mailbox, 'password');
      if (this.#inFlight >= this.#limits.maxInFlight) {
        throw new IwaError('HANDSHAKE_CAPACITY', { limit: this.#limits.maxInFlight });
      }

      connection = this.#connect(casTarget(profile), {
        connectTimeoutMs: this.#limits.connectTimeoutMs,
        requestTimeoutMs: this.#limits.requestTimeoutMs,
        maxResponseBytes: this.#limits.maxResponseBytes,
      });
      // Counted once the connection exists: `finally` gives it back with the connection.
      this.#inFlight++;
      const conn = connection;
      const answer = await this.#authenticate(
        conn,
        profile,
        name,
        req.password,
        // The account the AUTHENTICATE names (a plain name takes the CHALLENGE's domain): its
        // budget is the relay's too. Charged before the password goes out.
        async (account) => {
          k.account = await this.#accounts.charge(account);
        },
        () => {
          stage = 'password-sent';
        },
      );
      stage = 'credentials-accepted';
      // docs/architecture.md §2: identity comes from the CAS, on the connection it just authenticated.
      proven = await this.#probe.prove(conn, answer, mailbox);
      const reply = await this.#deps.pipeline.succeed({
        method: 'password',
        clientAddress: req.clientAddress,
        claimed,
        mailbox: proven,
        mechanism: 'ntlm',
        profile,
      });
      stage = 'signed-in';
      return reply;
    } catch (err) {
      const error = this.#deps.pipeline.asIwaError(err);
      if (typeof error.details.proven === 'string') proven = error.details.proven;
      const mechanism: Mechanism | null = stage === 'before-password' ? null : 'ntlm';
      return await this.#deps.pipeline.fail(error, {
        method: 'password',
        clientAddress: req.clientAddress,
        claimed,
        mechanism,
        profile: profile?.name ?? null,
      });
    } finally {
      req.password.dispose();
      if (connection !== undefined) {
        connection.destroy();
        this.#inFlight--;
      }
      if (counted && keys !== undefined) await this.#settle(keys, stage, proven);
    }
  }

  /**
   * NEGOTIATE → CHALLENGE → AUTHENTICATE on `conn`, each leg carrying the probe's GetFolder.
   * Returns the CAS's 200 answer to the AUTHENTICATE leg.
   */
  async #authenticate(
    conn: CasConnection,
    profile: Profile,
    name: NtlmUserName,
    password: Secret,
    chargeAccount: (account: string) => Promise<void>,
    passwordSent: () => void,
  ): Promise<CasResponse> {
    const body = this.#probe.firstRequest();
    // MS-NLMP §3.1.5.1.1: keep the NEGOTIATE bytes, the MIC covers them.
    const negotiate = buildNegotiate();
    const first = await conn.post(body, formatNegotiate(negotiate));
    const challenge = readChallenge(first, inspectNegotiateToken(negotiate));

    // MS-NLMP §3.1.5.1.2 / §3.3.2: NTLMv2 with MIC (the CHALLENGE carries MsvAvTimestamp) and
    // MsvAvTargetName = the CAS's HTTP SPN. A plain user name takes the domain the CHALLENGE
    // announces (MsvAvNbDomainName): on a real CAS that is the AD domain it belongs to.
    // MsvAvChannelBindings: we are the TLS client, so we bind to the certificate we see, as
    // Windows does; a CAS with Extended Protection "Required" refuses an unbound response.
    const casCertificate = conn.peerCertificate?.();
    const channelBindings =
      casCertificate === undefined ? undefined : tlsServerEndPoint(casCertificate).applicationData;
    const auth = password.use((value) =>
      authenticateMessage({
        negotiate,
        challenge,
        // NetBIOS domain names are upper case; a DC hashes the domain as sent and accepts any
        // case, gss-ntlmssp compares against its own (upper-case) spelling, so send upper case.
        user: name.form === 'down-level' ? `${(name.domain ?? '').toUpperCase()}\\${name.user}` : name.user,
        password: value,
        workstation: this.#deps.workstation ?? DEFAULT_WORKSTATION,
        crypto: this.#crypto,
        targetName: `HTTP/${new URL(profile.casUrl).hostname}`,
        ...(channelBindings === undefined ? {} : { channelBindings }),
      }),
    );
    // The NTLMv2 response is computed: nothing needs the password any more.
    password.dispose();
    const token = challenge.spnego
      ? wrapSpnegoResponse(auth.message, spnegoMechListMic(this.#crypto, auth))
      : auth.message;
    auth.exportedSessionKey.fill(0);
    const sentInfo = inspectNegotiateToken(auth.message);
    const sent = sentInfo.ntlm;
    if (sent?.messageType === 'authenticate') await chargeAccount(ntlmAccountKey(sent.domain, sent.user));

    passwordSent();
    const second = await conn.post(body, formatNegotiate(token));
    const step = classifyLeg({
      ...second,
      clientToken: sentInfo,
      // We bound to the certificate the CAS presented on this very connection.
      ...(channelBindings === undefined ? {} : { endPoints: 'same' as const }),
    });
    if (step.kind === 'authenticated') return second;
    if (step.kind === 'continue') throw new IwaError('CAS_PROTOCOL_ERROR', { reason: 'ntlm-extra-leg' });
    if (step.error.code === 'AUTH_REJECTED') {
      // The user's own words for it. The typed user name is left out (people type passwords
      // there too), and so is the domain: for a plain name it is the CAS's NetBIOS domain from
      // the CHALLENGE, which an unauthenticated caller must not learn (issue 11).
      throw new IwaError(
        'AUTH_REJECTED',
        { reason: 'credentials-refused', usernameForm: name.form },
        'Exchange did not accept this user name and password.',
      );
    }
    throw step.error;
  }

  /** Rate limits and back-off, checked and charged before anything is sent. */
  async #admit(keys: Keys): Promise<void> {
    await this.#counters.admit([
      {
        kind: 'bucket',
        scope: 'address',
        key: limitKeys.passwordRate(keys.address),
        policy: this.#limits.perAddress,
        take: true,
      },
      {
        kind: 'backoff',
        scope: 'address',
        key: limitKeys.addressFailures(keys.address),
        policy: this.#limits.addressBackoff,
        charge: true,
      },
      {
        kind: 'backoff',
        scope: 'mailbox',
        key: limitKeys.passwordMailbox(keys.mailbox),
        policy: this.#limits.accountBackoff,
        charge: true,
      },
    ]);
  }

  /**
   * Turns the pessimistic charge into what happened:
   * - the password never went out (CAS unreachable, no Negotiate, bad CHALLENGE): refund all;
   * - it went out and no 200 came back: a bad password, as AD counts it; keep all;
   * - the CAS accepted the credentials but the probe failed or proved another mailbox: AD
   *   cleared the account's count, so do we; the claimed mailbox was not guessed at, so refund
   *   it; the address keeps its charge (claiming someone else's mailbox is suspicious);
   * - signed in: clear the account and the mailbox; the address gets this attempt's charge
   *   back but nothing more: one account's success says nothing about the address's others.
   */
  async #settle(keys: Keys, stage: Stage, proven: string | null): Promise<void> {
    const address = limitKeys.addressFailures(keys.address);
    const mailbox = limitKeys.passwordMailbox(keys.mailbox);
    const ops: LimitSettle[] = [];
    switch (stage) {
      case 'before-password':
        ops.push({ op: 'refund', key: address }, { op: 'refund', key: mailbox });
        if (keys.account !== undefined) ops.push(...this.#accounts.refund(keys.account));
        break;
      case 'password-sent':
        break;
      case 'credentials-accepted':
        ops.push({ op: 'refund', key: mailbox });
        if (keys.account !== undefined) ops.push(...this.#accounts.succeeded(keys.account, proven));
        break;
      case 'signed-in':
        ops.push({ op: 'refund', key: address }, { op: 'clear', key: mailbox });
        if (keys.account !== undefined) ops.push(...this.#accounts.succeeded(keys.account, proven));
        break;
    }
    try {
      await this.#counters.settle(ops);
    } catch (err) {
      this.#deps.onInternalError?.(err);
    }
  }
}

interface Keys {
  readonly address: string;
  readonly mailbox: string;
  /** Set once the account is charged: what {@link AccountBudget.charge} returned. */
  account: ChargedAccount | undefined;
}

/** `MAILBOX_INVALID`, with `field` so the add-in can show the error next to it. */
function parseMailboxField(value: unknown): string {
  try {
    return parseMailbox(value);
  } catch (err) {
    if (err instanceof IwaError) throw new IwaError(err.code, { ...err.details, field: 'mailbox' });
    throw err;
  }
}

/**
 * `alice`, `CORP\alice` or `alice@corp.test` (MS-NLMP §3.1.5.1.2 UserName/UserDom), split by
 * the NTLM client; `INPUT_INVALID` `{field: 'username'}` otherwise.
 */
function parseUsernameField(value: string): NtlmUserName {
  try {
    return parseUserName(value);
  } catch (err) {
    // Only a ProtocolInputError `{field: 'username', reason}` comes out: INPUT_INVALID.
    throw toIwaError(err, 'CAS_PROTOCOL_ERROR');
  }
}

/** {@link buildAuthenticate}, its errors mapped: a bad CHALLENGE is the CAS's, a long field ours. */
function authenticateMessage(
  options: Parameters<typeof buildAuthenticate>[0],
): ReturnType<typeof buildAuthenticate> {
  try {
    return buildAuthenticate(options);
  } catch (err) {
    throw toIwaError(err, 'CAS_PROTOCOL_ERROR');
  }
}

/**
 * The CHALLENGE from the CAS's answer to our NEGOTIATE, or the error that explains why
 * there is none: `CAS_NO_NEGOTIATE` when Windows authentication is off, or on when the CAS
 * refuses NTLM (a Kerberos-only Negotiate), `CAS_PROTOCOL_ERROR` for a 2xx (no authentication
 * at all: nothing would be proven) or any other status.
 */
function readChallenge(answer: CasResponse, clientToken: NegotiateTokenInfo): ServerChallenge {
  if (answer.status >= 200 && answer.status < 300) {
    throw new IwaError('CAS_PROTOCOL_ERROR', { reason: 'no-authentication-required' });
  }
  if (answer.status === 401) {
    const offer = classifyProbe(answer);
    if (offer.kind === 'error') throw offer.error;
    const step = classifyLeg({ ...answer, clientToken });
    if (step.kind === 'continue') {
      // The token was inspected once, by classifyLeg; the NTLM client reads that result.
      if (step.serverToken === undefined) throw toIwaError(step.serverTokenError, 'CAS_PROTOCOL_ERROR');
      try {
        return readServerChallenge(step.token, step.serverToken);
      } catch (err) {
        throw toIwaError(err, 'CAS_PROTOCOL_ERROR');
      }
    }
    if (step.kind === 'error' && step.error.code !== 'AUTH_REJECTED') throw step.error;
    throw new IwaError(
      'CAS_NO_NEGOTIATE',
      { reason: 'ntlm-refused', offered: offer.schemes },
      'Exchange does not accept NTLM, which the password sign-in needs.',
    );
  }
  const step = classifyLeg({ ...answer, clientToken });
  throw step.kind === 'error'
    ? step.error
    : new IwaError('CAS_PROTOCOL_ERROR', { reason: 'unexpected-status', status: answer.status });
}
