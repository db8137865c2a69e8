import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LookupFunction } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { IwaError } from '../protocol/errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { sessionRoutes } from './routes/session.ts';
import { createMetrics } from './metrics.ts';
import { Diagnoser } from './relay/diagnose.ts';
import type { PasswordLimits } from './password/sign-in.ts';
import { NegotiateRelay, type RelayLimits } from './relay/relay.ts';
import {
  AuthMetadataCache,
  IdentityTokenService,
  createMetadataFetcher,
  type IdentityBindingStore,
} from './identity-token/index.ts';
import { DEFAULT_PUBLIC_URL, manifestUrls } from './manifest/manifest.ts';
import { authRoutes } from './routes/auth.ts';
import { iwaRoutes } from './routes/iwa.ts';
import { paneWithOfficeJsFromCdn, type OfficeJsSource } from './routes/office-js.ts';
import type { Clock, Store } from './storage/types.ts';

/** Everything the app needs from the outside world, injected so tests can replace it. */
export interface AppDeps {
  readonly store: Store;
  /** Where `GET /` and the add-in's assets come from (default: `dist/addin`). */
  readonly addinDir?: string;
  readonly logger?: FastifyServerOptions['logger'];
  readonly clock?: Clock;
  /** Name resolution for connections to the CAS; tests map the lab's names to loopback. */
  readonly lookup?: LookupFunction;
  readonly relayLimits?: Partial<RelayLimits>;
  readonly passwordLimits?: Partial<PasswordLimits>;
  /** Serve HTTPS (the product always does; `app.inject()` tests need not). */
  readonly https?: { readonly key: string; readonly cert: string };
  /** The address Outlook loads the add-in from; its page is the identity token's audience. */
  readonly publicUrl?: URL;
  /** The certificate we serve, for the Extended Protection hint in diagnosis. */
  readonly servingCertificate?: () => X509Certificate | undefined;
  /** `--office-js`: serve Office.js at `/office-js/` (default) or have the pane load Microsoft's CDN. */
  readonly officeJs?: OfficeJsSource;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly relay: NegotiateRelay;
  }
}

/** Header block limit: Kerberos tickets with large PACs need more than Node's 16 KiB default. */
export const MAX_HEADER_BYTES = 64 * 1024;

const SYSTEM_CLOCK: Clock = { now: () => new Date() };

/**
 * Builds the HTTP app: API, health, metrics and the add-in's files. It does not listen;
 * `server.ts` does (see style.md: app and server are separate).
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const app = Fastify({
    logger: deps.logger ?? false,
    ...(deps.https === undefined
      ? { http: { maxHeaderSize: MAX_HEADER_BYTES } }
      : { https: { ...deps.https, minVersion: 'TLSv1.2' as const, maxHeaderSize: MAX_HEADER_BYTES } }),
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 64 * 1024,
    // Longer than a handshake's TTL, so a browser's connection outlives its handshake.
    keepAliveTimeout: 75_000,
    genReqId: () => crypto.randomUUID(),
    // Node rejects oversized header blocks before any route runs; answer in our own format.
    clientErrorHandler(err, socket) {
      const code = (err as { code?: string }).code;
      const tooLarge = code === 'HPE_HEADER_OVERFLOW';
      const error = tooLarge
        ? new IwaError('REQUEST_TOO_LARGE', { limit: 'headers' })
        : new IwaError('INPUT_INVALID');
      const body = JSON.stringify(error.toBody());
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
            `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
            `Connection: close\r\n\r\n${body}`,
        );
      } else {
        socket.destroy();
      }
    },
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

  const { store } = deps;
  const metrics = createMetrics();
  const effectiveProfile = (mailbox: string) => store.profiles.effective(mailbox);
  const relay = new NegotiateRelay({
    clock,
    metrics: metrics.relay,
    ...(deps.lookup === undefined ? {} : { lookup: deps.lookup }),
    ...(deps.relayLimits === undefined ? {} : { limits: deps.relayLimits }),
    store: {
      effectiveProfile,
      issueSession: (input) => store.sessions.issue({ ...input, method: 'iwa' }),
      audit: (entry) => store.audit.record(entry),
    },
    onInternalError: (err) => {
      app.log.error(
        { err: err instanceof Error ? { type: err.name, message: err.message } : 'unknown' },
        'relay error',
      );
    },
  });
  app.decorate('relay', relay);
  app.addHook('onClose', () => {
    relay.close();
  });

  const diagnoser = new Diagnoser({
    effectiveProfile,
    lookup: deps.lookup,
    ...(deps.servingCertificate === undefined ? {} : { servingCertificate: deps.servingCertificate }),
  });

  app.get('/healthz', () => ({ ok: true }));
  await app.register(sessionRoutes, { store });
  await app.register(adminRoutes, { store, prefix: '/api/admin' });
  app.get('/readyz', async (_req, reply) => {
    try {
      await store.adminCredentials.exists();
      return { ok: true, database: store.dialect };
    } catch {
      return reply.status(503).send(new IwaError('DATABASE_UNAVAILABLE').toBody());
    }
  });
  app.get('/metrics', async (_req, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  await app.register(iwaRoutes(relay, diagnoser));
  await app.register(import('./routes/password.ts'), { ...deps, clock }); // POST /api/auth/password
  const identityTokens = new IdentityTokenService({
    clock,
    metadata: new AuthMetadataCache({ clock, fetchMetadata: createMetadataFetcher({ lookup: deps.lookup }) }),
    store: bindingAdapter(store),
    // Exchange puts the add-in page of our manifest in `aud`.
    expectedAudience: manifestUrls((deps.publicUrl ?? new URL(DEFAULT_PUBLIC_URL)).href).page,
  });
  await app.register(authRoutes({ store, identityTokens, clock }));
  const addinDir = deps.addinDir ?? new URL('../../dist/addin', import.meta.url).pathname;
  if (deps.officeJs === 'cdn') {
    // The page, rewritten once at start, replaces the static index; nothing under /office-js/.
    const page = paneWithOfficeJsFromCdn(await readFile(join(addinDir, 'index.html'), 'utf8'));
    for (const url of ['/', '/index.html']) {
      app.get(url, (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
    }
    await app.register(import('@fastify/static'), {
      root: addinDir,
      prefix: '/',
      wildcard: false,
      index: false,
      globIgnore: ['index.html'],
    });
  } else {
    await app.register(import('./routes/office-js.ts')); // office.js from our own origin, at /office-js/
    await app.register(import('@fastify/static'), { root: addinDir, prefix: '/', wildcard: false });
  }
  return app;
}

/** The identity-token service's view of the binding table. */
function bindingAdapter(store: Store): IdentityBindingStore {
  return {
    async bind(key, mailbox) {
      await store.bindings.bind({ ...key, mailbox });
    },
    async find(key) {
      return (await store.bindings.lookup(key.amurl, key.msexchuid))?.mailbox ?? null;
    },
    list: (filter) => store.bindings.list(filter),
    revoke: (target) =>
      'mailbox' in target
        ? store.bindings.revokeMailbox(target.mailbox)
        : store.bindings.revoke(target.amurl, target.msexchuid),
  };
}
