import type { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LookupFunction } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { IwaError } from '../protocol/errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { sessionRoutes } from './routes/session.ts';
import { tokenRoutes } from './routes/token.ts';
import { TokenService } from './tokens/service.ts';
import { issuerOf } from '../protocol/access-token.ts';
import { createMetrics } from './metrics.ts';
import { OneLinePerRequest } from './logging.ts';
import { securityHeaders } from './security-headers.ts';
import { CasClient, type CasEfficiency } from './cas/client.ts';
import { Diagnoser } from './relay/diagnose.ts';
import { PasswordSignIn, type PasswordLimits } from './password/sign-in.ts';
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
import { passwordRoutes } from './routes/password.ts';
import { IdentityTokenSignIn } from './sign-in/identity-token.ts';
import { SignInPipeline } from './sign-in/pipeline.ts';
import { SignInLimits } from './limits/sign-in-limits.ts';
import type { RateLimitPolicy } from './relay/rate-limit.ts';
import { paneWithOfficeJsFromCdn, type OfficeJsSource } from './routes/office-js.ts';
import type { Store } from './storage/types.ts';
import type { Clock } from './domain.ts';
import {
  DEFAULT_BINDING_MAX_AGE_DAYS,
  DEFAULT_CONNECTION_LIMITS,
  DEFAULT_PROBE_RATE_LIMIT,
  definedOnly,
  headerCheckIntervalMs,
  type ConnectionLimits,
} from './config.ts';
import type { Metrics } from './metrics.ts';

/** Everything the app needs from the outside world, injected so tests can replace it. */
export interface AppDeps {
  readonly store: Store;
  /** Where `GET /` and the add-in's assets come from (default: `dist/addin`). */
  readonly addinDir?: string;
  readonly logger?: FastifyServerOptions['logger'];
  readonly clock?: Clock;
  /** Name resolution for connections to the CAS; tests map the lab's names to loopback. */
  readonly lookup?: LookupFunction;
  /** Spare connections and the probe cache towards CASes (the benchmark switches them). */
  readonly casEfficiency?: Partial<CasEfficiency>;
  readonly relayLimits?: Partial<RelayLimits>;
  readonly passwordLimits?: Partial<PasswordLimits>;
  /** Failed identity-token sign-ins per client address. */
  readonly identityTokenFailures?: RateLimitPolicy;
  /** Serve HTTPS (the product always does; `app.inject()` tests need not). */
  readonly https?: { readonly key: string; readonly cert: string };
  /** The address Outlook loads the add-in from; its page is the identity token's audience. */
  readonly publicUrl?: URL;
  /** The certificate we serve, for the Extended Protection hint in diagnosis. */
  readonly servingCertificate?: () => X509Certificate | undefined;
  /** Timeouts and connection cap (`serve --header-timeout` …). */
  readonly connections?: Partial<ConnectionLimits>;
  /** `/metrics` and `/api/admin` are served by {@link buildAdminApp} on another listener. */
  readonly separateAdmin?: boolean;
  /** `--owa-origin`: allowed to frame the pane, besides the Outlook hosts. */
  readonly owaOrigin?: string;
  /** `--binding-max-age-days`: older identity-token bindings sign no one in. */
  readonly bindingMaxAgeDays?: number;
  /** `--probe-rate-limit`: diagnose and methods requests per client address per minute. */
  readonly probeRateLimit?: number;
  /** The key-encryption key (`--key-encryption-key-file`); without it access tokens are off. */
  readonly keyEncryptionKey?: Uint8Array;
  /** `--office-js`: serve Office.js at `/office-js/` (default) or have the pane load Microsoft's CDN. */
  readonly officeJs?: OfficeJsSource;
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly relay: NegotiateRelay;
    readonly metrics: Metrics;
    /** Every connection to a CAS goes through this one client. */
    readonly cas: CasClient;
  }
}

/** Header block limit: Kerberos tickets with large PACs need more than Node's 16 KiB default. */
export const MAX_HEADER_BYTES = 64 * 1024;

const SYSTEM_CLOCK: Clock = { now: () => new Date() };

/** How often expired limit counters are deleted (they are ignored as soon as they expire). */
const LIMIT_SWEEP_MS = 5 * 60_000;

