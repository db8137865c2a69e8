/**
 * A cache of Exchange authentication metadata documents (the JSON at a token's `amurl`),
 * keyed by `amurl` and CA bundle, with the signing certificates imported once.
 *
 * Lifetime: a document is reused for {@link DEFAULT_METADATA_TTL_MS} (1 hour). Exchange
 * publishes its current and next auth certificate well before it switches, so an hour-old
 * copy normally knows the key; when a token names an `x5t` the copy does not hold, the
 * document is fetched again at once, but at most once per {@link DEFAULT_REFETCH_INTERVAL_MS}
 * (1 minute) per `amurl`, so tokens with made-up thumbprints cannot turn us into a load
 * generator against the CAS. A failed fetch is likewise replayed for that minute instead of
 * retried per token (the maps stay small: `amurl` is checked against the profile's trusted
 * host:port pairs before any lookup, and its path is fixed). Concurrent lookups share one fetch.
 *
 * The network is injected (`fetchMetadata`), so tests never touch it; the production fetcher
 * with the relay's TLS rules is `createMetadataFetcher` in `fetch-metadata.ts`.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#retrieve-the-public-signing-key
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { IwaError } from '../../protocol/errors.ts';
import {
  type AuthMetadataDocument,
  findMetadataKey,
  parseAuthMetadata,
} from '../../protocol/identity-token.ts';
import type { Clock } from '../domain.ts';

/** Fetches the metadata document at `url` (https) trusting `ca` (PEM; undefined = system roots). */
export type FetchMetadata = (url: string, ca: string | undefined) => Promise<string>;

export const DEFAULT_METADATA_TTL_MS = 60 * 60 * 1000;
export const DEFAULT_REFETCH_INTERVAL_MS = 60 * 1000;
const DEFAULT_MAX_ENTRIES = 256;

export interface AuthMetadataCacheOptions {
  readonly fetchMetadata: FetchMetadata;
  readonly clock: Clock;
  /** How long a fetched document is used before it is fetched again. */
  readonly ttlMs?: number;
  /** Minimum time between fetches of one `amurl` caused by an unknown `x5t`. */
  readonly refetchIntervalMs?: number;
  /** Bound on cached documents (one per CAS in practice); the oldest is dropped first. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly document: AuthMetadataDocument;
  readonly fetchedAtMs: number;
  /** Public keys imported from the certificates, by x5t. */
  readonly imported: Map<string, KeyObject>;
}

/** Counts of fetches, for tests and metrics. */
export interface AuthMetadataCacheStats {
  fetches: number;
}

export class AuthMetadataCache {
  readonly #fetch: FetchMetadata;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #refetchMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<Entry>>();
  /** Last fetch attempt per cache key, successful or not, for the refetch throttle. */
  readonly #lastAttemptMs = new Map<string, number>();
  /** The last failed fetch per cache key, replayed until the refetch interval has passed. */
  readonly #lastFailure = new Map<string, { readonly atMs: number; readonly error: Error }>();
  readonly stats: AuthMetadataCacheStats = { fetches: 0 };

