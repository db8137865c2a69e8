/**
 * The one sign-in pipeline: what every sign-in method shares (docs/architecture.md §2–§3,
 * docs/interface.md § Sign-in API). The methods (the IWA relay, the password sign-in, the
 * identity-token sign-in) prove who the user is; this module decides the rest, once:
 *
 * - the effective profile and its method gate (`PROFILE_NOT_FOUND`, `METHOD_DISABLED`);
 * - the session, issued together with its audit row (one transaction);
 * - exactly one audit row per finished attempt, its reason `OK` or a catalogue code;
 * - the outcome counter on `/metrics`, labelled by method and code;
 * - the reply: status, body, `Cache-Control: no-store` and `Retry-After`.
 *
 * Framework-free: routes write the {@link SignInReply} as it is.
 *
 * @module
 */
import type { SignInResponse } from '../../contract/api.ts';
import { IwaError, type ErrorBody } from '../../protocol/errors.ts';
import type {
  AuditEntry,
  AuditReason,
  Clock,
  EffectiveProfile,
  IssuedSession,
  Mechanism,
  Method,
  Profile,
} from '../domain.ts';
import type { IssueSessionInput } from '../storage/types.ts';

/** What the pipeline needs from storage. */
export interface SignInStore {
  effectiveProfile(mailbox: string): Promise<EffectiveProfile | null>;
  /** The session and its audit row, both or neither (storage/sign-in.ts). */
  succeeded(session: IssueSessionInput, audit: AuditEntry): Promise<IssuedSession>;
  audit(entry: AuditEntry): Promise<void>;
}

export interface SignInMetrics {
  outcome(method: Method, reason: AuditReason): void;
}

export interface SignInPipelineDeps {
  readonly store: SignInStore;
  readonly clock: Clock;
  readonly metrics?: SignInMetrics;
  /** Errors that are not catalogue codes, and audit writes that failed; never given a secret. */
  readonly onInternalError?: (err: unknown) => void;
}

/** Every sign-in answer, success or not, before a route writes it. */
export interface SignInReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: SignInResponse | ErrorBody;
}

/** What the audit trail records of an attempt, besides its reason. */
export interface Attempt {
  readonly method: Method;
  readonly clientAddress: string;
  /** The mailbox the client claimed, or the one a token is bound to; null before it is known. */
  readonly claimed: string | null;
  readonly mechanism: Mechanism | null;
  /** The effective profile's name, once known. */
  readonly profile: string | null;
  /** The account an NTLM AUTHENTICATE named. */
  readonly account?: string | null;
  /** Identity tokens: the token's `msexchuid`. */
  readonly msexchuid?: string | null;
}

/** A proven sign-in: the mailbox the CAS (or a binding) proved, and the profile it signs in under. */
export interface Proven extends Omit<Attempt, 'profile'> {
  readonly mailbox: string;
  readonly profile: Profile;
}

/** Sign-in answers carry session tokens and per-connection challenges: nothing may cache them. */
const NO_STORE = 'no-store';

/**
 * The reply for a catalogue code: its status and body, `Cache-Control: no-store`, and
 * `Retry-After` when the error says how long to wait (RFC 9110 §10.2.3).
 */
export function errorReply(error: IwaError, headers: Readonly<Record<string, string>> = {}): SignInReply {
  const retry = error.details.retryAfterSeconds;
  return {
    status: error.status,
    headers: {
      ...headers,
      'cache-control': NO_STORE,
      ...(typeof retry === 'number' ? { 'retry-after': String(retry) } : {}),
    },
    body: error.toBody(),
  };
}

/** The pipeline; one per app, shared by every sign-in method. */
export class SignInPipeline {
  readonly #deps: SignInPipelineDeps;

  constructor(deps: SignInPipelineDeps) {
    this.#deps = deps;
  }

  /**
   * The mailbox's effective profile, if it allows `method`: `PROFILE_NOT_FOUND` when no profile
   * applies, `METHOD_DISABLED` when the profile does not list the method (docs/interface.md).
   */
  async profile(mailbox: string, method: Method): Promise<Profile> {
    const effective = await this.#deps.store.effectiveProfile(mailbox);
    if (effective === null) throw new IwaError('PROFILE_NOT_FOUND', { mailbox });
    const { profile } = effective;
    if (!profile.methods.includes(method))
      throw new IwaError('METHOD_DISABLED', { method, profile: profile.name });
    return profile;
  }

  /**
   * Issues the session for a proven mailbox with its `OK` audit row, counts the outcome and
   * builds the 200. Throws what the store throws (the caller's failure path records it).
   */
  async succeed(proven: Proven, headers: Readonly<Record<string, string>> = {}): Promise<SignInReply> {
    const { mailbox, method, mechanism, profile } = proven;
    const issued = await this.#deps.store.succeeded(
      { mailbox, method, mechanism, profile },
      this.#entry('OK', { ...proven, profile: profile.name }, mailbox),
    );
    this.#deps.metrics?.outcome(method, 'OK');
    return {
      status: 200,
      headers: { ...headers, 'cache-control': NO_STORE },
      body: {
        token: issued.token,
        mailbox,
        method,
        mechanism,
        expiresAt: issued.session.expiresAt.toISOString(),
      } satisfies SignInResponse,
    };
  }

  /**
   * Records a failed attempt (audit row, outcome) and builds its error reply. Anything that is
   * not an {@link IwaError} is reported to `onInternalError` and answered `INTERNAL`. A mailbox
   * the CAS proved instead of the claim (`details.proven`) goes to the audit row.
   */
  async fail(err: unknown, attempt: Attempt): Promise<SignInReply> {
    const error = this.asIwaError(err);
    const proven = typeof error.details.proven === 'string' ? error.details.proven : null;
    await this.record(error.code, attempt, proven);
    return errorReply(error);
  }

  /**
   * An audit row and the outcome counter, nothing else: for an attempt that ends without an
   * answer (`HANDSHAKE_ABANDONED`). An audit write that fails is reported, never thrown: the
   * user's answer does not depend on it.
   */
  async record(
    reason: Exclude<AuditReason, 'OK'>,
    attempt: Attempt,
    proven: string | null = null,
  ): Promise<void> {
    this.#deps.metrics?.outcome(attempt.method, reason);
    try {
      await this.#deps.store.audit(this.#entry(reason, attempt, proven));
    } catch (err) {
      this.#deps.onInternalError?.(err);
    }
  }

  /** `err` as a catalogue error; anything else is reported and becomes `INTERNAL`. */
  asIwaError(err: unknown): IwaError {
    if (err instanceof IwaError) return err;
    this.#deps.onInternalError?.(err);
    return new IwaError('INTERNAL');
  }

  /** The outcome follows from the reason (`OK` is the only success), so the two cannot disagree. */
  #entry(reason: AuditReason, a: Attempt, proven: string | null): AuditEntry {
    return {
      at: this.#deps.clock.now(),
      clientAddress: a.clientAddress,
      claimedMailbox: a.claimed,
      provenMailbox: proven,
      method: a.method,
      mechanism: a.mechanism,
      outcome: reason === 'OK' ? 'success' : 'failure',
      reason,
      profile: a.profile,
      ...(a.account == null ? {} : { account: a.account }),
      ...(a.msexchuid == null ? {} : { msexchuid: a.msexchuid }),
    };
  }
}
