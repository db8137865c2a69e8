/**
 * The Exchange identity-token sign-in and binding (docs/interface.md `POST
 * /api/auth/identity-token`, `…/bind`): what is the method's own — the failure limit per client
 * address, token validation and the binding — around the shared {@link SignInPipeline}.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/authenticate-a-user-with-an-identity-token
 * @module
 */
import { IwaError } from '../../protocol/errors.ts';
import type { Clock, Profile, Session } from '../domain.ts';
import type { IdentityTokenContext, IdentityTokenService } from '../identity-token/index.ts';
import { DEFAULT_IDENTITY_TOKEN_FAILURES } from '../limits/defaults.ts';
import { addressKey } from '../limits/policy.ts';
import { limitKeys, type SignInLimits } from '../limits/sign-in-limits.ts';
import type { RateLimitPolicy } from '../relay/rate-limit.ts';
import type { SignInPipeline, SignInReply } from './pipeline.ts';

/** How soon after its sign-in a session may make a binding (docs/interface.md). */
export const BINDING_WINDOW_MS = 5 * 60_000;

export interface IdentityTokenSignInDeps {
  readonly tokens: IdentityTokenService;
  readonly pipeline: SignInPipeline;
  readonly clock: Clock;
  /** The shared counters; failed identity-token sign-ins are limited per client address. */
  readonly limits: SignInLimits;
  /** Failed identity-token sign-ins per client address (token bucket, taken on a failure). */
  readonly failures?: RateLimitPolicy | undefined;
}

function contextOf(profile: Profile): IdentityTokenContext {
  return { casUrl: profile.casUrl, ca: profile.casCa };
}

export class IdentityTokenSignIn {
  readonly #deps: IdentityTokenSignInDeps;
  readonly #failures: RateLimitPolicy;

  constructor(deps: IdentityTokenSignInDeps) {
    this.#deps = deps;
    this.#failures = deps.failures ?? DEFAULT_IDENTITY_TOKEN_FAILURES;
  }

  /** Signs in with a bound token. Never throws: every failure becomes a catalogue error reply. */
  async signIn(req: { readonly clientAddress: string; readonly token: string }): Promise<SignInReply> {
    const { pipeline, limits } = this.#deps;
    // The token names no mailbox: the claim is whatever the binding says.
    let claimed: string | null = null;
    let profile: Profile | undefined;
    // Only failures use the bucket up; a client with a good token is never held back.
    const failures = limitKeys.identityTokenFailures(addressKey(req.clientAddress));
    try {
      await limits.admit([
        { kind: 'bucket', scope: 'address', key: failures, policy: this.#failures, take: false },
      ]);
      const signIn = await this.#deps.tokens.signIn(req.token, async (bound) => {
        claimed = bound;
        profile = await pipeline.profile(bound, 'identity-token');
        return contextOf(profile);
      });
      if (profile === undefined) throw new IwaError('INTERNAL');
      return await pipeline.succeed({
        method: 'identity-token',
        clientAddress: req.clientAddress,
        claimed: signIn.mailbox,
        mailbox: signIn.mailbox,
        mechanism: null,
        profile,
        msexchuid: signIn.token.msexchuid,
      });
    } catch (err) {
      const error = pipeline.asIwaError(err);
      const reply = await pipeline.fail(error, {
        method: 'identity-token',
        clientAddress: req.clientAddress,
        claimed,
        mechanism: null,
        profile: profile?.name ?? null,
      });
      if (error.code !== 'RATE_LIMITED') {
        await limits.settle([{ op: 'take', key: failures, policy: this.#failures }]).catch(() => undefined);
      }
      return reply;
    }
  }

  /**
   * Binds a token to the mailbox of `session`, which must come from a verified IWA or password
   * sign-in made in the last {@link BINDING_WINDOW_MS}: an identity token alone carries no SMTP
   * address, and a stolen, older session token must not plant a binding that outlives it.
   */
  async bind(session: Session, token: string): Promise<{ bound: true; mailbox: string }> {
    if (session.method === 'identity-token') {
      throw new IwaError('IDENTITY_TOKEN_UNBOUND', { reason: 'binding-needs-verified-sign-in' });
    }
    if (session.createdAt.getTime() < this.#deps.clock.now().getTime() - BINDING_WINDOW_MS) {
      throw new IwaError('IDENTITY_TOKEN_UNBOUND', { reason: 'binding-needs-fresh-sign-in' });
    }
    const profile = await this.#deps.pipeline.profile(session.mailbox, 'identity-token');
    try {
      await this.#deps.tokens.bind(token, session.mailbox, contextOf(profile), session.id);
    } catch (err) {
      if (err instanceof IwaError && err.code === 'CONFLICT') {
        throw new IwaError('IDENTITY_TOKEN_UNBOUND', { reason: 'binding-already-made' });
      }
      throw err;
    }
    return { bound: true, mailbox: session.mailbox };
  }
}
