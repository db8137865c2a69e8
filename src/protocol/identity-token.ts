/**
 * Pure parsing and checking of Exchange user identity tokens (the JWT that Outlook's
 * `Office.context.mailbox.getUserIdentityTokenAsync` returns) and of Exchange's
 * authentication metadata document. No I/O and no Node imports: the backend adds the
 * metadata fetch and the RS256 signature check (`src/backend/identity-token/`).
 *
 * What Exchange sends, from Microsoft's documentation:
 *
 * - header `{"typ":"JWT","alg":"RS256","x5t":"<certificate thumbprint>"}`;
 * - payload `aud` (the add-in page URL from the manifest), `iss`
 *   (`00000002-0000-0ff1-ce00-000000000000@…`), `nbf` and `exp` **as strings** of seconds
 *   since 1970 (`"nbf": "1331579055"`), `appctxsender`, `isbrowserhostedapp` (`"true"`), and
 *   `appctx`, the application context `{msexchuid, version: "ExIdTok.V1", amurl}`.
 *
 * `appctx` travels as a JSON **string** inside the payload. The "Inside" article prints the
 * decoded context nested for readability, but Microsoft's own validation samples read every
 * payload claim as a string (`Deserialize<Dictionary<string, string>>(payload)`) and then parse
 * the `appctx` claim's value a second time (`Deserialize<…>(claim.Value)`), which only works
 * when it is a string. We accept exactly that form and refuse a nested object as malformed.
 *
 * `nbf`/`exp`: the documented examples write strings of decimal digits, so only strings of
 * digits are accepted; a JSON number is refused as `malformed`. A token that does not look
 * exactly like Exchange's is not one we mint or expect, and tolerating both forms would only
 * widen what a forger may try.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/inside-the-identity-token
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/authenticate-a-user-with-an-identity-token
 * @see https://github.com/OfficeDev/Outlook-Add-in-JavaScript-ValidateIdentityToken (Microsoft's
 *   sample: `JsonTokenDecoder.cs` and `IdentityToken.cs` read the claims as strings)
 * @see https://www.rfc-editor.org/rfc/rfc7515 (JWS compact serialisation, `x5t`)
 * @module
 */

import { decodeBase64, encodeBase64 } from './base64.ts';
import { IwaError } from './errors.ts';

/** The `reason` values of `IDENTITY_TOKEN_INVALID`, as `interface.md` lists them. */
export const IDENTITY_TOKEN_REASONS = [
  'malformed',
  'algorithm',
  'audience',
  'expired',
  'not-yet-valid',
  'untrusted-issuer',
  'unknown-key',
  'signature',
  'version',
] as const;
export type IdentityTokenReason = (typeof IDENTITY_TOKEN_REASONS)[number];

/** The one failure every check throws. `detail` is a short fixed phrase, never token content. */
export function identityTokenInvalid(reason: IdentityTokenReason, detail?: string): IwaError {
  return new IwaError('IDENTITY_TOKEN_INVALID', detail === undefined ? { reason } : { reason, detail });
}

/** Exchange's well-known service principal; `iss` and `appctxsender` are `<this>@<realm>`. */
export const EXCHANGE_PRINCIPAL = '00000002-0000-0ff1-ce00-000000000000';
/** `appctx.version` of every token Exchange issues ("For all tokens provided by Exchange"). */
export const IDENTITY_TOKEN_VERSION = 'ExIdTok.V1';
/** The path of `amurl` ("https://mailhost.contoso.com:443/autodiscover/metadata/json/1"). */
export const AUTH_METADATA_PATH = '/autodiscover/metadata/json/1';
/** Allowed clock difference between Exchange and us, both ways. Microsoft: "allow for some variation". */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

/**
 * Upper bound on the compact token. Real tokens are about 1.5 KB (a 256-byte signature plus a
 * few short claims); 16 KiB refuses garbage before any decoding work.
 */
export const MAX_TOKEN_LENGTH = 16 * 1024;
/** Bound for any one string claim (URLs, ids). */
const MAX_CLAIM_LENGTH = 2048;

export interface IdentityTokenHeader {
  readonly typ: unknown;
  readonly alg: unknown;
  readonly x5t: unknown;
  /** Every header member, for the checks; never logged. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface IdentityTokenPayload {
  readonly aud: string;
  readonly iss: string;
  /** Seconds since 1970, parsed from the string Exchange writes. */
  readonly nbf: number;
  readonly exp: number;
  readonly appctxsender: string | undefined;
  readonly isbrowserhostedapp: boolean | undefined;
}

