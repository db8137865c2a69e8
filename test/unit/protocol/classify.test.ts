import { describe, expect, it } from 'vitest';
import { formatNegotiate } from '../../../src/protocol/http-auth.ts';
import {
  classifyConvertId,
  classifyGetFolder,
  classifyIdentity,
  classifyLeg,
  classifyProbe,
  kerberosRefusalCauses,
  ntlmTargetAllowed,
  type CasAnswer,
  type LegAnswer,
} from '../../../src/protocol/classify.ts';
import { encodeBase64 } from '../../../src/protocol/base64.ts';
import { EWS_PLACEHOLDER_MAILBOX } from '../../../src/protocol/ews.ts';
import { inspectNegotiateToken } from '../../../src/protocol/negotiate.ts';
import { MechOid } from '../../../src/protocol/spnego.ts';
import { ewsFixture, leg, negTokenResp, ntlmAuthenticate, utf16le, vector } from './helpers.ts';

const NTLM = 'ntlm-gssntlmssp.json';
const KRB = 'kerberos-mit.json';

/** Outcome → a plain comparable shape: kind, and code+details for errors. */
function summary(o: {
  kind: string;
  error?: { code: string; details: Readonly<Record<string, unknown>> };
}): unknown {
  return o.kind === 'error' && o.error !== undefined
    ? { code: o.error.code, ...o.error.details }
    : { kind: o.kind };
}

describe('classifyProbe', () => {
  const table: { description: string; input: CasAnswer; expected: unknown }[] = [
    {
      description: 'IIS default: Negotiate and NTLM',
      input: { status: 401, wwwAuthenticate: ['Negotiate', 'NTLM'] },
      expected: { kind: 'offer' },
    },
    {
      description: 'Apache mod_auth_gssapi in one header',
      input: { status: 401, wwwAuthenticate: ['Negotiate, NTLM'] },
      expected: { kind: 'offer' },
    },
    {
      description: 'Basic only',
      input: { status: 401, wwwAuthenticate: ['Basic realm="cas.corp.test"'] },
      expected: { code: 'CAS_NO_NEGOTIATE', offered: ['Basic'] },
    },
    {
      description: 'NTLM and Basic, no Negotiate',
      input: { status: 401, wwwAuthenticate: ['NTLM', 'Basic realm="x"'] },
      expected: { code: 'CAS_NO_NEGOTIATE', offered: ['NTLM', 'Basic'] },
    },
    {
      description: '401 without any challenge',
      input: { status: 401, wwwAuthenticate: [] },
      expected: { code: 'CAS_NO_NEGOTIATE', offered: [] },
    },
    {
      description: 'anonymous access allowed',
      input: { status: 200, wwwAuthenticate: [] },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'no-authentication-required' },
    },
    {
      description: 'a redirect (never followed)',
      input: { status: 302, wwwAuthenticate: [] },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'redirect', status: 302 },
    },
    {
      description: 'a 503',
      input: { status: 503, wwwAuthenticate: [], body: '<html>Service Unavailable</html>' },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'server-error', status: 503 },
    },
    {
      description: 'a 404 (wrong EWS path)',
      input: { status: 404, wwwAuthenticate: [] },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'not-found', status: 404 },
    },
    {
      description: 'a malformed WWW-Authenticate',
      input: { status: 401, wwwAuthenticate: ['Basic realm="x'] },
      expected: {
        code: 'CAS_PROTOCOL_ERROR',
        reason: 'www-authenticate-unterminated-quoted-string',
        offset: 14,
      },
    },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(summary(classifyProbe(input))).toEqual(expected);
  });

  it('lists every offered scheme', () => {
    expect(classifyProbe({ status: 401, wwwAuthenticate: ['Negotiate', 'NTLM'] })).toEqual({
      kind: 'offer',
      schemes: ['Negotiate', 'NTLM'],
    });
  });
});

