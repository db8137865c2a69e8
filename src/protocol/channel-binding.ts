/**
 * TLS channel bindings for Extended Protection (EPA): RFC 5929 `tls-server-end-point`, the
 * binding Windows SSPI puts into Kerberos authenticators and NTLM's `MsvAvChannelBindings`.
 *
 * A client binds its token to the certificate *it* sees. Through our relay that is our
 * certificate, while the CAS checks against its own: the two match only when both present the
 * same certificate. Pure: the hashing is done by the caller (`src/backend/channel-binding.ts`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5929#section-4
 * @module
 */

import { TagClass, UniversalTag, children, decodeOid, expectElement } from './der.ts';

/** Hash functions RFC 5929 §4.1 can pick for a certificate. */
export type EndPointHash = 'sha256' | 'sha384' | 'sha512';

/** Signature algorithm OIDs whose hash is named by the OID itself (RFC 3279, 4055, 5758). */
const SIGNATURE_HASH: Readonly<Record<string, EndPointHash | 'upgrade'>> = {
  // md5WithRSAEncryption, sha1WithRSAEncryption, ecdsa-with-SHA1, dsa-with-sha1: SHA-256 (§4.1).
  '1.2.840.113549.1.1.4': 'upgrade',
  '1.2.840.113549.1.1.5': 'upgrade',
  '1.2.840.10045.4.1': 'upgrade',
  '1.2.840.10040.4.3': 'upgrade',
  // sha224WithRSAEncryption: no SHA-224 in our set; Windows uses SHA-256 here too.
  '1.2.840.113549.1.1.14': 'upgrade',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '2.16.840.1.101.3.4.3.2': 'sha256',
};

/**
 * The hash RFC 5929 §4.1 prescribes for a certificate's `tls-server-end-point`: the one its
 * signature algorithm uses, except MD5 and SHA-1 (and anything weaker or unknown, such as
 * RSASSA-PSS whose hash sits in parameters, or EdDSA with none), which become SHA-256.
 *
 * @param certDer the certificate, DER (X.509 `Certificate ::= SEQUENCE { tbsCertificate,
 *   signatureAlgorithm, signatureValue }`, RFC 5280 §4.1).
 * @throws `ProtocolParseError` (`der`) when the bytes are not a certificate's outer structure.
 */
export function endPointHash(certDer: Uint8Array): EndPointHash {
  const cert = expectElement(certDer, 0, certDer.length, TagClass.universal, UniversalTag.sequence, true);
  const algorithm = children(certDer, cert)[1];
  if (algorithm === undefined) return 'sha256';
  const oidEl = children(certDer, algorithm)[0];
  if (oidEl === undefined) return 'sha256';
  const hash = SIGNATURE_HASH[decodeOid(certDer, oidEl)];
  return hash === undefined || hash === 'upgrade' ? 'sha256' : hash;
}

const PREFIX = new TextEncoder().encode('tls-server-end-point:');

/**
 * The channel-binding application data for TLS (RFC 5929 §4): `tls-server-end-point:`
 * followed by the certificate hash. This is what goes into a `gss_channel_bindings_struct`
 * (RFC 2744 §3.11) as `application_data`.
 */
export function endPointApplicationData(certificateHash: Uint8Array): Uint8Array {
  const out = new Uint8Array(PREFIX.length + certificateHash.length);
  out.set(PREFIX, 0);
  out.set(certificateHash, PREFIX.length);
  return out;
}

/** Whether a client bound to one certificate can pass a CAS that checks another. */
export type EndPointMatch = 'same' | 'differ';

/** Compares two `tls-server-end-point` hashes byte for byte. */
export function compareEndPoints(a: Uint8Array, b: Uint8Array): EndPointMatch {
  if (a.length !== b.length) return 'differ';
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return 'differ';
  return 'same';
}
