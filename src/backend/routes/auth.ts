/**
 * `GET /api/auth/methods` and the Exchange identity-token sign-in and binding (interface.md):
 * thin adapters over the profile store and {@link IdentityTokenSignIn}.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { MethodsResponse } from '../../contract/api.ts';
import { identityTokenRequest } from '../../contract/api.ts';
import { inputError, parseInput } from '../../contract/input.ts';
import { IwaError } from '../../protocol/errors.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { chargeAddress, isAdmin, publicMethods, type ProbeLimit } from '../disclosure.ts';
import { METHODS, type Method, type Profile } from '../domain.ts';
import type { IdentityTokenSignIn } from '../sign-in/identity-token.ts';
import { errorReply } from '../sign-in/pipeline.ts';
import type { Store } from '../storage/types.ts';
import { parseBearer } from './session.ts';
import * as z from 'zod/mini';

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

export { BINDING_WINDOW_MS } from '../sign-in/identity-token.ts';
export { DEFAULT_IDENTITY_TOKEN_FAILURES } from '../limits/defaults.ts';

export interface AuthRoutesOptions {
  readonly store: Store;
  readonly identityTokens: IdentityTokenSignIn;
  /** `/api/auth/methods` requests per client address, without the admin credential. */
  readonly probe: ProbeLimit;
}

export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = (app, { store, identityTokens, probe }) => {
  app.get<{ Querystring: { mailbox?: string } }>('/api/auth/methods', async (req) => {
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
    } satisfies MethodsAnswer & MethodsResponse;
    // The profile's name and why it matched are for admins only.
    return admin ? answer : (publicMethods(answer) satisfies MethodsResponse);
  });

  // Binding needs a session from a verified IWA or password sign-in: an identity token alone
  // carries no SMTP address, so it can only be tied to a mailbox that was proven otherwise.
  app.post('/api/auth/identity-token/bind', async (req) => {
    const { token } = parseInput(identityTokenRequest, req.body);
    const bearer = parseBearer(req.headers.authorization);
    if (bearer === null) throw new IwaError('SESSION_INVALID', { reason: 'missing' });
    return identityTokens.bind(await store.sessions.verify(bearer), token);
  });

  app.post('/api/auth/identity-token', async (req, reply) => {
    const parsed = z.safeParse(identityTokenRequest, req.body);
    const result = parsed.success
      ? await identityTokens.signIn({ clientAddress: req.ip, token: parsed.data.token })
      : errorReply(inputError(parsed.error));
    return reply.status(result.status).headers(result.headers).send(result.body);
  });
  return Promise.resolve();
};
