/**
 * The one mapping of CAS transport failures to the catalogue (src/backend/cas/transport-errors.ts),
 * shared by the relay, the password sign-in, diagnosis and the auth-metadata fetch.
 */
import { describe, expect, it } from 'vitest';
import { toTransportError, transportErrorCode } from '../../src/backend/cas/transport-errors.ts';
import { IwaError } from '../../src/protocol/errors.ts';
import { ProtocolParseError } from '../../src/protocol/parse-error.ts';

const coded = (code: string, cause?: unknown) =>
  Object.assign(new Error(`boom ${code}`, cause === undefined ? {} : { cause }), { code });

describe('transportErrorCode', () => {
  it.each([
    ['ENOTFOUND', 'CAS_UNREACHABLE', 'dns'],
    ['ECONNREFUSED', 'CAS_UNREACHABLE', 'tcp-refused'],
    ['ECONNRESET', 'CAS_UNREACHABLE', 'connection-reset'],
    ['ETIMEDOUT', 'CAS_UNREACHABLE', 'timeout'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'CAS_TLS_UNTRUSTED', 'depth_zero_self_signed_cert'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'CAS_TLS_UNTRUSTED', 'err_tls_cert_altname_invalid'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'CAS_TLS_UNTRUSTED', 'tls-handshake-failed'],
  ])('%s → %s (%s)', (code, expected, reason) => {
    expect(transportErrorCode(code)).toEqual({ code: expected, reason });
  });

  it('knows nothing of other codes', () => {
    expect(transportErrorCode('ERR_SOMETHING_ELSE')).toBeUndefined();
  });
});

describe('toTransportError', () => {
  it('passes catalogue errors through', () => {
    const e = new IwaError('CAS_UNREACHABLE', { reason: 'connection-lost' });
    expect(toTransportError(e)).toBe(e);
  });

  it('maps a parse error of the CAS bytes to CAS_PROTOCOL_ERROR', () => {
    expect(toTransportError(new ProtocolParseError('http', 'bad-status-line', 0))).toMatchObject({
      code: 'CAS_PROTOCOL_ERROR',
      details: { reason: 'http-bad-status-line' },
    });
  });

  it('follows the cause chain, and never keeps the message', () => {
    const e = toTransportError(new Error('wrapper with peer bytes', { cause: coded('ECONNREFUSED') }));
    expect(e).toMatchObject({ code: 'CAS_UNREACHABLE', details: { reason: 'tcp-refused' } });
    expect(e.message).not.toContain('peer bytes');
  });

  it('anything else is CAS_UNREACHABLE/transport', () => {
    expect(toTransportError(new Error('?'))).toMatchObject({
      code: 'CAS_UNREACHABLE',
      details: { reason: 'transport' },
    });
    expect(toTransportError('not an error')).toMatchObject({ details: { reason: 'transport' } });
  });
});
