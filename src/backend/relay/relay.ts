import type { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import { IwaError } from '../../protocol/errors.ts';
import type { ErrorCode } from '../../protocol/errors.ts';
import type { Clock, Profile } from '../domain.ts';
import { errorReply, type SignInPipeline, type SignInReply } from '../sign-in/pipeline.ts';
import { HandshakeTable } from './handshakes.ts';
import type { EndReason, Handshake } from './handshakes.ts';
import { type IdentityProbe, ewsIdentityProbe } from './identity-probe.ts';
import type { RateLimitPolicy } from './rate-limit.ts';
import type { BackoffPolicy } from '../password/lockout.ts';
import { addressKey, ntlmAccountKey, ntlmAccountLabel } from '../limits/policy.ts';
import { MemoryLimitStore } from '../limits/store.ts';
import { AccountBudget, SignInLimits, limitKeys, type LimitSettle } from '../limits/sign-in-limits.ts';
import type { CasClient, CasTarget } from '../cas/client.ts';
import { compareCertificates } from '../channel-binding.ts';
import { classifyLeg, classifyProbe, ntlmTargetAllowed } from '../../protocol/classify.ts';
import { formatNegotiate, isScheme, negotiateToken, parseAuthorization } from '../../protocol/http-auth.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { inspectNegotiateToken, type NegotiateTokenInfo } from '../../protocol/negotiate.ts';
import { toIwaError } from '../../protocol/parse-error.ts';

export interface RelayLimits {
  /** Longest `Authorization` header accepted, in bytes. Kerberos tickets with big PACs reach ~12 KiB. */
  readonly maxAuthorizationBytes: number;
  /** Legs per handshake: Kerberos needs 1, NTLM 2 after the probe. */
  readonly maxLegs: number;
  readonly handshakeTtlMs: number;
  readonly maxHandshakes: number;
  /** Open handshakes per client address (IPv6: per /64), so probe legs cannot fill the table. */
  readonly maxHandshakesPerAddress: number;
  /** Handshakes started per client address (token bucket). */
  readonly perAddress: RateLimitPolicy;
  /** Failed sign-ins claiming one mailbox (token bucket, taken only on a failure). */
  readonly perMailbox: RateLimitPolicy;
  /** Bad-password budget per AD account: the password sign-in's, the same counters. */
  readonly accountBackoff: BackoffPolicy;
  /** Failed NTLM attempts per client address: the password sign-in's, the same counters. */
  readonly addressBackoff: BackoffPolicy;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
}

import { DEFAULT_RELAY_LIMITS } from '../limits/defaults.ts';

export { DEFAULT_RELAY_LIMITS };

export interface RelayMetrics {
  handshakes(inFlight: number): void;
  legSeconds(seconds: number): void;
}

export interface RelayDeps {
  /** Profile gate, session, audit, outcome metrics and reply: shared with the other methods. */
  readonly pipeline: SignInPipeline;
  readonly clock: Clock;
  readonly limits?: Partial<RelayLimits>;
  /** The counters, shared with the password sign-in. Default: this process. */
  readonly signInLimits?: SignInLimits;
  /** The app's one client for CAS connections. */
  readonly cas: CasClient;
  readonly metrics?: RelayMetrics;
  readonly identityProbe?: IdentityProbe;
  /** The certificate browsers see (ours): compared with the CAS's to recognise Extended Protection. */
  readonly servingCertificate?: () => X509Certificate | undefined;
  /** Our public host name: the only service, besides the CAS, a relayed NTLM AUTHENTICATE may name. */
  readonly publicHost?: string;
  /** Errors the relay cannot turn into a catalogue code; never given a token. */
  readonly onInternalError?: (err: unknown) => void;
}

export interface LegRequest {
  /** The browser's connection: the handshake's key. */
  readonly socket: Socket;
  readonly clientAddress: string;
  readonly mailbox: string | undefined;
  readonly authorization: string | undefined;
}

export type LegReply = SignInReply;

const NO_METRICS: RelayMetrics = {
  handshakes: () => undefined,
  legSeconds: () => undefined,
};

/**
 * The negotiate relay of docs/architecture.md §2: each browser leg goes to the CAS of the mailbox's
 * effective profile on one pinned connection; on the CAS's 200 the identity probe learns
 * who signed in, and a session is issued only if that is the mailbox claimed.
 *
 * Framework-free: the Fastify route passes the socket and headers in and writes the reply.
 */
export class NegotiateRelay {
  readonly #deps: RelayDeps;
  readonly #limits: RelayLimits;
  readonly #table: HandshakeTable;
  readonly #counters: SignInLimits;
  readonly #accounts: AccountBudget;
  readonly #metrics: RelayMetrics;
  readonly #probe: IdentityProbe;

  constructor(deps: RelayDeps) {
    this.#deps = deps;
    this.#limits = { ...DEFAULT_RELAY_LIMITS, ...deps.limits };
    this.#metrics = deps.metrics ?? NO_METRICS;
    this.#probe = deps.identityProbe ?? ewsIdentityProbe;
    this.#counters = deps.signInLimits ?? new SignInLimits(new MemoryLimitStore(deps.clock));
    this.#accounts = new AccountBudget(this.#counters, this.#limits.accountBackoff);
    this.#table = new HandshakeTable(this.#limits.handshakeTtlMs, (h, reason) => {
      this.#ended(h, reason);
    });
  }

  /** Handshakes in flight; zero when idle. */
  get inFlight(): number {
    return this.#table.size;
  }

  /** Ends every handshake (shutdown). */
  close(): void {
    this.#table.endAll('shutdown');
  }

  /** Handles one leg. Never throws: every failure becomes a catalogue error reply. */
  async handle(req: LegRequest): Promise<LegReply> {
    const started = performance.now();
    let claimed: string | null = null;
    let handshake: Handshake | undefined;
    try {
      const mailbox = parseMailbox(req.mailbox);
      claimed = mailbox;
      const reply =
        req.authorization === undefined
          ? await this.#probeLeg(req, mailbox)
          : await this.#tokenLeg(req, mailbox, (h) => (handshake = h));
      return reply;
    } catch (err) {
      const error = this.#deps.pipeline.asIwaError(err);
      const current = handshake ?? this.#table.get(req.socket);
      if (current !== undefined) this.#table.end(current, 'failed');
      const proven = typeof error.details.proven === 'string' ? error.details.proven : null;
      await this.#settleFailure(current, claimed, error.code, proven);
      return await this.#deps.pipeline.fail(error, {
        method: 'iwa',
        clientAddress: req.clientAddress,
        claimed,
        mechanism: current?.mechanism ?? null,
        profile: current?.profile.name ?? null,
        account: current?.account ?? null,
      });
    } finally {
      this.#metrics.legSeconds((performance.now() - started) / 1000);
    }
  }

  /** First leg without a token: check the CAS offers Negotiate, then invite the browser. */
  async #probeLeg(req: LegRequest, mailbox: string): Promise<LegReply> {
    const h = await this.#begin(req, mailbox);
    // In the table before any I/O, so a failure below tears the CAS connection down.
    this.#table.add(h);
    this.#metrics.handshakes(this.#table.size);
    const offer = classifyProbe(await h.upstream.post(this.#probe.firstRequest()));
    if (offer.kind === 'error') throw offer.error;
    // Only Negotiate: a bare NTLM offer makes browsers show a password prompt.
    return negotiateChallenge(undefined);
  }

  async #tokenLeg(req: LegRequest, mailbox: string, track: (h: Handshake) => void): Promise<LegReply> {
    const authorization = req.authorization ?? '';
    if (Buffer.byteLength(authorization) > this.#limits.maxAuthorizationBytes) {
      throw new IwaError('REQUEST_TOO_LARGE', {
        limit: 'authorization',
        maxBytes: this.#limits.maxAuthorizationBytes,
      });
    }
    const token = readClientToken(authorization);
    let h = this.#table.get(req.socket);
    if (h === undefined || token.initial) {
      if (!token.initial) {
        // An NTLM AUTHENTICATE on a connection we never challenged: never forward it.
        throw new IwaError('HANDSHAKE_INVALID', { reason: 'continuation-on-new-connection' });
      }
      if (h === undefined) {
        h = await this.#begin(req, mailbox);
        this.#table.add(h);
        this.#metrics.handshakes(this.#table.size);
      }
    }
    track(h);
    if (h.mailbox !== mailbox) throw new IwaError('HANDSHAKE_INVALID', { reason: 'mailbox-changed' });
    // An AUTHENTICATE answers a CHALLENGE: with no token leg before it on this handshake (only
    // the anonymous probe, or nothing), the CAS never challenged; never forward it.
    if (!token.initial && h.legs === 0) {
      throw new IwaError('HANDSHAKE_INVALID', { reason: 'continuation-before-challenge' });
    }
    h.legs++;
    if (h.legs > this.#limits.maxLegs) throw new IwaError('HANDSHAKE_INVALID', { reason: 'too-many-legs' });
    const info = token.info;
    if (info.mechanism !== 'unknown') h.mechanism ??= info.mechanism;
    const ntlm = info.ntlm?.messageType === 'authenticate' ? info.ntlm : undefined;
    if (ntlm !== undefined) {
      h.account = ntlmAccountLabel(ntlm.domain, ntlm.user);
      // Only NTLMv2 proves a password without handing out something crackable offline;
      // LM-only and responses we cannot classify are refused like NTLMv1 (anonymous is no
      // password at all: the CAS decides).
      if (ntlm.response !== 'ntlmv2' && ntlm.response !== 'anonymous') {
        throw new IwaError('AUTH_REJECTED', { reason: `${ntlm.response}-refused`, hint: 'ntlmv1' });
      }
      if (!ntlm.anonymous) {
        // A password guess: charged to the account it names, and to the address's failures,
        // before it goes out (design: docs/admin-guide.md § Security).
        const address = limitKeys.addressFailures(addressKey(req.clientAddress));
        h.charged = await this.#accounts.charge(ntlmAccountKey(ntlm.domain, ntlm.user), [
          {
            kind: 'backoff',
            scope: 'address',
            key: address,
            policy: this.#limits.addressBackoff,
            charge: true,
          },
        ]);
      }
    }

    // NTLM reflection (MS-NLMP §3.1.5.1.2 MsvAvTargetName): a response computed for another
    // service (say cifs/attacker, captured there and replayed here) must never reach the CAS.
    const targetName = info.ntlm?.messageType === 'authenticate' ? info.ntlm.targetName : undefined;
    if (!ntlmTargetAllowed(targetName, [this.#deps.publicHost, casTarget(h.profile).url.hostname])) {
      throw new IwaError('HANDSHAKE_INVALID', { reason: 'target-name' });
    }

    const answer = await h.upstream.post(this.#probe.firstRequest(), authorization);
    // Only a refusal needs to know whether the client's binding (to our certificate) can match.
    const endPoints =
      answer.status === 401
        ? compareCertificates(this.#deps.servingCertificate?.(), h.upstream.peerCertificate())
        : undefined;
    const step = classifyLeg({
      ...answer,
      clientToken: info,
      ...(endPoints === undefined ? {} : { endPoints }),
    });
    if (step.kind === 'error') throw step.error;
    if (step.kind === 'continue') return negotiateChallenge(step.token);

    await this.#probe.prove(h.upstream, answer, mailbox);
    if (h.charged !== undefined) {
      // Not a bad password after all: the account's count is cleared (as AD does), and the
      // address gets this attempt's charge back, nothing more.
      await this.#settle([
        ...this.#accounts.succeeded(h.charged, mailbox),
        { op: 'refund', key: limitKeys.addressFailures(addressKey(req.clientAddress)) },
      ]);
    }
    const reply = await this.#deps.pipeline.succeed(
      {
        method: 'iwa',
        clientAddress: req.clientAddress,
        claimed: mailbox,
        mailbox,
        mechanism: h.mechanism ?? 'kerberos',
        profile: h.profile,
        account: h.account,
      },
      // Relay the CAS's mutual-authentication token so the browser can verify the server.
      step.mutualToken === undefined ? {} : { 'www-authenticate': formatNegotiate(step.mutualToken) },
    );
    this.#table.end(h, 'completed');
    return reply;
  }

  /** Starts a handshake: limits, the effective profile, and the pinned CAS connection. */
  async #begin(req: LegRequest, mailbox: string): Promise<Handshake> {
    const address = addressKey(req.clientAddress);
    const limit = this.#limits.maxHandshakesPerAddress;
    if (this.#table.openFrom(address) >= limit && this.#table.get(req.socket) === undefined) {
      throw new IwaError('HANDSHAKE_CAPACITY', { scope: 'address', limit });
    }
    await this.#counters.admit([
      {
        kind: 'bucket',
        scope: 'address',
        key: limitKeys.iwaRate(address),
        policy: this.#limits.perAddress,
        take: true,
      },
      // Only failed sign-ins use this up (#settleFailure): asking costs the claim nothing.
      {
        kind: 'bucket',
        scope: 'mailbox',
        key: limitKeys.iwaMailboxFailures(mailbox),
        policy: this.#limits.perMailbox,
        take: false,
      },
    ]);
    const profile = await this.#deps.pipeline.profile(mailbox, 'iwa');
    if (this.#table.size >= this.#limits.maxHandshakes && this.#table.get(req.socket) === undefined) {
      throw new IwaError('HANDSHAKE_CAPACITY', { limit: this.#limits.maxHandshakes });
    }
    return {
      socket: req.socket,
      mailbox,
      clientAddress: req.clientAddress,
      addressKey: address,
      profile,
      account: null,
      charged: undefined,
      upstream: this.#deps.cas.connect(casTarget(profile), {
        connectTimeoutMs: this.#limits.connectTimeoutMs,
        requestTimeoutMs: this.#limits.requestTimeoutMs,
        maxResponseBytes: this.#limits.maxResponseBytes,
      }),
      startedMs: this.#deps.clock.now().getTime(),
      legs: 0,
      mechanism: null,
      done: false,
      timer: undefined,
    };
  }

  #ended(h: Handshake, reason: EndReason): void {
    this.#metrics.handshakes(this.#table.size);
    if (reason === 'expired' || reason === 'client-closed') {
      // The browser walked away: typically it had no Windows credentials to offer.
      void this.#deps.pipeline.record('HANDSHAKE_ABANDONED', {
        method: 'iwa',
        clientAddress: h.clientAddress,
        claimed: h.mailbox,
        mechanism: h.mechanism,
        profile: h.profile.name,
        account: h.account,
      });
    }
  }

  /**
   * A failed leg: the claim loses one of its failed sign-ins when the CAS refused credentials
   * or proved another user; an account whose credentials the CAS accepted (another mailbox
   * proven) is cleared, as AD clears it. A guess that got no answer keeps its charge: AD may
   * have counted it.
   */
  async #settleFailure(
    h: Handshake | undefined,
    claimed: string | null,
    code: ErrorCode,
    proven: string | null,
  ): Promise<void> {
    const ops: LimitSettle[] = [];
    if (h?.charged !== undefined && code === 'IDENTITY_MISMATCH') {
      ops.push(...this.#accounts.succeeded(h.charged, proven));
    }
    if (claimed !== null && FAILED_CREDENTIALS.has(code)) {
      ops.push({ op: 'take', key: limitKeys.iwaMailboxFailures(claimed), policy: this.#limits.perMailbox });
    }
    await this.#settle(ops);
  }

  async #settle(ops: readonly LimitSettle[]): Promise<void> {
    try {
      await this.#counters.settle(ops);
    } catch (err) {
      this.#deps.onInternalError?.(err);
    }
  }
}

/** Answers that mean a sign-in for the claim failed (what the per-mailbox limit counts). */
const FAILED_CREDENTIALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'AUTH_REJECTED',
  'EXTENDED_PROTECTION_SUSPECTED',
  'IDENTITY_MISMATCH',
]);