/**
 * Builds the HTTP app: API, health, metrics and the add-in's files. It does not listen;
 * `server.ts` does (docs/architecture.md §8.6: app and server are separate).
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const app = Fastify({
    ...serverOptions(deps),
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 64 * 1024,
    genReqId: () => crypto.randomUUID(),
    // Node rejects oversized header blocks before any route runs; answer in our own format.
    clientErrorHandler(err, socket) {
      const code = (err as { code?: string }).code;
      const [status, error] =
        code === 'HPE_HEADER_OVERFLOW'
          ? ['431 Request Header Fields Too Large', new IwaError('REQUEST_TOO_LARGE', { limit: 'headers' })]
          : code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? ['408 Request Timeout', new IwaError('REQUEST_TIMEOUT')]
            : ['400 Bad Request', new IwaError('INPUT_INVALID')];
      const body = JSON.stringify(error.toBody());
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status}\r\n` +
            `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
            `Connection: close\r\n\r\n${body}`,
        );
      } else {
        socket.destroy();
      }
    },
  });

  errorHandlers(app);

  const addinDir = deps.addinDir ?? new URL('../../dist/addin', import.meta.url).pathname;
  const headers = securityHeaders({ addinDir, officeJs: deps.officeJs, owaOrigin: deps.owaOrigin });
  app.addHook('onRequest', (req, reply, done) => {
    headers(req.raw, reply.raw, done);
  });

  const { store } = deps;
  const cas = new CasClient({ clock, lookup: deps.lookup, efficiency: deps.casEfficiency });
  app.decorate('cas', cas);
  app.addHook('onClose', () => {
    cas.close();
  });
  const metrics = createMetrics(() => cas.liveSockets);
  // One set of counters for every sign-in path (and, on PostgreSQL, every instance).
  const signInLimits = new SignInLimits(store.limits);
  const sweeper = setInterval(() => {
    store.limits.sweep().catch(() => undefined);
  }, LIMIT_SWEEP_MS);
  sweeper.unref();
  app.addHook('onClose', () => {
    clearInterval(sweeper);
  });
  app.decorate('metrics', metrics);
  const effectiveProfile = (mailbox: string) => store.profiles.effective(mailbox);
  /** Type and message only: no stack with locals, no request, never a secret. */
  const internalError = (what: string) => (err: unknown) => {
    app.log.error({ err: err instanceof Error ? { type: err.name, message: err.message } : 'unknown' }, what);
  };
  // Every sign-in method's shared steps: profile gate, session + audit row, metrics, reply.
  const pipeline = new SignInPipeline({
    clock,
    metrics: metrics.signIn,
    store: {
      effectiveProfile,
      succeeded: (session, audit) => store.signIns.succeeded(session, audit),
      audit: (entry) => store.audit.record(entry),
    },
    onInternalError: internalError('sign-in error'),
  });
  const relay = new NegotiateRelay({
    pipeline,
    clock,
    metrics: metrics.relay,
    signInLimits,
    cas,
    ...(deps.servingCertificate === undefined ? {} : { servingCertificate: deps.servingCertificate }),
    publicHost: (deps.publicUrl ?? new URL(DEFAULT_PUBLIC_URL)).hostname,
    // The account and address failure budgets are the password sign-in's: one policy per counter.
    limits: {
      ...definedOnly({
        accountBackoff: deps.passwordLimits?.accountBackoff,
        addressBackoff: deps.passwordLimits?.addressBackoff,
      }),
      ...deps.relayLimits,
    },
    onInternalError: internalError('relay error'),
  });
  const password = new PasswordSignIn({
    pipeline,
    clock,
    signInLimits,
    connect: (target, limits) => cas.connect(target, limits),
    ...(deps.passwordLimits === undefined ? {} : { limits: deps.passwordLimits }),
    onInternalError: internalError('password sign-in error'),
  });
  app.decorate('relay', relay);
  app.addHook('onClose', () => {
    relay.close();
  });

  const diagnoser = new Diagnoser({
    effectiveProfile,
    cas,
    ...(deps.servingCertificate === undefined ? {} : { servingCertificate: deps.servingCertificate }),
  });

  app.get('/healthz', () => ({ ok: true }));
  await app.register(sessionRoutes, { store });
  const publicUrl = deps.publicUrl ?? new URL(DEFAULT_PUBLIC_URL);
  const issuer = issuerOf(publicUrl);
  const tokens = new TokenService({
    store,
    issuer,
    kek: deps.keyEncryptionKey,
    clock,
    metrics: metrics.tokens,
  });
  try {
    await tokens.checkKek();
  } catch (err) {
    // A wrong key-encryption key is a configuration error: fail the boot. A database that is
    // down now is /readyz's business, not a reason to refuse to start.
    if (!(err instanceof IwaError) || err.code !== 'DATABASE_UNAVAILABLE') throw err;
  }
  await app.register(tokenRoutes, { tokens, issuer });
  if (deps.separateAdmin !== true) {
    await app.register(adminRoutes, { store, keyEncryptionKey: deps.keyEncryptionKey, prefix: '/api/admin' });
  }
  app.get('/readyz', async (_req, reply) => {
    try {
      await store.adminCredentials.exists();
      return { ok: true, database: store.dialect };
    } catch {
      return reply.status(503).send(new IwaError('DATABASE_UNAVAILABLE').toBody());
    }
  });
  if (deps.separateAdmin !== true) metricsRoute(app, metrics);

  // Per client address, in the shared counters; each diagnosis costs connections to the CAS.
  const probeLimit = deps.probeRateLimit ?? DEFAULT_PROBE_RATE_LIMIT;
  const probe = { limits: signInLimits, policy: { burst: probeLimit, perMinute: probeLimit } };
  await app.register(iwaRoutes, { relay, diagnoser, store, probe });
  await app.register(passwordRoutes, { password });
  const identityTokens = new IdentityTokenService({
    clock,
    metadata: new AuthMetadataCache({ clock, fetchMetadata: createMetadataFetcher(cas) }),
    store: bindingAdapter(store, clock, (deps.bindingMaxAgeDays ?? DEFAULT_BINDING_MAX_AGE_DAYS) * DAY_MS),
    // Exchange puts the add-in page of our manifest in `aud`.
    expectedAudience: manifestUrls(publicUrl.href).page,
    // Every profile that takes identity tokens may be the issuer's: which one is the mailbox's
    // is known only after the binding lookup, which comes after the signature.
    issuers: async () =>
      (await store.profiles.list())
        .filter((p) => p.methods.includes('identity-token'))
        .map((p) => ({ casUrl: p.casUrl, ca: p.casCa })),
  });
  const identityTokenSignIn = new IdentityTokenSignIn({
    tokens: identityTokens,
    pipeline,
    clock,
    limits: signInLimits,
    failures: deps.identityTokenFailures,
  });
  await app.register(authRoutes, { store, identityTokens: identityTokenSignIn, probe });
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

