/**
 * The access tokens we issue for a proven mailbox (docs/access-tokens.md): which claims
 * they carry, how long they live, how introspection (RFC 7662) and discovery answer. Pure
 * decisions only; signing and keys live in `src/backend/tokens`.
 */

/** Signing algorithms we can use (RFC 7518 §3.1); ES256 unless an admin picks RS256. */
export const SIGNING_ALGS = ['ES256', 'RS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
export const DEFAULT_SIGNING_ALG: SigningAlg = 'ES256';

export const AUDIENCE_LIMITS = {
  nameMaxLength: 200,
  /** 10 minutes: an API that can wait that long for a revocation verifies offline. */
  defaultLifetimeSeconds: 600,
  minLifetimeSeconds: 60,
  /** Tokens are meant to be short-lived; a day is the most an admin may allow. */
  maxLifetimeSeconds: 86_400,
} as const;

/**
 * Why an audience name is unacceptable, or null. An audience is whatever the receiving API
 * checks `aud` against: a URL or a plain name, printable, without spaces.
 */
export function audienceNameProblem(name: string): string | null {
  if (name.length === 0) return 'must not be empty';
  if (name.length > AUDIENCE_LIMITS.nameMaxLength) {
    return `must be at most ${AUDIENCE_LIMITS.nameMaxLength} characters`;
  }
  if (!/^[\x21-\x7e]+$/.test(name)) return 'must be printable ASCII without spaces';
  return null;
}

/** Why a lifetime is unacceptable, or null. */
export function lifetimeProblem(seconds: number): string | null {
  const { minLifetimeSeconds: min, maxLifetimeSeconds: max } = AUDIENCE_LIMITS;
  if (!Number.isSafeInteger(seconds) || seconds < min || seconds > max) {
    return `must be between ${min} and ${max} seconds`;
  }
  return null;
}

export type SignInMethod = 'iwa' | 'identity-token' | 'password';
export type SignInMechanism = 'kerberos' | 'ntlm';

/**
 * The `amr` claim (RFC 8176 §1): the method, then the Negotiate mechanism for IWA. Our
 * values are not in RFC 8176's registry, which the RFC allows; they are defined in
 * docs/access-tokens.md.
 */
export function amrOf(method: SignInMethod, mechanism: SignInMechanism | null): string[] {
  return method === 'iwa' && mechanism !== null ? [method, mechanism] : [method];
}

/**
 * `exp` in seconds since the epoch: the audience's lifetime from now, but never past the
 * session's end, so a token cannot outlive the sign-in that it stands for.
 */
export function tokenExpiry(nowMs: number, lifetimeSeconds: number, sessionEndMs: number): number {
  return Math.floor(Math.min(nowMs + lifetimeSeconds * 1000, sessionEndMs) / 1000);
}

/** The issuer: the public URL without its trailing slash (OpenID Connect Discovery 1.0 §4). */
export function issuerOf(publicUrl: URL): string {
  return publicUrl.href.replace(/\/+$/, '');
}

export interface AccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly email: string;
  readonly amr: readonly string[];
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
  readonly sid: string;
}

export interface ClaimsInput {
  readonly issuer: string;
  readonly subject: string;
  readonly mailbox: string;
  readonly method: SignInMethod;
  readonly mechanism: SignInMechanism | null;
  readonly audience: string;
  readonly nowMs: number;
  readonly lifetimeSeconds: number;
  readonly sessionEndMs: number;
  readonly jti: string;
  readonly sessionId: string;
}

/** The claims of one access token (RFC 7519 §4.1, RFC 9068 §2.2). */
export function accessTokenClaims(input: ClaimsInput): AccessTokenClaims {
  return {
    iss: input.issuer,
    sub: input.subject,
    email: input.mailbox,
    amr: amrOf(input.method, input.mechanism),
    aud: input.audience,
    iat: Math.floor(input.nowMs / 1000),
    exp: tokenExpiry(input.nowMs, input.lifetimeSeconds, input.sessionEndMs),
    jti: input.jti,
    sid: input.sessionId,
  };
}

/**
 * The RFC 7662 §2.2 answer: `active` and, for an active token, its claims with
 * `token_type`; an inactive token reveals nothing more (RFC 7662 §2.2, "SHOULD NOT include
 * any additional information").
 */
export function introspectionResponse(
  claims: AccessTokenClaims | null,
): ({ active: true; token_type: 'Bearer' } & AccessTokenClaims) | { active: false } {
  return claims === null ? { active: false } : { active: true, token_type: 'Bearer', ...claims };
}

/**
 * Enough of OpenID Connect Discovery 1.0 §3 (and RFC 8414 §2) for standard libraries to
 * find our keys: issuer, JWKS, algorithms, and where tokens and introspection are.
 */
export function discoveryDocument(issuer: string) {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: `${issuer}/api/token`,
    introspection_endpoint: `${issuer}/api/token/introspect`,
    id_token_signing_alg_values_supported: [...SIGNING_ALGS],
    introspection_endpoint_auth_methods_supported: ['bearer'],
    subject_types_supported: ['public'],
    response_types_supported: ['token'],
    claims_supported: ['iss', 'sub', 'email', 'amr', 'aud', 'iat', 'exp', 'jti', 'sid'],
  };
}

/** The most issued-token audit rows one query may ask for (`tokens --limit`, the admin API). */
export const ISSUED_MAX_LIMIT = 10_000;
