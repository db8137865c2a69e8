import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { IwaError } from '../protocol/errors.ts';
import { parseResolveOverrides } from './resolve.ts';

/** The `serve` flags after validation; built once at boot and passed down. */
export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  readonly publicUrl: URL;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly database: string;
  /** `--resolve` pins: CAS host name → address. */
  readonly resolve?: ReadonlyMap<string, string>;
  /** `--office-js`: where the pane loads Office.js from. */
  readonly officeJs?: 'local' | 'cdn';
}

export interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly publicUrl?: string | undefined;
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
  readonly database: string;
  readonly resolve?: string | undefined;
  readonly officeJs?: string | undefined;
}

function invalid(flag: string, problem: string): IwaError {
  const env = `OUTLOOK_IWA_${flag.replace(/^--/, '').toUpperCase().replaceAll('-', '_')}`;
  return new IwaError('CONFIG_INVALID', { flag, env, problem }, `${flag} (${env}): ${problem}`);
}

/**
 * Validates `outlook-iwa serve` flags at boot, so a bad setting fails fast with the flag and
 * its environment variable named instead of surfacing later as a confusing runtime error.
 */
export function parseServeConfig(flags: ServeFlags): ServeConfig {
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port) || port < 1 || port > 65535) {
    throw invalid('--port', `must be a port number 1-65535, got "${flags.port}"`);
  }
  if (flags.host.trim() === '') throw invalid('--host', 'must not be empty');
  const publicUrlText =
    flags.publicUrl ?? `https://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${port}`;
  let publicUrl: URL;
  try {
    publicUrl = new URL(publicUrlText);
  } catch {
    throw invalid('--public-url', `not a URL: "${publicUrlText}"`);
  }
  if (publicUrl.protocol !== 'https:') throw invalid('--public-url', 'must be an https:// URL');
  if (
    publicUrl.username !== '' ||
    publicUrl.password !== '' ||
    publicUrl.search !== '' ||
    publicUrl.hash !== ''
  ) {
    throw invalid('--public-url', 'must not carry credentials, a query or a fragment');
  }
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw invalid(
      flags.tlsCert === undefined ? '--tls-cert' : '--tls-key',
      'give --tls-cert and --tls-key together',
    );
  }
  let tls: ServeConfig['tls'];
  if (flags.tlsCert !== undefined && flags.tlsKey !== undefined) {
    readPem('--tls-cert', flags.tlsCert, (pem) => new X509Certificate(pem));
    readPem('--tls-key', flags.tlsKey, (pem) => createPrivateKey(pem));
    tls = { certFile: flags.tlsCert, keyFile: flags.tlsKey };
  }
  if (!/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(flags.database)) {
    throw invalid('--database', 'must be sqlite:PATH or a postgres:// URL');
  }
  const resolve = parseResolveOverrides(flags.resolve);
  const officeJs = flags.officeJs ?? 'local';
  if (officeJs !== 'local' && officeJs !== 'cdn') {
    throw invalid('--office-js', `must be local or cdn, got "${officeJs}"`);
  }
  return { host: flags.host, port, publicUrl, tls, database: flags.database, resolve, officeJs };
}

function readPem(flag: string, file: string, check: (pem: string) => unknown): void {
  if (!existsSync(file)) throw invalid(flag, `file not found: ${file}`);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    throw invalid(flag, `cannot read ${file}`);
  }
  try {
    check(pem);
  } catch {
    throw invalid(flag, `${file} is not a valid PEM ${flag === '--tls-key' ? 'private key' : 'certificate'}`);
  }
}