export interface IdentityTokenAppContext {
  readonly msexchuid: string;
  readonly version: string;
  readonly amurl: string;
}

export interface ParsedIdentityToken {
  readonly header: IdentityTokenHeader;
  readonly payload: IdentityTokenPayload;
  readonly appctx: IdentityTokenAppContext;
  /** The compact serialisation as given, for the signature check (jose's `compactVerify`). */
  readonly compact: string;
}

const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;

/**
 * Strict unpadded base64url (RFC 4648 §5, as JWS uses it, RFC 7515 §2): no padding, no
 * whitespace, no `+` or `/`, canonical trailing bits. Returns null instead of throwing.
 */
export function decodeBase64Url(text: string): Uint8Array | null {
  if (!BASE64URL_RE.test(text)) return null;
  if (text.length === 0) return new Uint8Array(0);
  try {
    return decodeBase64(text.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return null;
  }
}

/** Unpadded base64url of bytes (for the lab's token minting and thumbprints). */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes one base64url JSON object segment, or null. */
function decodeJsonSegment(segment: string): Record<string, unknown> | null {
  const bytes = decodeBase64Url(segment);
  if (bytes === null || bytes.length === 0) return null;
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(bytes));
  } catch {
    return null;
  }
  return isObject(value) ? value : null;
}

function claimString(obj: Record<string, unknown>, name: string): string {
  const value = Object.hasOwn(obj, name) ? obj[name] : undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CLAIM_LENGTH) {
    throw identityTokenInvalid('malformed', `${name} must be a non-empty string`);
  }
  return value;
}

function optionalClaimString(obj: Record<string, unknown>, name: string): string | undefined {
  if (!Object.hasOwn(obj, name)) return undefined;
  return claimString(obj, name);
}

// Exchange writes whole seconds as decimal digits without leading zeros. Twelve digits reach
// the year 33658, far beyond any real token, and keep the number exact.
const SECONDS_RE = /^(?:0|[1-9][0-9]{0,11})$/;

function secondsClaim(payload: Record<string, unknown>, name: 'nbf' | 'exp'): number {
  const value = Object.hasOwn(payload, name) ? payload[name] : undefined;
  if (typeof value !== 'string' || !SECONDS_RE.test(value)) {
    throw identityTokenInvalid('malformed', `${name} must be a string of seconds`);
  }
  return Number(value);
}

/**
 * Splits and decodes a compact identity token. Throws `IDENTITY_TOKEN_INVALID` with reason
 * `malformed` for anything that is not shaped like Exchange's token: not three
 * base64url parts, header or payload not a JSON object, a missing or non-string claim,
 * `nbf`/`exp` not strings of digits (or `exp` not after `nbf`), `appctx` not a JSON string
 * holding `msexchuid`, `version` and `amurl` as strings, or `amurl` not an absolute URL.
 * Header *values* (`typ`, `alg`, `x5t`) are judged later, by {@link checkIdentityTokenHeader}.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#extract-the-json-web-token
 */
