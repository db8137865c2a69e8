/**
 * The production {@link FetchMetadata}: GETs an Exchange auth-metadata document through the
 * app's {@link CasClient}, so with the relay's TLS rules: https only, the server certificate
 * verified against the profile's CA bundle (or the system roots), TLS 1.2 or newer, SNI set to
 * the host, no redirects followed (a 3xx is a failure), injected name resolution, connect and
 * response timeouts, and a response size limit. One short-lived connection per fetch; the
 * cache makes fetches rare.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#retrieve-the-public-signing-key
 */
import { IwaError } from '../../protocol/errors.ts';
import type { CasClient } from '../cas/client.ts';
import type { FetchMetadata } from './metadata-cache.ts';

export interface MetadataFetcherOptions {
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

export function createMetadataFetcher(cas: CasClient, options: MetadataFetcherOptions = {}): FetchMetadata {
  const limits = { ...METADATA_FETCH_DEFAULTS, ...options };
  return async (url, ca) => {
    const target = new URL(url);
    // The validator only passes https amurls on trusted hosts; refuse anything else here too.
    if (target.protocol !== 'https:')
      throw new IwaError('CAS_PROTOCOL_ERROR', { reason: 'auth-metadata-not-https' });
    const res = await cas.get({ url: target, ca }, 'application/json', limits);
    if (res.status !== 200) {
      throw new IwaError('CAS_PROTOCOL_ERROR', { reason: 'auth-metadata-status', status: res.status });
    }
    return res.body;
  };
}
