import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { IwaError } from '../protocol/errors.ts';
import { parseResolveOverrides } from './resolve.ts';
import { loadKek } from './tokens/kek.ts';

/**
 * `o` without its undefined fields, so that spreading it over defaults keeps every default the
 * caller did not set (an explicit `undefined` would otherwise overwrite it).
 */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The `serve` flags after validation; built once at boot and passed down. */
export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  readonly publicUrl: URL;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly database: string;
  /** `--resolve` pins: CAS host name → address. */
  readonly resolve?: ReadonlyMap<string, string>;
  /** Every connection starts with a PROXY protocol header naming the client (`--proxy-protocol`). */
  readonly proxyProtocol?: boolean;
  /** Connection timeouts and cap; omitted fields take {@link DEFAULT_CONNECTION_LIMITS}. */
  readonly connections?: Partial<ConnectionLimits>;
  /** `--admin-listen`: `/metrics` and `/api/admin` on this address instead of the main one. */
  readonly adminListen?: { readonly host: string; readonly port: number };
  /** `--owa-origin`: an extra origin allowed to frame the pane (`frame-ancestors`). */
  readonly owaOrigin?: string;
  /** `--audit-retention-days`: audit entries older than this are swept; 0 keeps them forever. */
  readonly auditRetentionDays?: number;
  /** `--binding-max-age-days`: identity-token bindings older than this stop working and are swept. */
  readonly bindingMaxAgeDays?: number;
  /** `--probe-rate-limit`: diagnose and methods requests per client address per minute. */
  readonly probeRateLimit?: number;
  /** From `--key-encryption-key-file`; undefined means access tokens are off. */
  readonly keyEncryptionKey?: Uint8Array | undefined;
  /** `--office-js`: where the pane loads Office.js from. */
  readonly officeJs?: 'local' | 'cdn';
  /** `--workers`: server processes sharing the port (node:cluster); 1 runs no cluster. */
  readonly workers?: number;
}

/** What a connection may cost the server before it is cut off (`docs/admin-guide.md`, security). */
export interface ConnectionLimits {
  /**
   * Bounds each phase before a request is read: the PROXY header, the TLS handshake and the
   * request's header block. Node checks every {@link headerCheckIntervalMs}.
   */
  readonly headerTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this; longer than a handshake's TTL. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections at most; further ones are closed as they arrive. */
  readonly maxConnections: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  // With the 5 s check interval, a client that trickles its headers is cut off within 25 s.
  headerTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 75_000,
  maxConnections: 4096,
};

/** How often Node looks for connections past their header or request timeout. */
export function headerCheckIntervalMs(limits: Pick<ConnectionLimits, 'headerTimeoutMs'>): number {
  return Math.max(100, Math.min(5_000, Math.floor(limits.headerTimeoutMs / 4)));
}

export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
/** Diagnose and methods requests per client address per minute (and in a burst). */
export const DEFAULT_PROBE_RATE_LIMIT = 30;
export const DEFAULT_BINDING_MAX_AGE_DAYS = 90;
/** `serve --workers`: one process unless asked; at most {@link MAX_WORKERS}. */
export const DEFAULT_WORKERS = 1;
export const MAX_WORKERS = 64;

export interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly publicUrl?: string | undefined;
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
  readonly database: string;
  readonly resolve?: string | undefined;
  readonly proxyProtocol?: boolean | string | undefined;
  readonly headerTimeout?: string | undefined;
  readonly requestTimeout?: string | undefined;
  readonly keepAliveTimeout?: string | undefined;
  readonly maxConnections?: string | undefined;
  readonly adminListen?: string | undefined;
  readonly owaOrigin?: string | undefined;
  readonly auditRetentionDays?: string | undefined;
  readonly bindingMaxAgeDays?: string | undefined;
  readonly probeRateLimit?: string | undefined;
  readonly keyEncryptionKeyFile?: string | undefined;
  readonly officeJs?: string | undefined;
  readonly workers?: string | undefined;
}

/** `NODE_ENV`, injected so tests need not change the process's environment. */
export interface ServeEnvironment {
  readonly nodeEnv?: string | undefined;
}

function invalid(flag: string, problem: string): IwaError {
  const env = `OUTLOOK_IWA_${flag.replace(/^--/, '').toUpperCase().replaceAll('-', '_')}`;
  return new IwaError('CONFIG_INVALID', { flag, env, problem }, `${flag} (${env}): ${problem}`);
}

/**
 * Validates `outlook-iwa serve` flags at boot, so a bad setting fails fast with the flag and
 * its environment variable named instead of surfacing later as a confusing runtime error.
 */
