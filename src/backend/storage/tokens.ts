/**
 * Opaque `id.secret` tokens as in lucia's session guide: the id finds the row, the secret
 * proves possession. Only SHA-256 of the secret is stored (the secret has 256 bits of
 * entropy, so a fast hash is enough), and it is compared in constant time.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from '../domain.ts';

const ID_BYTES = 16;
const SECRET_BYTES = 32;
const b64url = (n: number) => Math.ceil((n * 8) / 6);
const TOKEN_RE = new RegExp(
  `^([A-Za-z0-9_-]{${b64url(ID_BYTES)}})\\.([A-Za-z0-9_-]{${b64url(SECRET_BYTES)}})$`,
);

export interface MintedToken {
  readonly id: string;
  /** `id.secret`: give it to the holder once, never store it. */
  readonly token: string;
  readonly secretHash: string;
}

function random(randomBytes: RandomBytes, size: number): string {
  const bytes = randomBytes(size);
  // A broken injected generator must not quietly produce short tokens.
  if (bytes.length !== size) throw new Error(`randomBytes returned ${bytes.length} bytes, wanted ${size}`);
  return Buffer.from(bytes).toString('base64url');
}

/**
 * Hex SHA-256 of a token's secret. One-shot `hash`: `createHash` looks the digest up in
 * OpenSSL 3 on every call.
 */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** A fresh token from the (injected) CSPRNG: 128-bit id, 256-bit secret. */
export function mintToken(randomBytes: RandomBytes): MintedToken {
  const id = random(randomBytes, ID_BYTES);
  const secret = random(randomBytes, SECRET_BYTES);
  return { id, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

/** Splits a token into id and secret, or null if it is not shaped like one of ours. */
export function parseToken(token: unknown): { id: string; secret: string } | null {
  if (typeof token !== 'string') return null;
  const m = TOKEN_RE.exec(token);
  if (m === null) return null;
  const [, id, secret] = m;
  return id === undefined || secret === undefined ? null : { id, secret };
}

/**
 * The row an `id.secret` token names, if the secret matches the row's stored hash; null for a
 * malformed token, an unknown id and a wrong secret alike, so the answer tells a guesser
 * nothing about which ids exist.
 */
export async function rowForToken<R extends { readonly secret_hash: string }>(
  token: unknown,
  find: (id: string) => Promise<R | undefined>,
): Promise<R | null> {
  const parsed = parseToken(token);
  if (parsed === null) return null;
  const row = await find(parsed.id);
  return row !== undefined && secretMatches(parsed.secret, row.secret_hash) ? row : null;
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
