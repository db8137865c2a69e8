/**
 * `GET /api/auth/methods` and the Exchange identity-token sign-in (interface.md): thin
 * adapters over the profile store and `IdentityTokenService`.
 */
import type { FastifyInstance } from 'fastify';
import { IwaError } from '../../protocol/errors.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import type { IdentityTokenContext, IdentityTokenService } from '../identity-token/index.ts';
import type { Store } from '../storage/types.ts';
import { METHODS, type AuditReason, type Clock, type Method, type Profile } from '../domain.ts';
import { parseBearer } from './session.ts';
import { signInAttempt } from '../audit-attempt.ts';
import { addressKey } from '../limits/policy.ts';
import { limitKeys, type SignInLimits } from '../limits/sign-in-limits.ts';
import type { RateLimitPolicy } from '../relay/rate-limit.ts';
import { chargeAddress, isAdmin, publicMethods, type ProbeLimit } from '../disclosure.ts';

/** What the add-in learns about each method, so it can draw Authentication Settings. */
export interface MethodView {
  readonly method: Method;
  readonly enabled: boolean;
}

export interface MethodsAnswer {
  readonly mailbox: string;
  readonly profile: string;
  readonly reason: string;
  /** Enabled methods first, in the profile's order (the order silent sign-in tries them). */
  readonly methods: readonly MethodView[];
}

/** The methods of a profile as the add-in shows them: pure, so it is tested from a table. */
export function methodsView(profile: Pick<Profile, 'methods'>): MethodView[] {
  const enabled = profile.methods.map((method) => ({ method, enabled: true }));
  const disabled = METHODS.filter((m) => !profile.methods.includes(m)).map((method) => ({
    method,
    enabled: false,
  }));
  return [...enabled, ...disabled];
}

interface TokenBody {
  token: string;
}

const TOKEN_BODY = {
  type: 'object',
  required: ['token'],
  additionalProperties: false,
  properties: { token: { type: 'string', minLength: 1, maxLength: 16_384 } },
} as const;

/** How soon after its sign-in a session may make a binding (docs/interface.md). */
export const BINDING_WINDOW_MS = 5 * 60_000;

export interface AuthRoutesDeps {
  readonly store: Store;
  readonly identityTokens: IdentityTokenService;
  readonly clock: Clock;
  /** The shared counters; failed identity-token sign-ins are limited per client address. */
  readonly signInLimits: SignInLimits;
  /** Failed identity-token sign-ins per client address (token bucket, taken on a failure). */
  readonly identityTokenFailures?: RateLimitPolicy;
  /** `/api/auth/methods` requests per client address, without the admin credential. */
  readonly probe: ProbeLimit;
}

import { DEFAULT_IDENTITY_TOKEN_FAILURES } from '../limits/defaults.ts';

export { DEFAULT_IDENTITY_TOKEN_FAILURES };

function contextOf(profile: Profile): IdentityTokenContext {
  return { casUrl: profile.casUrl, ca: profile.casCa };
}