describe('classifyLeg with captured handshakes', () => {
  const header = (t: Uint8Array): string[] => [formatNegotiate(t)];

  function answerFor(
    desc: string,
    file: typeof NTLM | typeof KRB,
    clientLeg: number,
    status: number,
    serverLeg?: number,
  ): LegAnswer {
    const v = vector(file, desc);
    return {
      status,
      wwwAuthenticate: serverLeg === undefined ? ['Negotiate'] : header(leg(v, serverLeg)),
      clientToken: inspectNegotiateToken(leg(v, clientLeg)),
    };
  }

  const table: { description: string; input: LegAnswer; expected: unknown }[] = [
    {
      description: 'NTLM: 401 with the CHALLENGE → continue',
      input: answerFor('SPNEGO: alice, right password', NTLM, 0, 401, 1),
      expected: { kind: 'continue' },
    },
    {
      description: 'NTLM: 200 with the final mechListMIC → authenticated',
      input: answerFor('SPNEGO: alice, right password', NTLM, 2, 200, 3),
      expected: { kind: 'authenticated' },
    },
    {
      description: 'Kerberos: 200 with the AP-REP → authenticated',
      input: answerFor('SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', KRB, 0, 200, 1),
      expected: { kind: 'authenticated' },
    },
    {
      description: 'NTLM wrong password: bare 401 after AUTHENTICATE → AUTH_REJECTED',
      input: answerFor('SPNEGO: alice, wrong password', NTLM, 2, 401),
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'ntlm',
        hint: 'credentials-refused',
        user: 'alice',
        domain: 'CORP',
        workstation: 'WKS01',
      },
    },
    {
      description: 'NTLM wrong password: 401 with a SPNEGO reject token → AUTH_REJECTED',
      input: answerFor('SPNEGO: alice, wrong password', NTLM, 2, 401, 3),
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'ntlm',
        hint: 'credentials-refused',
        user: 'alice',
        domain: 'CORP',
        workstation: 'WKS01',
      },
    },
    {
      description: 'channel-bound AUTHENTICATE refused → EXTENDED_PROTECTION_SUSPECTED',
      input: answerFor('SPNEGO: alice binds to one certificate, acceptor enforces another', NTLM, 2, 401, 3),
      expected: {
        code: 'EXTENDED_PROTECTION_SUSPECTED',
        mechanism: 'ntlm',
        hint: 'channel-binding',
        user: 'alice',
        domain: 'CORP',
        workstation: 'WKS01',
      },
    },
    {
      description: 'local account refused → AUTH_REJECTED, hint local-account',
      input: answerFor('SPNEGO: local account PC01\\localuser on workstation PC01', NTLM, 2, 401),
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'ntlm',
        hint: 'local-account',
        user: 'localuser',
        domain: 'PC01',
        workstation: 'PC01',
      },
    },
    {
      description: 'NTLMv1 refused → hint ntlmv1',
      input: answerFor('raw NTLMSSP: alice, NTLMv1 (LM_COMPAT_LEVEL=1)', NTLM, 2, 401),
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'ntlm',
        hint: 'ntlmv1',
        user: 'alice',
        domain: 'CORP',
        workstation: 'WKS01',
      },
    },
    {
      description: 'Kerberos ticket refused with a KRB-ERROR → AUTH_REJECTED naming the SPN and error',
      input: answerFor(
        'SPNEGO: Kerberos ticket the acceptor cannot decrypt (service re-keyed)',
        KRB,
        0,
        401,
        1,
      ),
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'kerberos',
        hint: 'kerberos-ticket-refused',
        servicePrincipal: 'HTTP/cas.corp.test',
        realm: 'CORP.TEST',
        ticketKvno: 2,
        kerberosError: 'KRB_AP_ERR_BADKEYVER',
        likelyCauses: ['relay-spn', 'clock-skew'],
      },
    },
    {
      description:
        'Kerberos KRB_AP_ERR_BADKEYVER while certificates differ → still AUTH_REJECTED: the key error is the stronger evidence',
      input: {
        ...answerFor(
          'SPNEGO: Kerberos ticket the acceptor cannot decrypt (service re-keyed)',
          KRB,
          0,
          401,
          1,
        ),
        endPoints: 'differ',
      },
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'kerberos',
        hint: 'kerberos-ticket-refused',
        servicePrincipal: 'HTTP/cas.corp.test',
        realm: 'CORP.TEST',
        ticketKvno: 2,
        kerberosError: 'KRB_AP_ERR_BADKEYVER',
        likelyCauses: ['relay-spn', 'extended-protection', 'clock-skew'],
      },
    },
    {
      description: 'Kerberos bare 401 while certificates differ → EXTENDED_PROTECTION_SUSPECTED, EPA first',
      input: {
        ...answerFor('SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', KRB, 0, 401),
        endPoints: 'differ',
      },
      expected: {
        code: 'EXTENDED_PROTECTION_SUSPECTED',
        mechanism: 'kerberos',
        hint: 'channel-binding',
        servicePrincipal: 'HTTP/cas.corp.test',
        realm: 'CORP.TEST',
        ticketKvno: 2,
        likelyCauses: ['extended-protection', 'relay-spn', 'clock-skew'],
      },
    },
    {
      description: 'Kerberos bare 401 with the same certificate → AUTH_REJECTED, no EPA among the causes',
      input: {
        ...answerFor('SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', KRB, 0, 401),
        endPoints: 'same',
      },
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'kerberos',
        hint: 'kerberos-ticket-refused',
        servicePrincipal: 'HTTP/cas.corp.test',
        realm: 'CORP.TEST',
        ticketKvno: 2,
        likelyCauses: ['relay-spn', 'clock-skew'],
      },
    },
    {
      description: 'a preemptive Kerberos token answered by a Basic-only 401 → CAS_NO_NEGOTIATE',
      input: {
        ...answerFor('SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', KRB, 0, 401),
        wwwAuthenticate: ['Basic realm="EWS"'],
      },
      expected: { code: 'CAS_NO_NEGOTIATE', offered: ['Basic'] },
    },
    {
      description: 'an NTLM AUTHENTICATE answered by a 401 with no challenge at all → CAS_NO_NEGOTIATE',
      input: { ...answerFor('SPNEGO: alice, wrong password', NTLM, 2, 401), wwwAuthenticate: [] },
      expected: { code: 'CAS_NO_NEGOTIATE', offered: [] },
    },
    {
      description: 'Kerberos ticket refused with a bare 401 (IIS) → AUTH_REJECTED',
      input: answerFor('SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', KRB, 0, 401),
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'kerberos',
        hint: 'kerberos-ticket-refused',
        servicePrincipal: 'HTTP/cas.corp.test',
        realm: 'CORP.TEST',
        ticketKvno: 2,
        likelyCauses: ['relay-spn', 'clock-skew'],
      },
    },
    {
      description: 'first NTLM leg refused (e.g. no Version field for gss-ntlmssp)',
      input: answerFor('raw NTLMSSP: alice, right password', NTLM, 0, 401),
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'ntlm',
        hint: 'ntlm-negotiate-refused',
        ntlmVersionPresent: true,
      },
    },
    {
      description: "curl's NEGOTIATE without a Version refused → ntlmVersionPresent false",
      input: {
        status: 401,
        wwwAuthenticate: ['Negotiate'],
        clientToken: inspectNegotiateToken(
          leg(vector('ntlm-curl.json', "curl --ntlm -u 'CORP\\alice:…'"), 0),
        ),
      },
      expected: {
        code: 'AUTH_REJECTED',
        mechanism: 'ntlm',
        hint: 'ntlm-negotiate-refused',
        ntlmVersionPresent: false,
      },
    },
    {
      description: 'refusal with no client token inspected',
      input: { status: 401, wwwAuthenticate: ['Negotiate', 'NTLM'] },
      expected: { code: 'AUTH_REJECTED', mechanism: 'unknown', hint: 'credentials-refused' },
    },
    {
      description: 'a SOAP fault on 500 → CAS_PROTOCOL_ERROR',
      input: { status: 500, wwwAuthenticate: [], body: ewsFixture('fault-invalid-request.xml') },
      expected: {
        code: 'CAS_PROTOCOL_ERROR',
        reason: 'soap-fault',
        status: 500,
        faultCode: 'ErrorSchemaValidation',
        responseCode: 'ErrorSchemaValidation',
      },
    },
    {
      description: 'a redirect mid-handshake',
      input: { status: 307, wwwAuthenticate: [] },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'redirect', status: 307 },
    },
    {
      description: 'a CAS token that is not base64',
      input: { status: 401, wwwAuthenticate: ['Negotiate a*b'] },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'www-authenticate-expected-equals', offset: 13 },
    },
    {
      description: 'a CAS token with non-canonical base64',
      input: { status: 401, wwwAuthenticate: ['Negotiate AR=='] },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'base64-non-canonical', offset: 1 },
    },
    {
      description: '403',
      input: { status: 403, wwwAuthenticate: [] },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'forbidden', status: 403 },
    },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(summary(classifyLeg(input))).toEqual(expected);
  });

  it('returns the CAS token to continue with, and the mutual-auth token', () => {
    const v = vector(NTLM, 'SPNEGO: alice, right password');
    const cont = classifyLeg({ status: 401, wwwAuthenticate: ['Negotiate ' + encodeBase64(leg(v, 1))] });
    expect(cont.kind).toBe('continue');
    if (cont.kind === 'continue') {
      expect(cont.token).toEqual(leg(v, 1));
      expect(cont.serverToken?.kind).toBe('ntlm-challenge');
    }
    const k = vector(KRB, 'SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth');
    const done = classifyLeg({ status: 200, wwwAuthenticate: ['Negotiate ' + encodeBase64(leg(k, 1))] });
    expect(done.kind === 'authenticated' && done.mutualToken).toEqual(leg(k, 1));
    const bare = classifyLeg({ status: 200, wwwAuthenticate: [] });
    expect(bare).toEqual({ kind: 'authenticated' });
  });

  it('a channel-bound NTLM AUTHENTICATE refused with the same certificate on both sides is AUTH_REJECTED', () => {
    const out = classifyLeg({
      ...answerFor('SPNEGO: alice binds to one certificate, acceptor enforces another', NTLM, 2, 401, 3),
      endPoints: 'same',
    });
    expect(summary(out)).toMatchObject({ code: 'AUTH_REJECTED', hint: 'credentials-refused' });
  });

  it("gives AUTH_REJECTED a remedy for the mechanism: a refused ticket is not 'check the account'", () => {
    const remedyOf = (input: LegAnswer): string | undefined => {
      const out = classifyLeg(input);
      return out.kind === 'error' ? out.error.toBody().remedy : undefined;
    };
    const krb = remedyOf(answerFor('SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', KRB, 0, 401));
    expect(krb).toMatch(/SPN HTTP\/<public host/);
    expect(krb).not.toMatch(/account is enabled/);
    const ntlm = remedyOf(answerFor('SPNEGO: alice, wrong password', NTLM, 2, 401));
    expect(ntlm).toMatch(/account is enabled/);
    const epa = remedyOf({
      ...answerFor('SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', KRB, 0, 401),
      endPoints: 'differ',
    });
    // Both ways out: present the CAS's certificate, or relax EWS Extended Protection.
    expect(epa).toMatch(/CAS's own certificate/);
    expect(epa).toMatch(/to None .*Accept/);
  });

  it('forwards a server token it cannot read (the browser judges it)', () => {
    const out = classifyLeg({ status: 401, wwwAuthenticate: ['Negotiate AQID'] });
    expect(out).toEqual({
      kind: 'continue',
      token: Uint8Array.of(1, 2, 3),
      // Kept for a caller that must read the token (the password sign-in's NTLM client).
      serverTokenError: expect.objectContaining({
        subject: 'negotiate',
        reason: 'unrecognised-token',
      }) as unknown,
    });
  });

  it('reads an anonymous AUTHENTICATE as "Windows had no credentials"', () => {
    const anon = ntlmAuthenticate({ flags: 0x00000801, lm: [0] });
    const out = classifyLeg({
      status: 401,
      wwwAuthenticate: ['Negotiate'],
      clientToken: inspectNegotiateToken(anon),
    });
    expect(summary(out)).toEqual({
      code: 'AUTH_REJECTED',
      mechanism: 'ntlm',
      hint: 'anonymous',
      user: '',
      domain: '',
      workstation: '',
    });
  });

  it('recognises a local account case-insensitively, also in OEM strings', () => {
    const nt = [...new Array<number>(16).fill(0xaa), 1, 1, ...new Array<number>(26).fill(0), 0, 0, 0, 0];
    const oem = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
    const token = ntlmAuthenticate({
      flags: 0x00000002,
      nt,
      domain: oem('pc01'),
      user: oem('bob'),
      workstation: oem('PC01'),
    });
    const info = inspectNegotiateToken(token);
    expect(info.ntlm).toMatchObject({ unicode: false, user: 'bob', domain: 'pc01', response: 'ntlmv2' });
    expect(
      summary(classifyLeg({ status: 401, wwwAuthenticate: ['Negotiate'], clientToken: info })),
    ).toMatchObject({
      code: 'AUTH_REJECTED',
      hint: 'local-account',
    });
    const domainUser = ntlmAuthenticate({
      flags: 1,
      nt,
      domain: utf16le('CORP'),
      user: utf16le('bob'),
      workstation: utf16le('PC01'),
    });
    expect(
      classifyLeg({
        status: 401,
        wwwAuthenticate: ['Negotiate'],
        clientToken: inspectNegotiateToken(domainUser),
      }),
    ).toMatchObject({
      error: { details: { hint: 'credentials-refused' } },
    });
  });

  it('a SPNEGO reject from the CAS is a refusal even with a token', () => {
    const reject = negTokenResp({ negState: 2, mech: MechOid.ntlmssp });
    expect(summary(classifyLeg({ status: 401, wwwAuthenticate: [formatNegotiate(reject)] }))).toMatchObject({
      code: 'AUTH_REJECTED',
    });
  });

  it('never puts token bytes or base64 in an error', () => {
    for (const [desc, file, clientLeg, serverLeg] of [
      ['SPNEGO: alice, wrong password', NTLM, 2, 3],
      ['SPNEGO: alice binds to one certificate, acceptor enforces another', NTLM, 2, 3],
      ['SPNEGO: Kerberos ticket the acceptor cannot decrypt (service re-keyed)', KRB, 0, 1],
    ] as const) {
      const v = vector(file, desc);
      const out = classifyLeg({
        status: 401,
        wwwAuthenticate: header(leg(v, serverLeg)),
        clientToken: inspectNegotiateToken(leg(v, clientLeg)),
      });
      expect(out.kind).toBe('error');
      const text = out.kind === 'error' ? JSON.stringify(out.error.toBody()) : '';
      for (const l of v.legs) expect(text).not.toContain(l.token.slice(0, 16));
      expect(text).not.toMatch(/[A-Za-z0-9+/]{24,}/);
    }
  });
});

