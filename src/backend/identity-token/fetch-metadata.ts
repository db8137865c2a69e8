/**
 * The production {@link FetchMetadata}: GETs an Exchange auth-metadata document with the
 * relay's TLS rules (see `relay/upstream.ts`): https only, the server certificate verified
 * against the profile's CA bundle (or the system roots), TLS 1.2 or newer, SNI set to the
 * host, no redirects followed (a 3xx is a failure), injected name resolution, connect and
 * response timeouts, and a response size limit. One short-lived connection per fetch; the
 * cache makes fetches rare.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#retrieve-the-public-signing-key
 */
import { isIP, type LookupFunction } from 'node:net';
import { Client } from 'undici';
import { IwaError } from '../../protocol/errors.ts';
import { transportErrorCode } from '../relay/transport-errors.ts';
import type { FetchMetadata } from './metadata-cache.ts';

export interface MetadataFetcherOptions {
  /** Injected name resolution; tests map the lab's names to loopback. */
  readonly lookup?: LookupFunction | undefined;
  readonly connectTimeoutMs?: number;
  /** Time allowed for the whole answer (headers and body). */
  readonly requestTimeoutMs?: number;
  /** Exchange's document is a few KB (two certificates); 256 KiB is generous. */
  readonly maxResponseBytes?: number;
}

export const METADATA_FETCH_DEFAULTS = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  maxResponseBytes: 256 * 1024,
} as const;

export function createMetadataFetcher(options: MetadataFetcherOptions = {}): FetchMetadata {
  const connectTimeoutMs = options.connectTimeoutMs ?? METADATA_FETCH_DEFAULTS.connectTimeoutMs;
  const requestTimeoutMs = options.requestTimeoutMs ?? METADATA_FETCH_DEFAULTS.requestTimeoutMs;
  const maxResponseBytes = options.maxResponseBytes ?? METADATA_FETCH_DEFAULTS.maxResponseBytes;

  return async (url, ca) => {
    const target = new URL(url);
    // The validator only passes https amurls on trusted hosts; refuse anything else here too.
    if (target.protocol !== 'https:')
      throw new IwaError('CAS_PROTOCOL_ERROR', { reason: 'auth-metadata-not-https' });
    const client = new Client(target.origin, {
      connect: {
        ca,
        minVersion: 'TLSv1.2',
        rejectUnauthorized: true,
        // SNI must be a host name; RFC 6066 §3 forbids IP literals.
        servername: isIP(target.hostname) === 0 ? target.hostname : undefined,
        lookup: options.lookup,
        ALPNProtocols: ['http/1.1'],
      } as Client.Options['connect'],
      connectTimeout: connectTimeoutMs,
      headersTimeout: requestTimeoutMs,
      bodyTimeout: requestTimeoutMs,
      maxResponseSize: maxResponseBytes,
      pipelining: 1,
    });
    client.on('connectionError', () => undefined);
    try {
      const res = await client.request({
        method: 'GET',
        path: target.pathname + target.search,
        headers: { host: target.host, accept: 'application/json', 'user-agent': 'outlook-iwa' },
        // undici's core never follows redirects; 0 makes that explicit.
        maxRedirections: 0,
        signal: AbortSignal.timeout(requestTimeoutMs),
      } as Parameters<Client['request']>[0]);
      if (res.statusCode !== 200) {
        await res.body.dump().catch(() => undefined);
        throw new IwaError('CAS_PROTOCOL_ERROR', { reason: 'auth-metadata-status', status: res.statusCode });
      }
      return await res.body.text();
    } catch (err) {
      throw toIwaError(err);
    } finally {
      void client.destroy().catch(() => undefined);
    }
  };
}

function toIwaError(err: unknown): IwaError {
  if (err instanceof IwaError) return err;
  let cursor: unknown = err;
  for (let depth = 0; depth < 4 && cursor instanceof Error; depth++) {
    if (cursor instanceof IwaError) return cursor;
    if (cursor.name === 'TimeoutError') return new IwaError('CAS_UNREACHABLE', { reason: 'timeout' });
    const code = (cursor as { code?: unknown }).code;
    const mapped = typeof code === 'string' ? transportErrorCode(code) : undefined;
    if (mapped !== undefined) return new IwaError(mapped.code, { reason: mapped.reason });
    cursor = cursor.cause;
  }
  return new IwaError('CAS_UNREACHABLE', { reason: 'transport' });
}
