/**
 * RFC 5929 `tls-server-end-point` of a certificate, hashed with `node:crypto`; the choice of
 * hash and the binding format are the pure part (`src/protocol/channel-binding.ts`).
 *
 * @module
 */

import { createHash, type X509Certificate } from 'node:crypto';
import {
  compareEndPoints,
  endPointApplicationData,
  endPointHash,
  type EndPointHash,
  type EndPointMatch,
} from '../protocol/channel-binding.ts';

export interface TlsServerEndPoint {
  readonly algorithm: EndPointHash;
  /** The certificate hash (RFC 5929 §4.1). Public: it is a hash of a public certificate. */
  readonly hash: Buffer;
  /** `tls-server-end-point:` + hash, the channel bindings' application data (RFC 5929 §4). */
  readonly applicationData: Uint8Array;
}

/** The `tls-server-end-point` channel binding of `cert` (RFC 5929 §4.1). */
export function tlsServerEndPoint(cert: X509Certificate): TlsServerEndPoint {
  const algorithm = endPointHash(cert.raw);
  const hash = createHash(algorithm).update(cert.raw).digest();
  return { algorithm, hash, applicationData: endPointApplicationData(hash) };
}

/**
 * Whether a client that binds to `ours` (the certificate we serve) passes a CAS that checks
 * `cas` (its own): undefined when either is unknown.
 */
export function compareCertificates(
  ours: X509Certificate | undefined,
  cas: X509Certificate | undefined,
): EndPointMatch | undefined {
  if (ours === undefined || cas === undefined) return undefined;
  return compareEndPoints(tlsServerEndPoint(ours).hash, tlsServerEndPoint(cas).hash);
}
