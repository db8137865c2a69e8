import { describe, expect, it } from 'vitest';
import { ERRORS, IwaError, isErrorCode } from '../../src/protocol/errors.ts';

describe('error catalogue', () => {
  it('has every code interface.md names', () => {
    for (const code of [
      'MAILBOX_INVALID',
      'PROFILE_NOT_FOUND',
      'METHOD_DISABLED',
      'CAS_UNREACHABLE',
      'CAS_TLS_UNTRUSTED',
      'CAS_NO_NEGOTIATE',
      'AUTH_REJECTED',
      'EXTENDED_PROTECTION_SUSPECTED',
      'IDENTITY_MISMATCH',
      'HANDSHAKE_INVALID',
      'REQUEST_TOO_LARGE',
      'RATE_LIMITED',
      'IDENTITY_TOKEN_INVALID',
      'IDENTITY_TOKEN_UNBOUND',
      'SESSION_INVALID',
    ]) {
      expect(isErrorCode(code), code).toBe(true);
    }
  });

  it('renders a body with code, message, remedy and details, code last-wins', () => {
    const err = new IwaError('CAS_NO_NEGOTIATE', { offered: ['Basic'], code: 'spoofed' });
    expect(err.status).toBe(502);
    expect(err.toBody()).toEqual({
      code: 'CAS_NO_NEGOTIATE',
      message: ERRORS.CAS_NO_NEGOTIATE.message,
      remedy: ERRORS.CAS_NO_NEGOTIATE.remedy,
      offered: ['Basic'],
    });
  });

  it('rejects strings that are not codes', () => {
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});
