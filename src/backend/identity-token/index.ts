/**
 * Exchange identity-token sign-in (docs/architecture.md §3): validation as Microsoft documents
 * it, the auth-metadata cache and fetcher, and the binding service the routes use.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token
 */
export {
  AuthMetadataCache,
  type AuthMetadataCacheOptions,
  DEFAULT_METADATA_TTL_MS,
  DEFAULT_REFETCH_INTERVAL_MS,
  type FetchMetadata,
} from './metadata-cache.ts';
export {
  createMetadataFetcher,
  METADATA_FETCH_DEFAULTS,
  type MetadataFetcherOptions,
} from './fetch-metadata.ts';
export {
  trustedHostsFor,
  type ValidatedIdentityToken,
  type ValidateIdentityTokenOptions,
  validateIdentityToken,
} from './validate.ts';
export {
  type IdentityBindingKey,
  type IdentityBindingRecord,
  type IdentityBindingStore,
  type IdentityTokenContext,
  IdentityTokenService,
  type IdentityTokenServiceDeps,
  type IdentityTokenSignIn,
} from './service.ts';