  constructor(options: AuthMetadataCacheOptions) {
    this.#fetch = options.fetchMetadata;
    this.#clock = options.clock;
    this.#ttlMs = options.ttlMs ?? DEFAULT_METADATA_TTL_MS;
    this.#refetchMs = options.refetchIntervalMs ?? DEFAULT_REFETCH_INTERVAL_MS;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /**
   * The RSA public key of the certificate whose `keyinfo.x5t` equals `x5t` in the document at
   * `amurl`, or undefined if the document (after at most one throttled refetch) has none.
   * Throws `CAS_UNREACHABLE` / `CAS_TLS_UNTRUSTED` / `CAS_PROTOCOL_ERROR` when the document
   * cannot be fetched or is not a metadata document.
   *
   * @param amurl - the normalised, already trusted `amurl` (see `checkAmurlHost`).
   */
  async signingKey(amurl: string, x5t: string, ca: string | undefined): Promise<KeyObject | undefined> {
    const cacheKey = `${amurl}\n${ca ?? ''}`;
    const now = this.#clock.now().getTime();
    let entry = this.#entries.get(cacheKey);
    if (entry === undefined || now - entry.fetchedAtMs >= this.#ttlMs) {
      entry = await this.#load(cacheKey, amurl, ca);
    }
    if (findMetadataKey(entry.document, x5t) === undefined) {
      // Key rollover: the token may be signed with a certificate published after our copy.
      const last = this.#lastAttemptMs.get(cacheKey) ?? Number.NEGATIVE_INFINITY;
      if (now - last < this.#refetchMs) return undefined;
      entry = await this.#load(cacheKey, amurl, ca);
    }
    const key = findMetadataKey(entry.document, x5t);
    if (key === undefined) return undefined;
    let publicKey = entry.imported.get(x5t);
    if (publicKey === undefined) {
      publicKey = importCertificateKey(key.certificate);
      entry.imported.set(x5t, publicKey);
    }
    return publicKey;
  }

  /** The cached or freshly fetched document (for diagnosis). */
  async document(amurl: string, ca: string | undefined): Promise<AuthMetadataDocument> {
    const cacheKey = `${amurl}\n${ca ?? ''}`;
    const entry = this.#entries.get(cacheKey);
    if (entry !== undefined && this.#clock.now().getTime() - entry.fetchedAtMs < this.#ttlMs)
      return entry.document;
    return (await this.#load(cacheKey, amurl, ca)).document;
  }

  /** Drops every cached document. */
  clear(): void {
    this.#entries.clear();
    this.#lastAttemptMs.clear();
    this.#lastFailure.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  #load(cacheKey: string, amurl: string, ca: string | undefined): Promise<Entry> {
    const pending = this.#inflight.get(cacheKey);
    if (pending !== undefined) return pending;
    // A CAS that is down or serves garbage is asked again at most once per refetch interval,
    // so a stream of tokens naming it cannot turn into a stream of fetches.
    const failure = this.#lastFailure.get(cacheKey);
    if (failure !== undefined && this.#clock.now().getTime() - failure.atMs < this.#refetchMs) {
      return Promise.reject(failure.error);
    }
    const promise = (async () => {
      const startedMs = this.#clock.now().getTime();
      this.#lastAttemptMs.set(cacheKey, startedMs);
      this.stats.fetches++;
      let document: AuthMetadataDocument;
      try {
        document = parseAuthMetadata(await this.#fetch(amurl, ca));
      } catch (thrown) {
        const error =
          thrown instanceof Error ? thrown : new IwaError('CAS_UNREACHABLE', { reason: 'transport' });
        this.#lastFailure.set(cacheKey, { atMs: startedMs, error });
        throw error;
      }
      this.#lastFailure.delete(cacheKey);
      const entry: Entry = { document, fetchedAtMs: this.#clock.now().getTime(), imported: new Map() };
      this.#entries.delete(cacheKey);
      if (this.#entries.size >= this.#maxEntries) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) {
          this.#entries.delete(oldest);
          this.#lastAttemptMs.delete(oldest);
          this.#lastFailure.delete(oldest);
        }
      }
      this.#entries.set(cacheKey, entry);
      return entry;
    })().finally(() => this.#inflight.delete(cacheKey));
    this.#inflight.set(cacheKey, promise);
    return promise;
  }
}

/**
 * The public key of a DER certificate from the metadata document. Exchange signs RS256, so
 * anything but an RSA key is a broken document, not a token problem.
 */
function importCertificateKey(der: Uint8Array): KeyObject {
  let publicKey: KeyObject;
  try {
    publicKey = new X509Certificate(der).publicKey;
  } catch {
    throw new IwaError('CAS_PROTOCOL_ERROR', {
      reason: 'auth-metadata-invalid',
      problem: 'certificate does not parse',
    });
  }
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw new IwaError('CAS_PROTOCOL_ERROR', {
      reason: 'auth-metadata-invalid',
      problem: 'signing key is not RSA',
    });
  }
  return publicKey;
}
