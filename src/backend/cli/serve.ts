import { Command } from 'commander';
import { buildApp } from '../app.ts';
import { databaseOption, option } from './options.ts';

export function serveCommand(): Command {
  return new Command('serve')
    .description("run the backend: the add-in's files, the API, health and metrics, over HTTPS")
    .addOption(option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(option('--port <port>', 'port to listen on').default('8443'))
    .addOption(option('--public-url <url>', 'the address Outlook loads the add-in from'))
    .addOption(option('--tls-cert <pem>', 'certificate chain (PEM)'))
    .addOption(option('--tls-key <pem>', 'private key (PEM)'))
    .addOption(databaseOption())
    .action(async (opts: { host: string; port: string }) => {
      const app = await buildApp({ logger: true });
      await app.listen({ host: opts.host, port: Number(opts.port) });
    });
}