export function authRoutes({
  store,
  identityTokens,
  clock,
  signInLimits,
  probe,
  identityTokenFailures = DEFAULT_IDENTITY_TOKEN_FAILURES,
}: AuthRoutesDeps) {
  /** The effective profile of a mailbox, refusing when it does not allow identity tokens. */
  const identityTokenProfile = async (mailbox: string): Promise<Profile> => {
    const effective = await store.profiles.effective(mailbox);
    if (effective === null) throw new IwaError('PROFILE_NOT_FOUND', { mailbox });
    if (!effective.profile.methods.includes('identity-token')) {
      throw new IwaError('METHOD_DISABLED', { method: 'identity-token', profile: effective.profile.name });
    }
    return effective.profile;
  };

  return (app: FastifyInstance): void => {
    app.get<{ Querystring: { mailbox?: string } }>(
      '/api/auth/methods',
      async (req): Promise<MethodsAnswer | Pick<MethodsAnswer, 'mailbox' | 'methods'>> => {
        const admin = await isAdmin(store, req);
        if (!admin) await chargeAddress(probe, 'methods', req);
        const mailbox = parseMailbox(req.query.mailbox);
        const effective = await store.profiles.effective(mailbox);
        if (effective === null) throw new IwaError('PROFILE_NOT_FOUND', { mailbox });
        const answer = {
          mailbox,
          profile: effective.profile.name,
          reason: effective.reason,
          methods: methodsView(effective.profile),
        };
        // The profile's name and why it matched are for admins only.
        return admin ? answer : publicMethods(answer);
      },
    );

    // Binding needs a session from a verified IWA or password sign-in: an identity token alone
    // carries no SMTP address, so it can only be tied to a mailbox that was proven otherwise.
    app.post<{ Body: TokenBody }>(
      '/api/auth/identity-token/bind',
      { schema: { body: TOKEN_BODY } },
      async (req) => {
        const bearer = parseBearer(req.headers.authorization);
        if (bearer === null) throw new IwaError('SESSION_INVALID', { reason: 'missing' });
        const session = await store.sessions.verify(bearer);
        if (session.method === 'identity-token') {
          throw new IwaError('IDENTITY_TOKEN_UNBOUND', { reason: 'binding-needs-verified-sign-in' });
        }
        // Only right after the sign-in: a stolen, older session token cannot plant a binding
        // that would outlive it.
        if (session.createdAt.getTime() < clock.now().getTime() - BINDING_WINDOW_MS) {
          throw new IwaError('IDENTITY_TOKEN_UNBOUND', { reason: 'binding-needs-fresh-sign-in' });
        }
        const profile = await identityTokenProfile(session.mailbox);
        try {
          await identityTokens.bind(req.body.token, session.mailbox, contextOf(profile), session.id);
        } catch (err) {
          if (err instanceof IwaError && err.code === 'CONFLICT') {
            throw new IwaError('IDENTITY_TOKEN_UNBOUND', { reason: 'binding-already-made' });
          }
          throw err;
        }
        return { bound: true, mailbox: session.mailbox };
      },
    );

    app.post<{ Body: TokenBody }>(
      '/api/auth/identity-token',
      { schema: { body: TOKEN_BODY } },
      async (req, reply) => {
        // The answer carries a session token: nothing in between may keep it.
        void reply.header('cache-control', 'no-store');
        let mailbox: string | null = null;
        let profile: Profile | undefined;
        // Only failures use the bucket up; a client with a good token is never held back.
        const failures = limitKeys.identityTokenFailures(addressKey(req.ip));
        try {
          await signInLimits.admit([
            { kind: 'bucket', scope: 'address', key: failures, policy: identityTokenFailures, take: false },
          ]);
          const signIn = await identityTokens.signIn(req.body.token, async (bound) => {
            mailbox = bound;
            profile = await identityTokenProfile(bound);
            return contextOf(profile);
          });
          if (profile === undefined) throw new IwaError('INTERNAL');
          const issued = await store.sessions.issue({
            mailbox: signIn.mailbox,
            method: 'identity-token',
            mechanism: null,
            profile,
          });
          await audit(signIn.mailbox, profile.name, 'OK', signIn.token.msexchuid);
          return {
            token: issued.token,
            mailbox: signIn.mailbox,
            method: 'identity-token',
            mechanism: null,
            expiresAt: issued.session.expiresAt.toISOString(),
          };
        } catch (err) {
          const code = err instanceof IwaError ? err.code : 'INTERNAL';
          await audit(mailbox, profile?.name ?? null, code).catch(() => undefined);
          if (code === 'RATE_LIMITED') {
            const retry = (err as IwaError).details.retryAfterSeconds;
            if (typeof retry === 'number') void reply.header('retry-after', String(retry));
          } else {
            await signInLimits
              .settle([{ op: 'take', key: failures, policy: identityTokenFailures }])
              .catch(() => undefined);
          }
          throw err;
        }

        function audit(
          proven: string | null,
          profileName: string | null,
          reason: string,
          msexchuid: string | null = null,
        ): Promise<void> {
          return store.audit.record({
            ...signInAttempt({
              at: clock.now(),
              clientAddress: req.ip,
              // The token names no mailbox: the claim is whatever the binding says.
              claimedMailbox: proven,
              provenMailbox: reason === 'OK' ? proven : null,
              method: 'identity-token',
              mechanism: null,
              reason: reason as AuditReason,
              profile: profileName,
            }),
            msexchuid,
          });
        }
      },
    );
  };
}