describe('classifyGetFolder and classifyConvertId', () => {
  const getFolder: { description: string; input: CasAnswer; expected: unknown }[] = [
    {
      description: '200 with the folder',
      input: { status: 200, wwwAuthenticate: [], body: ewsFixture('getfolder-success-doc.xml') },
      expected: { kind: 'folder' },
    },
    {
      description: '200 with ErrorAccessDenied',
      input: { status: 200, wwwAuthenticate: [], body: ewsFixture('getfolder-error-access-denied.xml') },
      expected: {
        code: 'CAS_PROTOCOL_ERROR',
        reason: 'ews-error',
        step: 'GetFolder',
        responseClass: 'Error',
        responseCode: 'ErrorAccessDenied',
      },
    },
    {
      description: '500 with a SOAP fault',
      input: { status: 500, wwwAuthenticate: [], body: ewsFixture('fault-invalid-request.xml') },
      expected: {
        code: 'CAS_PROTOCOL_ERROR',
        reason: 'soap-fault',
        step: 'GetFolder',
        status: 500,
        faultCode: 'ErrorSchemaValidation',
        responseCode: 'ErrorSchemaValidation',
      },
    },
    {
      description: '500 with an HTML page',
      input: { status: 500, wwwAuthenticate: [], body: '<html><body>Runtime Error</body></html>' },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'ews-not-soap', step: 'GetFolder', status: 500 },
    },
    {
      description: '200 with no body',
      input: { status: 200, wwwAuthenticate: [] },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'empty-body', step: 'GetFolder', status: 200 },
    },
    {
      description: '200 with a truncated body',
      input: {
        status: 200,
        wwwAuthenticate: [],
        body: ewsFixture('getfolder-success-doc.xml').slice(0, 300),
      },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'xml-malformed', step: 'GetFolder', status: 200 },
    },
    {
      description: '502 from a proxy',
      input: { status: 502, wwwAuthenticate: [] },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'server-error', status: 502 },
    },
  ];
  it.each(getFolder)('GetFolder: $description', ({ input, expected }) => {
    expect(summary(classifyGetFolder(input))).toEqual(expected);
  });

  it('GetFolder: returns the folder id and server version', () => {
    expect(
      classifyGetFolder({
        status: 200,
        wwwAuthenticate: [],
        body: ewsFixture('getfolder-success-prefixed.xml'),
      }),
    ).toEqual({
      kind: 'folder',
      folder: { id: 'AAMkADc3MWUyMGQ4LWFsaWNlAC4AAAAAAAEBAAA=', changeKey: 'AQAAABYAAABhbGljZQ==' },
      serverVersion: {
        majorVersion: 15,
        minorVersion: 2,
        majorBuildNumber: 1544,
        minorBuildNumber: 4,
        version: 'V2017_07_11',
      },
    });
  });

  const convert: { description: string; input: CasAnswer; expected: unknown }[] = [
    {
      description: '200 with the AlternateId',
      input: { status: 200, wwwAuthenticate: [], body: ewsFixture('convertid-success-doc.xml') },
      expected: { kind: 'converted' },
    },
    {
      description: '200 with ErrorInvalidIdMalformed',
      input: { status: 200, wwwAuthenticate: [], body: ewsFixture('convertid-error-malformed.xml') },
      expected: {
        code: 'CAS_PROTOCOL_ERROR',
        reason: 'ews-error',
        step: 'ConvertId',
        responseClass: 'Error',
        responseCode: 'ErrorInvalidIdMalformed',
      },
    },
    {
      description: '401: the connection was not kept authenticated',
      input: { status: 401, wwwAuthenticate: ['Negotiate'] },
      expected: {
        code: 'CAS_PROTOCOL_ERROR',
        reason: 'identity-probe-unauthenticated',
        step: 'ConvertId',
        status: 401,
      },
    },
  ];
  it.each(convert)('ConvertId: $description', ({ input, expected }) => {
    expect(summary(classifyConvertId(input))).toEqual(expected);
  });
});

