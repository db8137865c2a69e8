/**
 * Full validation of an Exchange user identity token, in the order Microsoft documents:
 * extract (`malformed`), check the contents (`algorithm`, `version`, `audience`, `expired`,
 * `not-yet-valid`), verify the domain of `amurl` (`untrusted-issuer`), retrieve the signing
 * key from the auth-metadata document by `x5t` (`unknown-key`), verify the RS256 signature
 * (`signature`, by jose's `compactVerify`). Every failure is `IDENTITY_TOKEN_INVALID` with that `reason`; errors never
 * carry token content.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/inside-the-identity-token
 */
import type { KeyObject } from 'node:crypto';
import { compactVerify, errors } from 'jose';
import {
  type IdentityTokenAppContext,
  type IdentityTokenPayload,
  checkAmurlHost,
  checkIdentityTokenClaims,
  identityTokenInvalid,
  parseIdentityToken,
} from '../../protocol/identity-token.ts';
import type { Clock } from '../domain.ts';
import type { AuthMetadataCache } from './metadata-cache.ts';

export interface ValidateIdentityTokenOptions {
  /** Our add-in page URL, exactly as the manifest's `SourceLocation` names it. */
  readonly expectedAudience: string;
  /**
   * Hosts whose `amurl` we trust (`host` = port 443, or `host:port`): the effective
   * profile's CAS host and any extra hosts the profile trusts. Build it with
   * {@link trustedHostsFor}.
   */
  readonly trustedHosts: readonly string[];
  /** The profile's CA bundle (PEM) for fetching the metadata; undefined = system roots. */
  readonly ca: string | undefined;
  readonly clock: Clock;
  readonly metadata: AuthMetadataCache;
  /** Clock skew allowed on `nbf`/`exp`, in seconds; default 300 (5 minutes). */
  readonly skewSeconds?: number;
}

export interface ValidatedIdentityToken {
  /** Normalised `amurl` (WHATWG URL `href`, so `:443` is dropped); half the binding key. */
  readonly amurl: string;
  readonly msexchuid: string;
  /** The validated claims, for the audit trail. Not secret, but never needed in errors. */
  readonly claims: IdentityTokenPayload & { readonly appctx: IdentityTokenAppContext; readonly x5t: string };
}

/**
 * The hosts an identity token's `amurl` may name for a profile: the CAS URL's host on port
 * 443 (where Exchange publishes `https://<cas>:443/autodiscover/metadata/json/1`) and on the
 * CAS URL's own port if that differs, plus `extra` entries (`host` = port 443, or `host:port`).
 */
export function trustedHostsFor(casUrl: string, extra: readonly string[] = []): string[] {
  const cas = new URL(casUrl);
  const own = cas.port === '' ? [cas.hostname] : [cas.hostname, cas.host];
  return [...own, ...extra].map((h) => h.toLowerCase());
}

/**
 * Verify the JWS signature with jose (RFC 7515 §5.2), RS256 only ("All tokens provided by
 * Exchange server use the RSASSA-PKCS1-v1_5 with SHA-256 hash algorithm"), and map jose's
 * errors onto our stable reasons. Only Exchange's own claim rules stay our code.
 *
 * @see https://github.com/panva/jose/blob/main/docs/jws/compact/verify/functions/compactVerify.md
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#validate-the-identity-token-signature
 */
async function verifySignature(compact: string, key: KeyObject): Promise<void> {
  try {
    await compactVerify(compact, key, { algorithms: ['RS256'] });
  } catch (err) {
    // The header was judged already (checkIdentityTokenHeader); what jose can still refuse is
    // the encoding of the signature (`malformed`) or the signature itself.
    if (err instanceof errors.JWSInvalid)
      throw identityTokenInvalid('malformed', 'signature is not base64url');
    if (err instanceof errors.JOSEAlgNotAllowed) throw identityTokenInvalid('algorithm');
    throw identityTokenInvalid('signature');
  }
}

/**
 * Validates a compact identity token and returns its binding key. Throws
 * `IDENTITY_TOKEN_INVALID` (with `reason`), or `CAS_UNREACHABLE` / `CAS_TLS_UNTRUSTED` /
 * `CAS_PROTOCOL_ERROR` when the metadata document of a trusted `amurl` cannot be had.
 */
export async function validateIdentityToken(
  token: unknown,
  options: ValidateIdentityTokenOptions,
): Promise<ValidatedIdentityToken> {
  const parsed = parseIdentityToken(token);
  const checked = checkIdentityTokenClaims(parsed, {
    expectedAudience: options.expectedAudience,
    nowMs: options.clock.now().getTime(),
    ...(options.skewSeconds === undefined ? {} : { skewSeconds: options.skewSeconds }),
  });
  checkAmurlHost(checked, options.trustedHosts);
  const key = await options.metadata.signingKey(checked.amurl, checked.x5t, options.ca);
  if (key === undefined) throw identityTokenInvalid('unknown-key');
  await verifySignature(parsed.compact, key);
  return {
    amurl: checked.amurl,
    msexchuid: checked.msexchuid,
    claims: { ...parsed.payload, appctx: parsed.appctx, x5t: checked.x5t },
  };
}
