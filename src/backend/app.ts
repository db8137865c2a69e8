import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { IwaError } from '../protocol/errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { sessionRoutes } from './routes/session.ts';
import type { Store } from './storage/types.ts';

/** Everything the app needs from the outside world, injected so tests can replace it. */
export interface AppDeps {
  /** Where `GET /` and the add-in's assets come from; omitted in API-only tests. */
  readonly addinDir?: string;
  readonly logger?: FastifyServerOptions['logger'];
  /** Profiles, sessions, audit; without it the session and admin routes are not served. */
  readonly store?: Store;
}

/**
 * Builds the HTTP app: API, health, metrics and the add-in's files. It does not listen;
 * `server.ts` does (see style.md: app and server are separate).
 */
export async function buildApp(deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    // Negotiate tokens are large but bounded; see the relay's own limits.
    maxParamLength: 200,
    bodyLimit: 64 * 1024,
    genReqId: () => crypto.randomUUID(),
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof IwaError) return reply.status(err.status).send(err.toBody());
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 413) return reply.status(413).send(new IwaError('REQUEST_TOO_LARGE').toBody());
    if (status !== undefined && status >= 400 && status < 500) {
      const message = err instanceof Error ? err.message : undefined;
      return reply.status(400).send(new IwaError('INPUT_INVALID', {}, message).toBody());
    }
    app.log.error({ err }, 'unhandled error');
    return reply.status(500).send(new IwaError('INTERNAL').toBody());
  });
  app.setNotFoundHandler((_req, reply) => reply.status(404).send(new IwaError('NOT_FOUND').toBody()));

  app.get('/healthz', () => ({ ok: true }));
  if (deps.store !== undefined) {
    await app.register(sessionRoutes, { store: deps.store });
    await app.register(adminRoutes, { store: deps.store, prefix: '/api/admin' });
  }

  await app.register(import('./routes/office-js.ts')); // office.js from our own origin, at /office-js/
  await app.register(import('@fastify/static'), {
    root: deps.addinDir ?? new URL('../../dist/addin', import.meta.url).pathname,
    prefix: '/',
    wildcard: false,
  });
  return app;
}