export function parseServeConfig(
  flags: ServeFlags,
  env: ServeEnvironment = { nodeEnv: process.env.NODE_ENV },
): ServeConfig {
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
  // A production service must never fall back to the self-signed development pair.
  if (tls === undefined && env.nodeEnv === 'production') {
    throw new IwaError(
      'TLS_CERT_REQUIRED',
      { flag: '--tls-cert', env: 'OUTLOOK_IWA_TLS_CERT' },
      'NODE_ENV=production and no --tls-cert/--tls-key (OUTLOOK_IWA_TLS_CERT/OUTLOOK_IWA_TLS_KEY) given.',
    );
  }
  const resolve = parseResolveOverrides(flags.resolve);
  const connections: ConnectionLimits = {
    headerTimeoutMs: whole(
      '--header-timeout',
      flags.headerTimeout,
      DEFAULT_CONNECTION_LIMITS.headerTimeoutMs,
      1,
    ),
    requestTimeoutMs: whole(
      '--request-timeout',
      flags.requestTimeout,
      DEFAULT_CONNECTION_LIMITS.requestTimeoutMs,
      1,
    ),
    keepAliveTimeoutMs: whole(
      '--keep-alive-timeout',
      flags.keepAliveTimeout,
      DEFAULT_CONNECTION_LIMITS.keepAliveTimeoutMs,
      1,
    ),
    maxConnections: whole(
      '--max-connections',
      flags.maxConnections,
      DEFAULT_CONNECTION_LIMITS.maxConnections,
      1,
    ),
  };
  // Node refuses a header timeout longer than the request timeout.
  if (connections.headerTimeoutMs > connections.requestTimeoutMs) {
    throw invalid('--header-timeout', 'must not be longer than --request-timeout');
  }
  let adminListen: ServeConfig['adminListen'];
  if (flags.adminListen !== undefined) {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(flags.adminListen);
    const adminPort = Number(m?.[3]);
    if (m === null || adminPort < 1 || adminPort > 65535) {
      throw invalid('--admin-listen', `must be HOST:PORT (IPv6 as [ADDR]:PORT), got "${flags.adminListen}"`);
    }
    adminListen = { host: m[1] ?? m[2] ?? '', port: adminPort };
  }
  let owaOrigin: string | undefined;
  if (flags.owaOrigin !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(flags.owaOrigin);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:' || url.origin !== flags.owaOrigin.replace(/\/$/, '')) {
      throw invalid(
        '--owa-origin',
        `must be an https:// origin such as https://mail.example.com, got "${flags.owaOrigin}"`,
      );
    }
    owaOrigin = url.origin;
  }
  const officeJs = flags.officeJs ?? 'local';
  if (officeJs !== 'local' && officeJs !== 'cdn') {
    throw invalid('--office-js', `must be local or cdn, got "${officeJs}"`);
  }
  // KEY_ENCRYPTION_KEY_INVALID (missing, short, readable by others) fails the boot here.
  const keyEncryptionKey =
    flags.keyEncryptionKeyFile === undefined ? undefined : loadKek(flags.keyEncryptionKeyFile);
  const workers = flags.workers === undefined ? DEFAULT_WORKERS : Number(flags.workers);
  if (flags.workers !== undefined && (!/^\d+$/.test(flags.workers) || workers < 1 || workers > MAX_WORKERS)) {
    throw invalid('--workers', `must be a whole number 1-${MAX_WORKERS}, got "${flags.workers}"`);
  }
  return {
    keyEncryptionKey,
    workers,
    host: flags.host,
    port,
    publicUrl,
    tls,
    database: flags.database,
    resolve,
    officeJs,
    proxyProtocol:
      flags.proxyProtocol === true || flags.proxyProtocol === 'true' || flags.proxyProtocol === '1',
    connections,
    ...(adminListen === undefined ? {} : { adminListen }),
    ...(owaOrigin === undefined ? {} : { owaOrigin }),
    ...(flags.probeRateLimit === undefined
      ? {}
      : { probeRateLimit: whole('--probe-rate-limit', flags.probeRateLimit, 0, 1) }),
    auditRetentionDays: whole(
      '--audit-retention-days',
      flags.auditRetentionDays,
      DEFAULT_AUDIT_RETENTION_DAYS,
      0,
    ),
    bindingMaxAgeDays: whole(
      '--binding-max-age-days',
      flags.bindingMaxAgeDays,
      DEFAULT_BINDING_MAX_AGE_DAYS,
      1,
    ),
  };
}

/** A whole number flag (at least `min`), or its default when not given. */
function whole(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw invalid(flag, `must be a whole number of at least ${min}, got "${text}"`);
  }
  return n;
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