describe('classifyIdentity', () => {
  const table: { description: string; input: [string | undefined, string]; expected: unknown }[] = [
    {
      description: 'same address',
      input: ['alice@corp.test', 'alice@corp.test'],
      expected: { kind: 'proven', mailbox: 'alice@corp.test' },
    },
    {
      description: 'same address, different case',
      input: ['Alice@Corp.Test', 'ALICE@corp.test'],
      expected: { kind: 'proven', mailbox: 'alice@corp.test' },
    },
    {
      description: 'a different mailbox',
      input: ['alice@corp.test', 'bob@corp.test'],
      expected: {
        kind: 'error',
        code: 'IDENTITY_MISMATCH',
        claimed: 'bob@corp.test',
        proven: 'alice@corp.test',
      },
    },
    {
      description: 'no Mailbox attribute',
      input: [undefined, 'alice@corp.test'],
      expected: { kind: 'error', code: 'CAS_PROTOCOL_ERROR', reason: 'no-proven-mailbox' },
    },
    {
      description: 'an AlternateId Mailbox that is not an address',
      input: ['not an address', 'alice@corp.test'],
      expected: { kind: 'error', code: 'CAS_PROTOCOL_ERROR', reason: 'no-proven-mailbox' },
    },
    {
      description: 'our placeholder echoed back is never a proof, even for a client claiming it',
      input: [EWS_PLACEHOLDER_MAILBOX.toUpperCase(), EWS_PLACEHOLDER_MAILBOX],
      expected: { kind: 'error', code: 'CAS_PROTOCOL_ERROR', reason: 'placeholder-echoed' },
    },
  ];
  it.each(table)('$description', ({ input: [mailbox, claimed], expected }) => {
    const out = classifyIdentity(
      { id: 'x', format: 'EwsId', ...(mailbox === undefined ? {} : { mailbox }) },
      claimed,
    );
    expect(
      out.kind === 'error' ? { kind: 'error', code: out.error.code, ...out.error.details } : out,
    ).toEqual(expected);
  });
});

