/**
 * The access-token issuer (docs/access-tokens.md): signs short-lived JWTs for a verified
 * session and a registered audience, publishes the public keys, answers introspection
 * (RFC 7662) and rotates keys. Keys live in the database, sealed with the key-encryption
 * key, so every instance signs with the same key and serves the same JWKS.
 */
import { createHmac, createPrivateKey, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import {
  type JSONWebKeySet,
  type JWK,
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  jwtVerify,
} from 'jose';
import {
  AUDIENCE_LIMITS,
  type AccessTokenClaims,
  DEFAULT_SIGNING_ALG,
  SIGNING_ALGS,
  type SigningAlg,
  accessTokenClaims,
  introspectionResponse,
} from '../../protocol/access-token.ts';
import { IwaError } from '../../protocol/errors.ts';
import type { SigningKeyRecord, Store } from '../storage/types.ts';
import type { Clock } from '../domain.ts';
import { kekMissing, seal, unseal } from './kek.ts';

/** What the issuer counts for `/metrics`. */
export interface TokenMetrics {
  issued(audience: string): void;
  refused(code: string): void;
  introspected(active: boolean): void;
}

export interface TokenServiceDeps {
  readonly store: Store;
  /** `iss`; see `issuerOf()`. */
  readonly issuer: string;
  /** Without it, tokens are off: issuing and rotating answer `KEY_ENCRYPTION_KEY_MISSING`. */
  readonly kek: Uint8Array | undefined;
  readonly clock: Clock;
  readonly metrics?: TokenMetrics;
}

export interface TokenAnswer {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

/** RFC 9068 §2.1: the `typ` of a JWT access token. */
const ACCESS_TOKEN_TYP = 'at+jwt';

/**
 * A fresh signing key pair (RFC 7518 §3.4 P-256 or §3.3 RSA 2048), its private half sealed
 * for the database, its `kid` the RFC 7638 thumbprint.
 */
export async function generateSigningKey(kek: Uint8Array, alg: SigningAlg) {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = await exportJWK(pair.publicKey);
  // RFC 7638 thumbprint: stable, unique per key, and meaningless outside it.
  const kid = await calculateJwkThumbprint(jwk);
  const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    kid,
    alg,
    publicJwk: JSON.stringify({ ...jwk, kid, alg, use: 'sig' }),
    privateKey: seal(kek, kid, pkcs8),
  };
}

/** The key's state for `keys list` (docs/access-tokens.md, "Keys"). */
export function keyState(key: SigningKeyRecord, now: Date): 'active' | 'published' | 'expired' | 'retired' {
  if (key.retiredAt !== null) return 'retired';
  if (key.rotatedAt === null) return 'active';
  return key.publishUntil !== null && key.publishUntil > now ? 'published' : 'expired';
}

/** How long a key rotated out now must stay published: the longest lifetime any token may have. */
export async function publishSeconds(store: Store): Promise<number> {
  const audiences = await store.accessTokens.audiences.list();
  return Math.max(AUDIENCE_LIMITS.defaultLifetimeSeconds, ...audiences.map((a) => a.lifetimeSeconds));
}

/** Makes a new signing key and hands signing to it (`outlook-iwa keys rotate`). */
export async function rotateSigningKey(
  store: Store,
  kek: Uint8Array | undefined,
  alg: SigningAlg = DEFAULT_SIGNING_ALG,
): Promise<SigningKeyRecord> {
  if (kek === undefined) throw kekMissing();
  const key = await generateSigningKey(kek, alg);
  return store.accessTokens.keys.rotate(key, await publishSeconds(store));
}

/** Issues, publishes and introspects access tokens (docs/access-tokens.md). */
export class TokenService {
  readonly #deps: TokenServiceDeps;
  /** Unsealed private keys by kid; a key never changes once written, so this never goes stale. */
  readonly #privateKeys = new Map<string, KeyObject>();

  constructor(deps: TokenServiceDeps) {
    this.#deps = deps;
  }

  /**
   * `POST /api/token`: a token for the session's mailbox and a registered audience.
   * `KEY_ENCRYPTION_KEY_MISSING`, `SESSION_INVALID` or `AUDIENCE_UNKNOWN` otherwise.
   */
  async issue(sessionToken: string | null, audience: string): Promise<TokenAnswer> {
    try {
      return await this.#issue(sessionToken, audience);
    } catch (err) {
      this.#deps.metrics?.refused(err instanceof IwaError ? err.code : 'INTERNAL');
      throw err;
    }
  }

  async #issue(sessionToken: string | null, audience: string): Promise<TokenAnswer> {
    const { store, kek, clock, issuer } = this.#deps;
    if (kek === undefined) throw kekMissing();
    if (sessionToken === null) throw new IwaError('SESSION_INVALID', { reason: 'missing' });
    const session = await store.sessions.verify(sessionToken);
    const registered = await store.accessTokens.audiences.get(audience);
    if (registered === null) throw new IwaError('AUDIENCE_UNKNOWN', { audience: audience.slice(0, 200) });

    const key = await this.#signingKey(kek);
    const now = clock.now().getTime();
    const claims = accessTokenClaims({
      issuer,
      subject: await this.subject(session.mailbox),
      mailbox: session.mailbox,
      method: session.method,
      mechanism: session.mechanism,
      audience,
      nowMs: now,
      lifetimeSeconds: registered.lifetimeSeconds,
      sessionEndMs: Math.min(session.expiresAt.getTime(), session.idleExpiresAt.getTime()),
      jti: randomUUID(),
      sessionId: session.id,
    });
    const jwt = await new SignJWT({ ...claims, amr: [...claims.amr] })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYP })
      .sign(this.#privateKey(kek, key));
    await store.accessTokens.issued.record({
      jti: claims.jti,
      at: new Date(now),
      mailbox: session.mailbox,
      audience,
      sessionId: session.id,
      kid: key.kid,
      expiresAt: new Date(claims.exp * 1000),
    });
    this.#deps.metrics?.issued(audience);
    return { access_token: jwt, token_type: 'Bearer', expires_in: Math.max(0, claims.exp - claims.iat) };
  }

  /**
   * `sub`: HMAC-SHA256 of the normalised mailbox under the deployment's subject secret, in
   * base64url. Opaque, the same on every instance and across key rotations.
   */
  async subject(mailbox: string): Promise<string> {
    const secret = await this.#deps.store.accessTokens.subjectSecret();
    return createHmac('sha256', secret).update(mailbox.trim().toLowerCase(), 'utf8').digest('base64url');
  }

  /** `GET /.well-known/jwks.json` (RFC 7517 §5): the signing key and keys still within their publish time. */
  async jwks(): Promise<JSONWebKeySet> {
    const keys = await this.#deps.store.accessTokens.keys.published();
    return { keys: keys.map((k) => JSON.parse(k.publicJwk) as JWK) };
  }

  /** The introspection client a credential belongs to; `CLIENT_UNAUTHORIZED` otherwise. */
  async requireClient(credential: string | null): Promise<void> {
    const client =
      credential === null ? null : await this.#deps.store.accessTokens.clients.verify(credential);
    if (client === null) throw new IwaError('CLIENT_UNAUTHORIZED');
  }

  /**
   * RFC 7662 §2.2 for a client already authenticated: active only if the token verifies
   * against our published keys, has not expired, and its session is still live.
   */
  async introspect(token: string) {
    const claims = await this.#verify(token);
    const active = claims !== null && (await this.#deps.store.sessions.get(claims.sid)) !== null;
    this.#deps.metrics?.introspected(active);
    return introspectionResponse(active ? claims : null);
  }

  async #verify(token: string): Promise<AccessTokenClaims | null> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(await this.jwks()), {
        issuer: this.#deps.issuer,
        algorithms: [...SIGNING_ALGS],
        typ: ACCESS_TOKEN_TYP,
        currentDate: this.#deps.clock.now(),
        requiredClaims: ['sub', 'aud', 'exp', 'iat', 'jti', 'sid', 'email'],
      });
      const { iss, sub, email, amr, aud, iat, exp, jti, sid } = payload;
      if (typeof email !== 'string' || typeof sid !== 'string' || typeof aud !== 'string') return null;
      if (!Array.isArray(amr) || !amr.every((v) => typeof v === 'string')) return null;
      if (
        iss === undefined ||
        sub === undefined ||
        iat === undefined ||
        exp === undefined ||
        jti === undefined
      ) {
        return null;
      }
      return { iss, sub, email, amr, aud, iat, exp, jti, sid };
    } catch {
      // Garbage, a foreign or withdrawn key, expired: all the same to the caller (RFC 7662 §2.2).
      return null;
    }
  }

  async #signingKey(kek: Uint8Array): Promise<SigningKeyRecord> {
    const active = await this.#deps.store.accessTokens.keys.active();
    if (active !== null) return active;
    // First token of the deployment: make the first key (another instance may win the race).
    return this.#deps.store.accessTokens.keys.addIfNone(await generateSigningKey(kek, DEFAULT_SIGNING_ALG));
  }

  #privateKey(kek: Uint8Array, key: SigningKeyRecord): KeyObject {
    let privateKey = this.#privateKeys.get(key.kid);
    if (privateKey === undefined) {
      privateKey = createPrivateKey({
        key: unseal(kek, key.kid, key.privateKey),
        format: 'der',
        type: 'pkcs8',
      });
      this.#privateKeys.set(key.kid, privateKey);
    }
    return privateKey;
  }

  /**
   * At boot: if a signing key exists, this KEK must open it. A wrong KEK fails `serve` at
   * once with `KEY_ENCRYPTION_KEY_INVALID` instead of at the first token request.
   */
  async checkKek(): Promise<void> {
    const { kek, store } = this.#deps;
    if (kek === undefined) return;
    const active = await store.accessTokens.keys.active();
    if (active !== null) this.#privateKey(kek, active);
  }
}
