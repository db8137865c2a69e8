import type { ErrorCode } from '../../protocol/errors.ts';

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
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  UND_ERR_HEADERS_TIMEOUT: 'response-timeout',
  UND_ERR_BODY_TIMEOUT: 'response-timeout',
  UND_ERR_SOCKET: 'connection-closed',
  UND_ERR_CLOSED: 'connection-closed',
  UND_ERR_DESTROYED: 'connection-closed',
};

/**
 * Maps a Node/undici/OpenSSL error code from talking to the CAS to a catalogue code. Pure, so
 * the mapping is tested from a table; undefined means "not a transport failure we know".
 */
export function transportErrorCode(code: string): TransportFailure | undefined {
  if (CERTIFICATE_ERRORS.has(code)) return { code: 'CAS_TLS_UNTRUSTED', reason: code.toLowerCase() };
  if (code.startsWith('ERR_SSL_') || code === 'ERR_TLS_HANDSHAKE_TIMEOUT' || code === 'EPROTO') {
    return { code: 'CAS_TLS_UNTRUSTED', reason: 'tls-handshake-failed' };
  }
  const reason = UNREACHABLE[code];
  if (reason !== undefined) return { code: 'CAS_UNREACHABLE', reason };
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' || code.startsWith('HPE_')) {
    return { code: 'CAS_PROTOCOL_ERROR', reason: 'malformed-response' };
  }
  return undefined;
}
