import { describe, expect, it } from 'vitest';
import {
  compareEndPoints,
  endPointApplicationData,
  endPointHash,
} from '../../../src/protocol/channel-binding.ts';

/** A Certificate's outer shape (RFC 5280 §4.1): empty TBS, the signature algorithm, an empty signature. */
function certWith(oid: number[]): Uint8Array {
  const alg = [0x30, oid.length + 4, 0x06, oid.length, ...oid, 0x05, 0x00];
  const body = [0x30, 0x00, ...alg, 0x03, 0x01, 0x00];
  return Uint8Array.from([0x30, body.length, ...body]);
}

const RSA = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
const ECDSA = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04];

describe('endPointHash (RFC 5929 §4.1)', () => {
  it.each([
    ['md5WithRSAEncryption → SHA-256', [...RSA, 0x04], 'sha256'],
    ['sha1WithRSAEncryption → SHA-256', [...RSA, 0x05], 'sha256'],
    ['sha256WithRSAEncryption', [...RSA, 0x0b], 'sha256'],
    ['sha384WithRSAEncryption', [...RSA, 0x0c], 'sha384'],
    ['sha512WithRSAEncryption', [...RSA, 0x0d], 'sha512'],
    ['ecdsa-with-SHA1 → SHA-256', [...ECDSA, 0x01], 'sha256'],
    ['ecdsa-with-SHA384', [...ECDSA, 0x03, 0x03], 'sha384'],
    ['ecdsa-with-SHA512', [...ECDSA, 0x03, 0x04], 'sha512'],
    ['RSASSA-PSS (hash in parameters) → SHA-256', [...RSA, 0x0a], 'sha256'],
    ['Ed25519 (no hash) → SHA-256', [0x2b, 0x65, 0x70], 'sha256'],
  ] as const)('%s', (_name, oid, hash) => {
    expect(endPointHash(certWith([...oid]))).toBe(hash);
  });

  it('refuses bytes that are not a certificate', () => {
    expect(() => endPointHash(Uint8Array.of(0x04, 0x00))).toThrow();
  });
});

describe('endPointApplicationData and compareEndPoints', () => {
  it('prefixes the hash with tls-server-end-point:', () => {
    const data = endPointApplicationData(Uint8Array.of(1, 2, 3));
    expect(new TextDecoder().decode(data.subarray(0, 21))).toBe('tls-server-end-point:');
    expect([...data.subarray(21)]).toEqual([1, 2, 3]);
  });

  it('compares byte for byte', () => {
    expect(compareEndPoints(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe('same');
    expect(compareEndPoints(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe('differ');
    expect(compareEndPoints(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe('differ');
  });
});
