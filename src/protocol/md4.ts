/**
 * MD4 (RFC 1320), for the NT one-way function of NTLM (MS-NLMP §3.3.1/§3.3.2: NTOWF =
 * MD4(UNICODE(password))).
 *
 * Why our own: Node 20's OpenSSL 3 keeps MD4 in the "legacy" provider, which is not loaded,
 * so `crypto.createHash('md4')` throws `ERR_OSSL_EVP_UNSUPPORTED` there (checked on this
 * machine: `crypto.getHashes().includes('md4') === false`), and browsers have no MD4 at all.
 * MD4 is broken as a general hash; NTLM needs it only as a fixed key-derivation step, where
 * a correct implementation is all that matters. It is checked against every test vector of
 * RFC 1320 appendix A.5 in `test/unit/md4.test.ts`.
 *
 * Pure: `Uint8Array` in, 16-byte `Uint8Array` out, no `node:` imports.
 *
 * @see https://www.rfc-editor.org/rfc/rfc1320
 * @module
 */

/** Circular left shift of a 32-bit word. */
function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

// Round constants of RFC 1320 §3.4: round 2 adds sqrt(2)·2^30, round 3 adds sqrt(3)·2^30.
const K2 = 0x5a827999;
const K3 = 0x6ed9eba1;

// Per-round word order and shift amounts, exactly as listed in RFC 1320 §3.4.
const R1_SHIFTS = [3, 7, 11, 19] as const;
const R2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15] as const;
const R2_SHIFTS = [3, 5, 9, 13] as const;
const R3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15] as const;
const R3_SHIFTS = [3, 9, 11, 15] as const;

/** Compute the 16-byte MD4 digest of `data`. */
export function md4(data: Uint8Array): Uint8Array {
  // Padding (RFC 1320 §3.1–3.2): a 1 bit, zeros to 56 mod 64 bytes, then the bit length as a
  // 64-bit little-endian integer.
  const bitLength = BigInt(data.length) * 8n;
  const paddedLength = (((data.length + 8) >> 6) + 1) << 6;
  const buf = new Uint8Array(paddedLength);
  buf.set(data);
  buf[data.length] = 0x80;
  const view = new DataView(buf.buffer);
  view.setBigUint64(paddedLength - 8, bitLength & 0xffffffffffffffffn, true);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  // `?? 0` below only satisfies noUncheckedIndexedAccess: every index is in range.
  const x = new Uint32Array(16);

  for (let block = 0; block < paddedLength; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = view.getUint32(block + i * 4, true);
    const aa = a;
    const bb = b;
    const cc = c;
    const dd = d;

    // Round 1: F(X,Y,Z) = XY v not(X) Z; words in order 0..15.
    for (let i = 0; i < 16; i++) {
      const f = (b & c) | (~b & d);
      const t = rotl((a + f + (x[i] ?? 0)) | 0, R1_SHIFTS[i & 3] ?? 0);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    // Round 2: G(X,Y,Z) = XY v XZ v YZ (majority).
    for (let i = 0; i < 16; i++) {
      const g = (b & c) | (b & d) | (c & d);
      const t = rotl((a + g + (x[R2_ORDER[i] ?? 0] ?? 0) + K2) | 0, R2_SHIFTS[i & 3] ?? 0);
      a = d;
      d = c;
      c = b;
      b = t;
    }
    // Round 3: H(X,Y,Z) = X xor Y xor Z.
    for (let i = 0; i < 16; i++) {
      const h = b ^ c ^ d;
      const t = rotl((a + h + (x[R3_ORDER[i] ?? 0] ?? 0) + K3) | 0, R3_SHIFTS[i & 3] ?? 0);
      a = d;
      d = c;
      c = b;
      b = t;
    }

    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }

  const out = new Uint8Array(16);
  const outView = new DataView(out.buffer);
  outView.setUint32(0, a >>> 0, true);
  outView.setUint32(4, b >>> 0, true);
  outView.setUint32(8, c >>> 0, true);
  outView.setUint32(12, d >>> 0, true);
  return out;
}
