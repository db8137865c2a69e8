/**
 * The Node implementation of {@link NtlmCrypto} for the NTLM client
 * (`src/protocol/ntlm-crypto.ts`).
 *
 * HMAC-MD5, MD5 and the random bytes come from `node:crypto` (OpenSSL). MD4 comes from
 * OpenSSL only when this Node's OpenSSL still offers it: OpenSSL 3 moved MD4 to the "legacy"
 * provider, which Node 20 does not load, so `createHash('md4')` throws there. We probe once
 * and otherwise use our RFC 1320 implementation (`src/protocol/md4.ts`, tested against all of
 * RFC 1320 appendix A.5 and the MS-NLMP §4.2 examples).
 *
 * @module
 */

import { createHash, createHmac, getHashes, randomBytes } from 'node:crypto';
import type { NtlmCrypto } from '../protocol/ntlm-crypto.ts';
import { md4 as pureMd4 } from '../protocol/md4.ts';

/** Whether this process's OpenSSL can compute MD4 (false on Node 20 with OpenSSL 3). */
export function nodeHasMd4(): boolean {
  if (!getHashes().includes('md4')) return false;
  try {
    createHash('md4').update('').digest();
    return true;
  } catch {
    // Listed but not loadable (OpenSSL 3 without the legacy provider).
    return false;
  }
}

const opensslMd4 = nodeHasMd4();

const toBytes = (buf: Buffer): Uint8Array => new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);

/** {@link NtlmCrypto} backed by `node:crypto`, with the pure MD4 as fallback. */
export const nodeNtlmCrypto: NtlmCrypto = {
  md4: (data) => (opensslMd4 ? toBytes(createHash('md4').update(data).digest()) : pureMd4(data)),
  md5: (data) => toBytes(createHash('md5').update(data).digest()),
  hmacMd5: (key, data) => toBytes(createHmac('md5', key).update(data).digest()),
  randomBytes: (length) => toBytes(randomBytes(length)),
  now: () => new Date(),
};