/** Logger, TLS and the connection limits, shared by the main and the admin listener. */
function serverOptions(
  deps: Pick<AppDeps, 'logger' | 'https' | 'connections'>,
): FastifyServerOptions & { https?: object } {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...deps.connections };
  // Node applies these to the header block and the whole request (node:http createServer).
  const timeouts = {
    headersTimeout: limits.headerTimeoutMs,
    connectionsCheckingInterval: headerCheckIntervalMs(limits),
    maxHeaderSize: MAX_HEADER_BYTES,
  };
  return {
    logger: deps.logger ?? false,
    logController: new OneLinePerRequest(),
    ...(deps.https === undefined
      ? { http: timeouts }
      : {
          https: {
            ...deps.https,
            ...timeouts,
            minVersion: 'TLSv1.2' as const,
            // A client that never finishes its TLS handshake is held no longer than one that
            // never finishes its headers.
            handshakeTimeout: limits.headerTimeoutMs,
          },
        }),
    requestTimeout: limits.requestTimeoutMs,
    // Longer than a handshake's TTL, so a browser's connection outlives its handshake.
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

/** Every answer, errors included, in the catalogue's format. */
function errorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof IwaError) {
      const retry = err.details.retryAfterSeconds;
      if (typeof retry === 'number') void reply.header('retry-after', String(retry));
      return reply.status(err.status).send(err.toBody());
    }
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
}

function metricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', async (_req, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

/**
 * The admin listener of `serve --admin-listen`: `/metrics` and `/api/admin` only, so they can sit
 * on an address the public cannot reach (docs/admin-guide.md, security).
 */
export async function buildAdminApp(
  deps: Pick<AppDeps, 'store' | 'logger' | 'https' | 'connections'> & { readonly metrics: Metrics },
): Promise<FastifyInstance> {
  const app = Fastify({ ...serverOptions(deps), genReqId: () => crypto.randomUUID() });
  errorHandlers(app);
  metricsRoute(app, deps.metrics);
  await app.register(adminRoutes, { store: deps.store, prefix: '/api/admin' });
  return app;
}

const DAY_MS = 86_400_000;

/**
 * The identity-token service's view of the binding table. A binding older than `maxAgeMs`
 * signs no one in, even before the sweep deletes it.
 */
function bindingAdapter(store: Store, clock: Clock, maxAgeMs: number): IdentityBindingStore {
  return {
    async bind(key, mailbox, sessionId) {
      await store.bindings.bind({ ...key, mailbox, ...(sessionId === undefined ? {} : { sessionId }) });
    },
    async find(key) {
      const binding = await store.bindings.lookup(key.amurl, key.msexchuid);
      if (binding === null || binding.createdAt.getTime() <= clock.now().getTime() - maxAgeMs) return null;
      return binding.mailbox;
    },
    list: (filter) => store.bindings.list(filter),
    revoke: (target) =>
      'mailbox' in target
        ? store.bindings.revokeMailbox(target.mailbox)
        : store.bindings.revoke(target.amurl, target.msexchuid),
  };
}
