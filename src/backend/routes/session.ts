/**
 * The user's own session (interface.md): `GET /api/session` says who the bearer token signs
 * in, `DELETE /api/session` signs out. Thin adapters over the session store.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { SessionResponse } from '../../contract/api.ts';
import { IwaError } from '../../protocol/errors.ts';
import type { Store } from '../storage/types.ts';
import type { Session } from '../domain.ts';

/** Largest `Authorization` value we read; ours are under 100 characters. */
const MAX_BEARER_LENGTH = 1024;

/**
 * The credential of an `Authorization: Bearer <credential>` header (RFC 6750 §2.1), or null
 * when the header is missing, has another scheme, or is oversized.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function parseBearer(header: string | undefined): string | null {
  if (header === undefined || header.length > MAX_BEARER_LENGTH) return null;
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return m?.[1] ?? null;
}

/** What a client may see of its session: never the hash, never the token. */
export function sessionView(session: Session): SessionResponse {
  return {
    mailbox: session.mailbox,
    method: session.method,
    mechanism: session.mechanism,
    profile: session.profile,
    expiresAt: session.expiresAt.toISOString(),
    idleExpiresAt: session.idleExpiresAt.toISOString(),
  };
}

function bearerToken(header: string | undefined): string {
  const token = parseBearer(header);
  if (token === null) throw new IwaError('SESSION_INVALID', { reason: 'missing' });
  return token;
}

export interface SessionRoutesOptions {
  readonly store: Store;
}

/** `GET` and `DELETE /api/session`. */
export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = (app, { store }) => {
  app.get('/api/session', async (req) =>
    sessionView(await store.sessions.verify(bearerToken(req.headers.authorization))),
  );

  app.delete('/api/session', async (req, reply) => {
    await store.sessions.revokeByToken(bearerToken(req.headers.authorization));
    return reply.status(204).send();
  });
  return Promise.resolve();
};
