import type { LookupFunction } from 'node:net';
import { Command } from 'commander';
import {
  DEFAULT_AUDIT_RETENTION_DAYS,
  DEFAULT_BINDING_MAX_AGE_DAYS,
  DEFAULT_CONNECTION_LIMITS,
  DEFAULT_PROBE_RATE_LIMIT,
  parseServeConfig,
  type ServeFlags,
} from '../config.ts';
import { databaseOption, option } from './options.ts';
import { limitOptions, parseLimitFlags, type LimitFlags } from './limit-options.ts';
import { kekOption } from './tokens.ts';
import { kekMissing } from '../tokens/kek.ts';

export function serveCommand(): Command {
  const command = new Command('serve')
    .description("run the backend: the add-in's files, the API, health and metrics, over HTTPS")
    .addOption(option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(option('--port <port>', 'port to listen on').default('8443'))
    .addOption(
      option('--public-url <url>', 'the address Outlook loads the add-in from (default https://HOST:PORT)'),
    )
    .addOption(option('--tls-cert <pem>', 'certificate chain (PEM); reloaded on SIGHUP or change'))
    .addOption(option('--tls-key <pem>', 'private key (PEM)'))
    .addOption(option('--log-level <level>', 'pino log level').default('info'))
    .addOption(option('--resolve <host:ip,...>', 'pin CAS host names to addresses instead of asking DNS'))
    .addOption(
      option(
        '--proxy-protocol',
        'every connection starts with a PROXY protocol v1/v2 header (HAProxy send-proxy[-v2]) naming the client; env: set to 1',
      ),
    )
    .addOption(
      option(
        '--header-timeout <ms>',
        'PROXY header, TLS handshake and request headers, each within this',
      ).default(String(DEFAULT_CONNECTION_LIMITS.headerTimeoutMs)),
    )
    .addOption(
      option('--request-timeout <ms>', 'a whole request must arrive within this').default(
        String(DEFAULT_CONNECTION_LIMITS.requestTimeoutMs),
      ),
    )
    .addOption(
      option('--keep-alive-timeout <ms>', 'idle keep-alive connections are closed after this').default(
        String(DEFAULT_CONNECTION_LIMITS.keepAliveTimeoutMs),
      ),
    )
    .addOption(
      option('--max-connections <n>', 'open connections at most; more are closed as they arrive').default(
        String(DEFAULT_CONNECTION_LIMITS.maxConnections),
      ),
    )
    .addOption(
      option('--admin-listen <host:port>', 'serve /metrics and /api/admin here instead of on --port'),
    )
    .addOption(
      option('--owa-origin <origin>', 'an OWA origin allowed to frame the pane (https://mail.example.com)'),
    )
    .addOption(
      option(
        '--audit-retention-days <days>',
        'audit entries older than this are deleted; 0 keeps them',
      ).default(String(DEFAULT_AUDIT_RETENTION_DAYS)),
    )
    .addOption(
      option(
        '--binding-max-age-days <days>',
        'identity-token bindings stop working and are deleted after this',
      ).default(String(DEFAULT_BINDING_MAX_AGE_DAYS)),
    )
    .addOption(
      option(
        '--probe-rate-limit <n>',
        '/api/auth/iwa/diagnose and /api/auth/methods requests per client address per minute',
      ).default(String(DEFAULT_PROBE_RATE_LIMIT)),
    )
    .addOption(
      option(
        '--office-js <source>',
        "where the pane loads Office.js from: local (this server, for intranets) or cdn (Microsoft's CDN, as AppSource requires)",
      ).default('local'),
    )
    .addOption(
      option(
        '--workers <n>',
        'server processes sharing the port (1-64); with more than 1, limits are kept in the database',
      ).default('1'),
    )
    .addOption(databaseOption())
    .addOption(kekOption());
  for (const o of limitOptions()) command.addOption(o);
  return command.action(async (flags: ServeFlags & LimitFlags & { logLevel: string }) => {
    // Validate everything before opening anything, so a bad flag fails fast and names itself.
    const config = parseServeConfig(flags);
    const limits = parseLimitFlags(flags);
    // Loaded here, not at the top: admin commands must not pay for Fastify, prom-client and pino.
    const [{ loggerOptions }, { startServer }, { lookupWithOverrides }, { openStore }, cluster] =
      await Promise.all([
        import('../logging.ts'),
        import('../server.ts'),
        import('../resolve.ts'),
        import('../storage/index.ts'),
        import('../cluster.ts'),
      ]);
    const workers = config.workers ?? 1;
    if (workers > 1 && !cluster.isWorker()) {
      const { pino } = await import('pino');
      const log = pino(loggerOptions(flags.logLevel) as Parameters<typeof pino>[0]);
      await cluster.runPrimary({
        workers,
        log,
        // Migrate once, here, before any worker opens the database.
        prepare: async () => {
          const store = await openStore(config.database, { limitCapacity: limits.capacity });
          await store.close();
        },
      });
      return;
    }
    const inWorker = cluster.isWorker();
    // Workers share the limit counters through the database, or each would allow the full budget.
    const store = await openStore(config.database, {
      limitCapacity: limits.capacity,
      sharedLimits: inWorker,
    });
    // Ctrl-C reaches every process in the group; a worker waits for the primary's SIGTERM instead,
    // so that one signal, not two, starts its graceful shutdown.
    if (inWorker) process.on('SIGINT', () => undefined);
    const server = await startServer(
      config,
      {
        store,
        logger: loggerOptions(flags.logLevel),
        publicUrl: config.publicUrl,
        officeJs: config.officeJs,
        relayLimits: limits.relay,
        passwordLimits: limits.password,
        identityTokenFailures: limits.identityTokenFailures,
        ...(config.keyEncryptionKey === undefined ? {} : { keyEncryptionKey: config.keyEncryptionKey }),
        ...withLookup(lookupWithOverrides(config.resolve ?? new Map())),
      },
      {
        handleSignals: true,
        ...(inWorker ? { stopSignals: ['SIGTERM'] as const } : {}),
        onClosed: () => store.close(),
      },
    );
    server.app.log.info(
      { url: server.url, publicUrl: config.publicUrl.href, database: store.dialect },
      'serving',
    );
    if (config.keyEncryptionKey === undefined) {
      server.app.log.warn({ code: 'KEY_ENCRYPTION_KEY_MISSING' }, kekMissing().message);
    }
    if (inWorker) cluster.reportWorkerServing(server.url);
  });
}

function withLookup(lookup: LookupFunction | undefined): { lookup?: LookupFunction } {
  return lookup === undefined ? {} : { lookup };
}