export function parseIdentityToken(compact: unknown): ParsedIdentityToken {
  if (typeof compact !== 'string' || compact.length === 0 || compact.length > MAX_TOKEN_LENGTH) {
    throw identityTokenInvalid('malformed', 'not a token');
  }
  const parts = compact.split('.');
  if (parts.length !== 3) throw identityTokenInvalid('malformed', 'not three parts');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = decodeJsonSegment(headerPart);
  if (header === null) throw identityTokenInvalid('malformed', 'header is not base64url JSON');
  const payload = decodeJsonSegment(payloadPart);
  if (payload === null) throw identityTokenInvalid('malformed', 'payload is not base64url JSON');
  // Decoded only to refuse a malformed token before the metadata fetch; jose verifies it.
  if (decodeBase64Url(signaturePart) === null) {
    throw identityTokenInvalid('malformed', 'signature is not base64url');
  }

  const aud = claimString(payload, 'aud');
  const iss = claimString(payload, 'iss');
  const nbf = secondsClaim(payload, 'nbf');
  const exp = secondsClaim(payload, 'exp');
  if (exp <= nbf) throw identityTokenInvalid('malformed', 'exp is not after nbf');
  const appctxsender = optionalClaimString(payload, 'appctxsender');
  const browserHosted = optionalClaimString(payload, 'isbrowserhostedapp');
  if (browserHosted !== undefined && browserHosted !== 'true' && browserHosted !== 'false') {
    throw identityTokenInvalid('malformed', 'isbrowserhostedapp must be "true" or "false"');
  }

  // appctx is a JSON string, parsed a second time (see the module comment).
  const appctxText = Object.hasOwn(payload, 'appctx') ? payload.appctx : undefined;
  if (typeof appctxText !== 'string') throw identityTokenInvalid('malformed', 'appctx must be a JSON string');
  let appctxValue: unknown;
  try {
    appctxValue = JSON.parse(appctxText);
  } catch {
    throw identityTokenInvalid('malformed', 'appctx is not JSON');
  }
  if (!isObject(appctxValue)) throw identityTokenInvalid('malformed', 'appctx is not a JSON object');
  const appctx: IdentityTokenAppContext = {
    msexchuid: claimString(appctxValue, 'msexchuid'),
    version: claimString(appctxValue, 'version'),
    amurl: claimString(appctxValue, 'amurl'),
  };
  if (!URL.canParse(appctx.amurl)) throw identityTokenInvalid('malformed', 'amurl is not a URL');

  return {
    header: { typ: header.typ, alg: header.alg, x5t: header.x5t, raw: header },
    payload: {
      aud,
      iss,
      nbf,
      exp,
      appctxsender,
      isbrowserhostedapp: browserHosted === undefined ? undefined : browserHosted === 'true',
    },
    appctx,
    compact,
  };
}

/**
 * Header checks from "Validate token contents": `typ` is `JWT`, `alg` is `RS256`, `x5t` is
 * present. `x5t` must also be what RFC 7515 §4.1.7 defines, the base64url SHA-1 thumbprint
 * (20 bytes), and a `crit` header is refused because we implement no extensions
 * (RFC 7515 §4.1.11). Every failure is reason `algorithm`, including `alg: none`.
 */
export function checkIdentityTokenHeader(header: IdentityTokenHeader): { readonly x5t: string } {
  if (header.typ !== 'JWT') throw identityTokenInvalid('algorithm', 'typ must be JWT');
  if (header.alg !== 'RS256') throw identityTokenInvalid('algorithm', 'alg must be RS256');
  if (Object.hasOwn(header.raw, 'crit')) throw identityTokenInvalid('algorithm', 'crit is not supported');
  const x5t = header.x5t;
  if (typeof x5t !== 'string') throw identityTokenInvalid('algorithm', 'x5t is missing');
  if (decodeBase64Url(x5t)?.length !== 20)
    throw identityTokenInvalid('algorithm', 'x5t is not a SHA-1 thumbprint');
  return { x5t };
}

/**
 * Canonical form of a URL for comparison: WHATWG parsing lower-cases the scheme and host,
 * drops a default port (Exchange writes `:443` explicitly) and resolves dot segments.
 * The fragment is kept: a different page is a different audience.
 */
export function normaliseUrl(value: string): string | null {
  if (!URL.canParse(value)) return null;
  return new URL(value).href;
}

export interface ClaimCheckOptions {
  /** The add-in page URL in our manifest (`SourceLocation`), which Exchange copies into `aud`. */
  readonly expectedAudience: string;
  /** Now, in milliseconds since 1970. */
  readonly nowMs: number;
  readonly skewSeconds?: number;
}

export interface CheckedIdentityToken {
  readonly x5t: string;
  /** The normalised `amurl`: the metadata URL to fetch, and half the binding key. */
  readonly amurl: string;
  readonly msexchuid: string;
}

/**
 * Every check that needs neither the network nor a profile, in the documented order after
 * parsing: header (`algorithm`), token version (`version`), audience (`audience`), lifetime
 * (`expired`, `not-yet-valid`, with `skewSeconds` either way, default
 * {@link DEFAULT_CLOCK_SKEW_SECONDS}), then the issuer's form (`untrusted-issuer`): `iss` must
 * be Exchange's principal `00000002-0000-0ff1-ce00-000000000000@<realm>`, and `amurl` must be
 * `https://<host>[:port]/autodiscover/metadata/json/1` with no credentials, query or fragment
 * (the only form Exchange writes). Whether the host is trusted is {@link checkAmurlHost}.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#validate-token-contents
 */