/** The browser's next step: a 401 with `Negotiate` and, after the first leg, the CAS's token. */
function negotiateChallenge(token: Uint8Array | undefined): LegReply {
  return errorReply(new IwaError('NEGOTIATE'), { 'www-authenticate': formatNegotiate(token) });
}

interface ClientToken {
  readonly info: NegotiateTokenInfo;
  /** A token that starts a security context (SPNEGO init, NTLM NEGOTIATE, Kerberos AP-REQ). */
  readonly initial: boolean;
}

/** Parses `Authorization: Negotiate <token>` and inspects the token; typed errors only. */
function readClientToken(authorization: string): ClientToken {
  try {
    const credentials = parseAuthorization(authorization);
    if (!isScheme(credentials, 'Negotiate'))
      throw new IwaError('HANDSHAKE_INVALID', { reason: 'not-negotiate' });
    const bytes = negotiateToken(credentials);
    if (bytes === undefined) throw new IwaError('HANDSHAKE_INVALID', { reason: 'empty-token' });
    const info = inspectNegotiateToken(bytes);
    // An AUTHENTICATE answers a CHALLENGE whatever it is wrapped in: inside a NegTokenInit it
    // is still a continuation, and the order checks apply to it.
    const initial =
      info.kind !== 'ntlm-authenticate' &&
      (info.spnego?.token === 'init' ||
        info.kind === 'ntlm-negotiate' ||
        (info.framing === 'gss' && info.kind === 'kerberos-ap-req'));
    if (!initial && info.kind !== 'ntlm-authenticate') {
      throw new IwaError('HANDSHAKE_INVALID', { reason: 'unexpected-token', kind: info.kind });
    }
    return { info, initial };
  } catch (err) {
    throw toIwaError(err, 'HANDSHAKE_INVALID');
  }
}

/** The only place a CAS address comes from: the profile, never the request. */
export function casTarget(profile: Profile): CasTarget {
  return { url: new URL(profile.casUrl), ca: profile.casCa ?? undefined };
}
