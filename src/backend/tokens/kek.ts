/**
 * The key-encryption key (KEK) that seals access-token signing keys at rest, and the sealing
 * itself: AES-256-GCM (NIST SP 800-38D) with a fresh 96-bit IV per key and the key's `kid`
 * as additional data, so a sealed key cannot be swapped onto another row. The file format
 * is in docs/access-tokens.md: one line, 32 random bytes in base64 (or 64 hex digits), mode
 * 0600 or stricter.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { IwaError } from '../../protocol/errors.ts';

export const KEK_FLAG = '--key-encryption-key-file';
export const KEK_ENV = 'OUTLOOK_IWA_KEY_ENCRYPTION_KEY_FILE';
const KEK_BYTES = 32;
const IV_BYTES = 12;
const ENVELOPE = 'v1';

export type KekProblem = 'not-found' | 'permissions' | 'short' | 'format' | 'mismatch';

const PROBLEMS: Record<KekProblem, string> = {
  'not-found': 'the file does not exist or cannot be read',
  permissions: 'the file is readable or writable by group or others; make it mode 0600',
  short: `the key is shorter than ${KEK_BYTES} bytes`,
  format: `the file must hold ${KEK_BYTES} bytes in base64 or 64 hex digits, on one line`,
  mismatch: 'this is not the key the signing keys were sealed with',
};

/** `KEY_ENCRYPTION_KEY_INVALID` naming the flag, its variable and what is wrong (never the key). */
export function kekError(problem: KekProblem): IwaError {
  return new IwaError(
    'KEY_ENCRYPTION_KEY_INVALID',
    { flag: KEK_FLAG, env: KEK_ENV, problem },
    `${KEK_FLAG} (${KEK_ENV}): ${PROBLEMS[problem]}.`,
  );
}

/** `KEY_ENCRYPTION_KEY_MISSING`: tokens are off, and why. */
export function kekMissing(): IwaError {
  return new IwaError(
    'KEY_ENCRYPTION_KEY_MISSING',
    { flag: KEK_FLAG, env: KEK_ENV },
    `Access tokens are off: no key-encryption key. Give ${KEK_FLAG} or set ${KEK_ENV}.`,
  );
}

/** Decodes the file's text: 64 hex digits, or base64/base64url of exactly 32 bytes. */
export function parseKek(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]+$/.test(t) && t.length % 2 === 0 && t.length <= 2 * KEK_BYTES) {
    const bytes = Buffer.from(t, 'hex');
    if (bytes.length < KEK_BYTES) throw kekError('short');
    return bytes;
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) throw kekError('format');
  const bytes = Buffer.from(t.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
  if (bytes.length < KEK_BYTES) throw kekError('short');
  if (bytes.length !== KEK_BYTES) throw kekError('format');
  return bytes;
}

/**
 * Reads and checks the KEK file. The permission check follows ssh's rule for private keys:
 * a secret that others may read is refused rather than used.
 */
export function loadKek(file: string): Buffer {
  let mode: number;
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw kekError('not-found');
    mode = stat.mode;
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof IwaError) throw err;
    throw kekError('not-found');
  }
  if ((mode & 0o077) !== 0) throw kekError('permissions');
  return parseKek(text);
}

const aad = (kid: string) => Buffer.from(`outlook-iwa signing key ${kid}`, 'utf8');

/** Seals a private key for the row `kid`: `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function seal(kek: Uint8Array, kid: string, plaintext: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv).setAAD(aad(kid));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [ENVELOPE, iv, cipher.getAuthTag(), ct]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** Opens a sealed key; a wrong KEK (or a tampered row) is `KEY_ENCRYPTION_KEY_INVALID` `mismatch`. */
export function unseal(kek: Uint8Array, kid: string, sealed: string): Buffer {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== ENVELOPE || iv === undefined || tag === undefined || ct === undefined) {
    throw kekError('mismatch');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(iv, 'base64url'))
      .setAAD(aad(kid))
      .setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  } catch {
    throw kekError('mismatch');
  }
}
