import { IwaError, type ErrorCode } from '../../protocol/errors.ts';
import { ProtocolParseError } from '../../protocol/parse-error.ts';

export interface TransportFailure {
  readonly code: ErrorCode;
  /** A short, stable, secret-free reason for logs, the audit trail and diagnosis. */
  readonly reason: string;
}

// OpenSSL's verification failures, as Node reports them.
// https://nodejs.org/api/errors.html#openssl-errors and X509_V_ERR_* in OpenSSL's x509_vfy.h
const CERTIFICATE_ERRORS = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const UNREACHABLE: Record<string, string> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  ECONNREFUSED: 'tcp-refused',
  EHOSTUNREACH: 'tcp-unreachable',
  ENETUNREACH: 'tcp-unreachable',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
};

/**
 * Maps a Node/OpenSSL error code from talking to the CAS to a catalogue code. Pure, so the
 * mapping is tested from a table; undefined means "not a transport failure we know".
 */
export function transportErrorCode(code: string): TransportFailure | undefined {
  if (CERTIFICATE_ERRORS.has(code)) return { code: 'CAS_TLS_UNTRUSTED', reason: code.toLowerCase() };
  if (code.startsWith('ERR_SSL_') || code === 'ERR_TLS_HANDSHAKE_TIMEOUT' || code === 'EPROTO') {
    return { code: 'CAS_TLS_UNTRUSTED', reason: 'tls-handshake-failed' };
  }
  const reason = UNREACHABLE[code];
  if (reason !== undefined) return { code: 'CAS_UNREACHABLE', reason };
  return undefined;
}

/**
 * The one mapping of anything that went wrong talking to a CAS (connecting, TLS, writing,
 * reading, parsing its answer) to the catalogue, for the relay, the password sign-in,
 * diagnosis and the auth-metadata fetch alike. Catalogue errors pass through; a parse error
 * of the CAS's bytes is `CAS_PROTOCOL_ERROR`; a Node/OpenSSL code is looked up (also on the
 * error's `cause` chain); anything else is `CAS_UNREACHABLE` with reason `transport`. The
 * result never carries the original message, which may quote the peer's bytes.
 */
export function toTransportError(err: unknown): IwaError {
  let cursor: unknown = err;
  for (let depth = 0; depth < 4 && cursor instanceof Error; depth++) {
    if (cursor instanceof IwaError) return cursor;
    if (cursor instanceof ProtocolParseError) return new IwaError('CAS_PROTOCOL_ERROR', cursor.toDetails());
    const code = (cursor as { code?: unknown }).code;
    const mapped = typeof code === 'string' ? transportErrorCode(code) : undefined;
    if (mapped !== undefined) return new IwaError(mapped.code, { reason: mapped.reason });
    cursor = cursor.cause;
  }
  return new IwaError('CAS_UNREACHABLE', { reason: 'transport' });
}
