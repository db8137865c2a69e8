import type { LookupFunction } from 'node:net';
import { Command } from 'commander';
import type { ServeFlags } from '../config.ts';
import { databaseOption, option } from './options.ts';

export function serveCommand(): Command {
  return new Command('serve')
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
        '--office-js <source>',
        "where the pane loads Office.js from: local (this server, for intranets) or cdn (Microsoft's CDN, as AppSource requires)",
      ).default('local'),
    )
    .addOption(databaseOption())
    .action(async (flags: ServeFlags & { logLevel: string }) => {
      // Loaded here, not at the top: admin commands must not pay for Fastify, undici and pino.
      const [
        { parseServeConfig },
        { loggerOptions },
        { startServer },
        { lookupWithOverrides },
        { openStore },
      ] = await Promise.all([
        import('../config.ts'),
        import('../logging.ts'),
        import('../server.ts'),
        import('../resolve.ts'),
        import('../storage/index.ts'),
      ]);
      // Validate everything before opening anything, so a bad flag fails fast and names itself.
      const config = parseServeConfig(flags);
      const store = await openStore(config.database);
      const server = await startServer(
        config,
        {
          store,
          logger: loggerOptions(flags.logLevel),
          publicUrl: config.publicUrl,
          officeJs: config.officeJs,
          ...withLookup(lookupWithOverrides(config.resolve ?? new Map())),
        },
        { handleSignals: true, onClosed: () => store.close() },
      );
      server.app.log.info(
        { url: server.url, publicUrl: config.publicUrl.href, database: store.dialect },
        'serving',
      );
    });
}

function withLookup(lookup: LookupFunction | undefined): { lookup?: LookupFunction } {
  return lookup === undefined ? {} : { lookup };
}
