/**
 * Access tokens over HTTP (docs/access-tokens.md): `POST /api/token`, RFC 7662
 * introspection at `POST /api/token/introspect`, and the discovery documents under
 * `/.well-known/`. Thin adapters over `TokenService`.
 */
import type { FastifyPluginAsync } from 'fastify';
import * as z from 'zod/mini';
import { accessTokenRequest, type AccessTokenResponse } from '../../contract/api.ts';
import { parseInput } from '../../contract/input.ts';
import { discoveryDocument } from '../../protocol/access-token.ts';
import type { TokenService } from '../tokens/service.ts';
import { parseBearer } from './session.ts';

/** `{"audience": …}` is tiny; anything much bigger is not a token request. */
export const TOKEN_BODY_LIMIT = 4 * 1024;
/** A form with one of our JWTs (well under 2 KiB) and an optional hint. */
export const INTROSPECT_BODY_LIMIT = 16 * 1024;

// RFC 7662 §2.1: `token` is required, `token_type_hint` optional; unknown fields are ignored.
const introspectBody = z.object({
  token: z.string().check(z.minLength(1)),
  token_type_hint: z.optional(z.string()),
});

export interface TokenRoutesOptions {
  readonly tokens: TokenService;
  readonly issuer: string;
}

/**
 * The token endpoint, RFC 7662 §2 introspection, RFC 7517 §5 JWKS and OpenID Connect
 * Discovery 1.0 §4 (docs/access-tokens.md).
 */
export const tokenRoutes: FastifyPluginAsync<TokenRoutesOptions> = (app, { tokens, issuer }) => {
  // RFC 7662 §2.1's form body, for this plugin's routes only.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: INTROSPECT_BODY_LIMIT },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  app.post('/api/token', { bodyLimit: TOKEN_BODY_LIMIT }, async (req, reply) => {
    const session = parseBearer(req.headers.authorization);
    const { audience } = parseInput(accessTokenRequest, req.body);
    const answer = await tokens.issue(session, audience);
    // RFC 6749 §5.1: token answers must not be cached.
    return reply
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send(answer satisfies AccessTokenResponse);
  });

  app.post('/api/token/introspect', { bodyLimit: INTROSPECT_BODY_LIMIT }, async (req, reply) => {
    // The client first, so an unauthenticated caller learns nothing, not even about its body.
    // RFC 6750 §3: a 401 names the scheme it wants.
    reply.header('www-authenticate', 'Bearer');
    await tokens.requireClient(parseBearer(req.headers.authorization));
    reply.removeHeader('www-authenticate');
    const { token } = parseInput(introspectBody, req.body);
    return reply.header('cache-control', 'no-store').send(await tokens.introspect(token));
  });

  app.get('/.well-known/jwks.json', async (_req, reply) =>
    // Short: a rotation should reach HTTP caches within a minute.
    reply.header('cache-control', 'public, max-age=60').send(await tokens.jwks()),
  );

  app.get('/.well-known/openid-configuration', (_req, reply) =>
    reply.header('cache-control', 'public, max-age=3600').send(discoveryDocument(issuer)),
  );
  return Promise.resolve();
};