export function checkIdentityTokenClaims(
  token: ParsedIdentityToken,
  options: ClaimCheckOptions,
): CheckedIdentityToken {
  const { x5t } = checkIdentityTokenHeader(token.header);

  if (token.appctx.version !== IDENTITY_TOKEN_VERSION) throw identityTokenInvalid('version');

  const expected = normaliseUrl(options.expectedAudience);
  if (expected === null || normaliseUrl(token.payload.aud) !== expected)
    throw identityTokenInvalid('audience');

  const skewMs = (options.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000;
  if (options.nowMs > token.payload.exp * 1000 + skewMs) throw identityTokenInvalid('expired');
  if (options.nowMs < token.payload.nbf * 1000 - skewMs) throw identityTokenInvalid('not-yet-valid');

  const iss = token.payload.iss;
  if (!iss.startsWith(`${EXCHANGE_PRINCIPAL}@`) || iss.length === EXCHANGE_PRINCIPAL.length + 1) {
    throw identityTokenInvalid('untrusted-issuer', 'iss is not Exchange');
  }
  const amurl = new URL(token.appctx.amurl);
  if (amurl.protocol !== 'https:') throw identityTokenInvalid('untrusted-issuer', 'amurl is not https');
  if (amurl.username !== '' || amurl.password !== '' || amurl.search !== '' || amurl.hash !== '') {
    throw identityTokenInvalid('untrusted-issuer', 'amurl has credentials, a query or a fragment');
  }
  if (amurl.pathname !== AUTH_METADATA_PATH) {
    throw identityTokenInvalid('untrusted-issuer', 'amurl is not the auth-metadata path');
  }
  return { x5t, amurl: amurl.href, msexchuid: token.appctx.msexchuid };
}

/**
 * "You must also require that the domain of the amurl claim matches" the user's Exchange: the
 * `amurl` host must be the effective profile's CAS host or one of the extra hosts the profile
 * trusts. Entries are `host` (port 443, which Exchange writes) or `host:port`, compared
 * case-insensitively after URL normalisation; a trusted host on another port is not trusted,
 * so a forged token cannot make us probe arbitrary ports of the CAS. Runs before any fetch,
 * so a token can never make us connect to a host the profile does not trust.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#verify-the-domain
 */
export function checkAmurlHost(checked: CheckedIdentityToken, trustedHosts: readonly string[]): void {
  const target = new URL(checked.amurl).host;
  const trusted = trustedHosts.some((entry) => {
    const candidate = `https://${entry}/`;
    return URL.canParse(candidate) && new URL(candidate).host === target;
  });
  if (!trusted) throw identityTokenInvalid('untrusted-issuer', 'amurl host is not trusted');
}

/**
 * The binding key of a token that has only been parsed (no checks): the normalised `amurl`
 * and `msexchuid`. Used to look up which mailbox, and so which profile, to validate against;
 * never trusted before full validation.
 */
export function unverifiedBindingKey(token: ParsedIdentityToken): {
  readonly amurl: string;
  readonly msexchuid: string;
} {
  return { amurl: new URL(token.appctx.amurl).href, msexchuid: token.appctx.msexchuid };
}

// ---------------------------------------------------------------------------------------
// The authentication metadata document
// ---------------------------------------------------------------------------------------

/**
 * One signing key of the auth-metadata document:
 * `{"usage":"signing","keyinfo":{"x5t":"…"},"keyvalue":{"type":"x509Certificate","value":"MIIH…"}}`,
 * where `value` is the base64 (standard alphabet) DER certificate.
 */
export interface AuthMetadataKey {
  readonly usage: string | undefined;
  readonly x5t: string;
  /** DER bytes of the X.509 certificate. */
  readonly certificate: Uint8Array;
}

/**
 * Exchange's authentication metadata document, served at `amurl`. Shape as Microsoft
 * documents it:
 *
 * ```json
 * { "id": "_70b34511-…", "version": "1.0", "name": "Exchange", "realm": "*",
 *   "serviceName": "00000002-0000-0ff1-ce00-000000000000",
 *   "issuer": "00000002-0000-0ff1-ce00-000000000000@*",
 *   "allowedAudiences": ["00000002-0000-0ff1-ce00-000000000000@*"],
 *   "keys": [{ "usage": "signing", "keyinfo": { "x5t": "enh9BJrVPU5ijV1qjZjV-fL2bco" },
 *              "keyvalue": { "type": "x509Certificate", "value": "MIIHNTCC…" } }],
 *   "endpoints": [{ "location": "https://…/autodiscover/metadata/json/1",
 *                   "protocol": "OAuth2", "usage": "metadata" }] }
 * ```
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#retrieve-the-public-signing-key
 */
export interface AuthMetadataDocument {
  readonly id: string | undefined;
  readonly version: string | undefined;
  readonly name: string | undefined;
  readonly realm: string | undefined;
  readonly serviceName: string | undefined;
  readonly issuer: string | undefined;
  readonly allowedAudiences: readonly string[];
  /** Usable signing keys only: entries of another `keyvalue.type` or `usage` are skipped. */
  readonly keys: readonly AuthMetadataKey[];
}

/** Sanity bound on the keys we read; Exchange publishes the current and next certificate. */
const MAX_METADATA_KEYS = 64;
/** A DER certificate above this is not an Exchange auth certificate. */
const MAX_CERTIFICATE_BYTES = 64 * 1024;

function metadataInvalid(problem: string): IwaError {
  return new IwaError('CAS_PROTOCOL_ERROR', { reason: 'auth-metadata-invalid', problem });
}

function optionalString(obj: Record<string, unknown>, name: string): string | undefined {
  const value = Object.hasOwn(obj, name) ? obj[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Parses an auth-metadata document. Throws `CAS_PROTOCOL_ERROR` (reason
 * `auth-metadata-invalid`) if it is not a JSON object with a `keys` array, or a key that
 * claims to be a signing certificate is not shaped as documented. A document with no usable
 * key parses (every token then fails with `unknown-key`).
 */
export function parseAuthMetadata(text: string): AuthMetadataDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw metadataInvalid('not JSON');
  }
  if (!isObject(value)) throw metadataInvalid('not a JSON object');
  const rawKeys = Object.hasOwn(value, 'keys') ? value.keys : undefined;
  if (!Array.isArray(rawKeys)) throw metadataInvalid('keys is not an array');
  if (rawKeys.length > MAX_METADATA_KEYS) throw metadataInvalid('too many keys');

  const keys: AuthMetadataKey[] = [];
  for (const raw of rawKeys as unknown[]) {
    if (!isObject(raw)) throw metadataInvalid('a key is not an object');
    const usage = optionalString(raw, 'usage');
    const keyinfo = Object.hasOwn(raw, 'keyinfo') ? raw.keyinfo : undefined;
    const keyvalue = Object.hasOwn(raw, 'keyvalue') ? raw.keyvalue : undefined;
    if (!isObject(keyinfo) || !isObject(keyvalue)) throw metadataInvalid('a key lacks keyinfo or keyvalue');
    // Only signing certificates matter here; other kinds are skipped, not errors, so a
    // future Exchange adding a key type does not break sign-in.
    if (usage !== undefined && usage !== 'signing') continue;
    if (optionalString(keyvalue, 'type') !== 'x509Certificate') continue;
    const x5t = optionalString(keyinfo, 'x5t');
    const b64 = optionalString(keyvalue, 'value');
    if (x5t === undefined || x5t.length === 0 || b64 === undefined) {
      throw metadataInvalid('a signing key lacks keyinfo.x5t or keyvalue.value');
    }
    let certificate: Uint8Array;
    try {
      certificate = decodeBase64(b64, MAX_CERTIFICATE_BYTES);
    } catch {
      throw metadataInvalid('a signing key value is not base64');
    }
    keys.push({ usage, x5t, certificate });
  }

  const audiences = Object.hasOwn(value, 'allowedAudiences') ? value.allowedAudiences : undefined;
  return {
    id: optionalString(value, 'id'),
    version: optionalString(value, 'version'),
    name: optionalString(value, 'name'),
    realm: optionalString(value, 'realm'),
    serviceName: optionalString(value, 'serviceName'),
    issuer: optionalString(value, 'issuer'),
    allowedAudiences: Array.isArray(audiences)
      ? (audiences as unknown[]).filter((a): a is string => typeof a === 'string')
      : [],
    keys,
  };
}

/** The key whose `keyinfo.x5t` equals the token header's `x5t` (exact, case-sensitive), or undefined. */
export function findMetadataKey(document: AuthMetadataDocument, x5t: string): AuthMetadataKey | undefined {
  return document.keys.find((k) => k.x5t === x5t);
}