describe('kerberosRefusalCauses', () => {
  it.each([
    [undefined, undefined, ['relay-spn', 'clock-skew']],
    [undefined, 'differ', ['extended-protection', 'relay-spn', 'clock-skew']],
    ['KRB_AP_ERR_SKEW', 'differ', ['clock-skew', 'extended-protection', 'relay-spn']],
    ['KRB_AP_ERR_SKEW', 'same', ['clock-skew', 'relay-spn']],
    ['KRB_AP_ERR_MODIFIED', 'differ', ['relay-spn', 'extended-protection', 'clock-skew']],
    ['KRB_AP_ERR_NOKEY', undefined, ['relay-spn', 'clock-skew']],
    ['KRB_AP_ERR_REPEAT', 'differ', ['relay-spn', 'extended-protection', 'clock-skew']],
  ] as const)('%s, certificates %s → %j', (krbError, endPoints, expected) => {
    expect(kerberosRefusalCauses(krbError, endPoints)).toEqual(expected);
  });
});

describe('ntlmTargetAllowed (NTLM reflection guard)', () => {
  const hosts = ['relay.corp.test', 'cas.corp.test'];
  it.each([
    [undefined, true],
    ['', true],
    ['HTTP/relay.corp.test', true],
    ['http/CAS.corp.test', true],
    ['HTTP/relay.corp.test:8443', true],
    ['HTTP/relay.corp.test@CORP.TEST', true],
    ['HTTP/evil.corp.test', false],
    ['cifs/relay.corp.test', false],
    ['HTTP/relay.corp.test.evil.test', false],
    ['relay.corp.test', false],
    ['HTTP/', false],
  ] as const)('%s → %s', (target, allowed) => {
    expect(ntlmTargetAllowed(target, hosts)).toBe(allowed);
  });
});
