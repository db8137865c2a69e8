import type { LookupFunction } from 'node:net';
import { Command } from 'commander';
import { parseServeConfig, type ServeFlags } from '../config.ts';
import { loggerOptions } from '../logging.ts';
import { startServer } from '../server.ts';
import { lookupWithOverrides } from '../resolve.ts';
import { openStore } from '../storage/index.ts';
import { databaseOption, option } from './options.ts';
import { kekOption } from './tokens.ts';
import { kekMissing } from '../tokens/kek.ts';

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
    .addOption(databaseOption())
    .addOption(kekOption())
    .action(async (flags: ServeFlags & { logLevel: string }) => {
      // Validate everything before opening anything, so a bad flag fails fast and names itself.
      const config = parseServeConfig(flags);
      const store = await openStore(config.database);
      const server = await startServer(
        config,
        {
          store,
          logger: loggerOptions(flags.logLevel),
          publicUrl: config.publicUrl,
          ...(config.keyEncryptionKey === undefined ? {} : { keyEncryptionKey: config.keyEncryptionKey }),
          ...withLookup(lookupWithOverrides(config.resolve ?? new Map())),
        },
        { handleSignals: true, onClosed: () => store.close() },
      );
      server.app.log.info(
        { url: server.url, publicUrl: config.publicUrl.href, database: store.dialect },
        'serving',
      );
      if (config.keyEncryptionKey === undefined) {
        server.app.log.warn({ code: 'KEY_ENCRYPTION_KEY_MISSING' }, kekMissing().message);
      }
    });
}

function withLookup(lookup: LookupFunction | undefined): { lookup?: LookupFunction } {
  return lookup === undefined ? {} : { lookup };
}
