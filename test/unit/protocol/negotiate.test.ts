import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  inspectNegotiateToken,
  isFinalClientToken,
  isRejectionToken,
  type NegotiateTokenInfo,
} from '../../../src/protocol/negotiate.ts';
import { MechOid } from '../../../src/protocol/spnego.ts';
import {
  allCapturedTokens,
  captured,
  expectParseError,
  gssFramed,
  leg,
  msNlmp,
  negTokenInit,
  negTokenResp,
  octetString,
  oid,
  onlyParseErrors,
  tlv,
  vector,
} from './helpers.ts';

// Property tests run thousands of cases; give them room on a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

const NTLM = 'ntlm-gssntlmssp.json';
const KRB = 'kerberos-mit.json';

/** The facts a test table checks; anything not listed is not compared. */
function facts(info: NegotiateTokenInfo): Record<string, unknown> {
  return {
    mechanism: info.mechanism,
    kind: info.kind,
    framing: info.framing,
    ...(info.spnego?.token === 'resp' ? { negState: info.spnego.negState } : {}),
    ...(info.spnego?.token === 'init' ? { mechTypes: info.spnego.mechNames } : {}),
  };
}

describe('inspectNegotiateToken: tokens captured from gss-ntlmssp', () => {
  const table: { description: string; input: [string, number]; expected: Record<string, unknown> }[] = [
    {
      description: 'SPNEGO NegTokenInit with NTLM NEGOTIATE',
      input: ['SPNEGO: alice, right password', 0],
      expected: { mechanism: 'ntlm', kind: 'ntlm-negotiate', framing: 'spnego', mechTypes: ['ntlmssp'] },
    },
    {
      description: 'SPNEGO NegTokenResp with NTLM CHALLENGE',
      input: ['SPNEGO: alice, right password', 1],
      expected: {
        mechanism: 'ntlm',
        kind: 'ntlm-challenge',
        framing: 'spnego',
        negState: 'accept-incomplete',
      },
    },
    {
      description: 'SPNEGO NegTokenResp with NTLM AUTHENTICATE',
      input: ['SPNEGO: alice, right password', 2],
      expected: {
        mechanism: 'ntlm',
        kind: 'ntlm-authenticate',
        framing: 'spnego',
        negState: 'accept-incomplete',
      },
    },
    {
      description: 'SPNEGO accept-completed with only a mechListMIC',
      input: ['SPNEGO: alice, right password', 3],
      expected: {
        mechanism: 'unknown',
        kind: 'spnego-only',
        framing: 'spnego',
        negState: 'accept-completed',
      },
    },
    {
      description: 'SPNEGO reject after a wrong password',
      input: ['SPNEGO: alice, wrong password', 3],
      expected: { mechanism: 'unknown', kind: 'spnego-only', framing: 'spnego', negState: 'reject' },
    },
    {
      description: 'raw NTLMSSP NEGOTIATE',
      input: ['raw NTLMSSP: alice, right password', 0],
      expected: { mechanism: 'ntlm', kind: 'ntlm-negotiate', framing: 'raw' },
    },
    {
      description: 'raw NTLMSSP CHALLENGE',
      input: ['raw NTLMSSP: alice, right password', 1],
      expected: { mechanism: 'ntlm', kind: 'ntlm-challenge', framing: 'raw' },
    },
    {
      description: 'raw NTLMSSP AUTHENTICATE',
      input: ['raw NTLMSSP: alice, right password', 2],
      expected: { mechanism: 'ntlm', kind: 'ntlm-authenticate', framing: 'raw' },
    },
  ];
  it.each(table)('$description', ({ input: [desc, i], expected }) => {
    expect(facts(inspectNegotiateToken(leg(vector(NTLM, desc), i)))).toEqual(expected);
  });

  const auth: { description: string; input: [string, number]; expected: Record<string, unknown> }[] = [
    {
      description: 'SPNEGO AUTHENTICATE: alice, NTLMv2, MIC, no channel binding',
      input: ['SPNEGO: alice, right password', 2],
      expected: {
        user: 'alice',
        domain: 'CORP',
        workstation: 'WKS01',
        unicode: true,
        response: 'ntlmv2',
        anonymous: false,
        hasMic: true,
        channelBindings: 'absent',
        targetName: 'HTTP/cas.corp.test',
      },
    },
    {
      description: 'raw AUTHENTICATE: no MIC (gss-ntlmssp adds one only inside SPNEGO)',
      input: ['raw NTLMSSP: alice, right password', 2],
      expected: { user: 'alice', response: 'ntlmv2', hasMic: false, channelBindings: 'absent' },
    },
    {
      description: 'channel bindings passed to init_sec_context: MsvAvChannelBindings present',
      input: ['SPNEGO: alice, channel bindings on both sides', 2],
      expected: { user: 'alice', response: 'ntlmv2', hasMic: true, channelBindings: 'present' },
    },
    {
      description: 'raw NTLM with channel bindings',
      input: ['raw NTLMSSP: alice, channel bindings on both sides', 2],
      expected: { channelBindings: 'present' },
    },
    {
      description: 'NTLMv1 (LM_COMPAT_LEVEL=1): 24-byte NT response',
      input: ['raw NTLMSSP: alice, NTLMv1 (LM_COMPAT_LEVEL=1)', 2],
      expected: {
        user: 'alice',
        response: 'ntlmv1',
        ntResponseLength: 24,
        lmResponseLength: 24,
        hasMic: false,
      },
    },
    {
      description: 'local account: domain equals workstation',
      input: ['SPNEGO: local account PC01\\localuser on workstation PC01', 2],
      expected: { user: 'localuser', domain: 'PC01', workstation: 'PC01', response: 'ntlmv2' },
    },
  ];
  it.each(auth)('$description', ({ input: [desc, i], expected }) => {
    const info = inspectNegotiateToken(leg(vector(NTLM, desc), i));
    expect(info.ntlm?.messageType).toBe('authenticate');
    expect(info.ntlm).toMatchObject(expected);
  });

  it('reads NEGOTIATE flags and the Version field', () => {
    const info = inspectNegotiateToken(leg(vector(NTLM, 'raw NTLMSSP: alice, right password'), 0));
    expect(info.ntlm).toMatchObject({ messageType: 'negotiate', hasVersion: true });
    expect(info.ntlm?.flagNames).toEqual(expect.arrayContaining(['NEGOTIATE_UNICODE', 'NEGOTIATE_VERSION']));
  });

  it('reads the CHALLENGE target name and AV pairs, not the server challenge', () => {
    const info = inspectNegotiateToken(leg(vector(NTLM, 'SPNEGO: alice, right password'), 1));
    expect(info.ntlm).toMatchObject({
      messageType: 'challenge',
      targetName: 'WKS01',
      targetInfo: { nbComputerName: 'WKS01', hasTimestamp: true, channelBindings: 'absent' },
    });
    expect(JSON.stringify(info)).not.toMatch(/serverChallenge/i);
  });

  it('covers every captured leg without error', () => {
    for (const v of captured(NTLM)) for (let i = 0; i < v.legs.length; i++) inspectNegotiateToken(leg(v, i));
  });
});

describe("inspectNegotiateToken: tokens recorded from curl's built-in NTLM", () => {
  const table: { description: string; input: [string, number]; expected: Record<string, unknown> }[] = [
    {
      description: 'NEGOTIATE without the Version field (what gss-ntlmssp 1.2 refuses)',
      input: ["curl --ntlm -u 'CORP\\alice:…'", 0],
      expected: { messageType: 'negotiate', hasVersion: false },
    },
    {
      description: 'AUTHENTICATE echoing NEGOTIATE_VERSION without carrying a Version',
      input: ["curl --ntlm -u 'CORP\\alice:…'", 2],
      expected: {
        messageType: 'authenticate',
        hasVersion: false,
        user: 'alice',
        domain: 'CORP',
        response: 'ntlmv2',
        hasMic: false,
        hasSessionKey: false,
        channelBindings: 'absent',
      },
    },
    {
      description: 'AUTHENTICATE with no domain',
      input: ["curl --ntlm -u 'alice:…' (no domain)", 2],
      expected: { messageType: 'authenticate', user: 'alice', domain: '', anonymous: false },
    },
  ];
  it.each(table)('$description', ({ input: [desc, i], expected }) => {
    const info = inspectNegotiateToken(leg(vector('ntlm-curl.json', desc), i));
    expect(info.framing).toBe('raw');
    expect(info.ntlm).toMatchObject(expected);
    expect(info.ntlm).not.toHaveProperty('version');
  });
});

describe('inspectNegotiateToken: tokens captured from MIT Kerberos', () => {
  const table: { description: string; input: [string, number]; expected: Record<string, unknown> }[] = [
    {
      description: 'SPNEGO NegTokenInit with a krb5 AP-REQ',
      input: ['SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', 0],
      expected: { mechanism: 'kerberos', kind: 'kerberos-ap-req', framing: 'spnego', mechTypes: ['krb5'] },
    },
    {
      description: 'SPNEGO accept-completed with a krb5 AP-REP (mutual auth)',
      input: ['SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', 1],
      expected: {
        mechanism: 'kerberos',
        kind: 'kerberos-ap-rep',
        framing: 'spnego',
        negState: 'accept-completed',
      },
    },
    {
      description: 'raw krb5 GSS AP-REQ (TOK_ID 01 00)',
      input: ['raw krb5: AP-REQ and AP-REP, mutual auth', 0],
      expected: { mechanism: 'kerberos', kind: 'kerberos-ap-req', framing: 'gss' },
    },
    {
      description: 'raw krb5 GSS AP-REP (TOK_ID 02 00)',
      input: ['raw krb5: AP-REQ and AP-REP, mutual auth', 1],
      expected: { mechanism: 'kerberos', kind: 'kerberos-ap-rep', framing: 'gss' },
    },
    {
      description: 'SPNEGO reject carrying a KRB-ERROR',
      input: ['SPNEGO: Kerberos ticket the acceptor cannot decrypt (service re-keyed)', 1],
      expected: { mechanism: 'kerberos', kind: 'kerberos-error', framing: 'spnego', negState: 'reject' },
    },
  ];
  it.each(table)('$description', ({ input: [desc, i], expected }) => {
    expect(facts(inspectNegotiateToken(leg(vector(KRB, desc), i)))).toEqual(expected);
  });

  it('reads the ticket realm, SPN, etype and kvno from the AP-REQ', () => {
    const info = inspectNegotiateToken(
      leg(vector(KRB, 'SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth'), 0),
    );
    expect(info.kerberos).toEqual({
      kind: 'ap-req',
      realm: 'CORP.TEST',
      servicePrincipal: 'HTTP/cas.corp.test',
      ticketEtype: 18,
      ticketKvno: 2,
      mutualRequired: true,
    });
  });

  it('names the KRB-ERROR of a refused ticket', () => {
    const info = inspectNegotiateToken(
      leg(vector(KRB, 'SPNEGO: Kerberos ticket the acceptor cannot decrypt (service re-keyed)'), 1),
    );
    expect(info.kerberos).toMatchObject({ kind: 'error', errorCode: 44, errorName: 'KRB_AP_ERR_BADKEYVER' });
    expect(isRejectionToken(info)).toBe(true);
  });
});

describe('inspectNegotiateToken: Microsoft documented and hand-built tokens', () => {
  it('MS-NLMP 4.2.4.3 CHALLENGE', () => {
    expect(inspectNegotiateToken(msNlmp(0)).ntlm).toMatchObject({
      messageType: 'challenge',
      targetName: 'Server',
      targetInfo: { nbDomainName: 'Domain', nbComputerName: 'Server' },
      version: { major: 6, minor: 0, build: 6000, ntlmRevision: 15 },
    });
  });

  it('MS-NLMP 4.2.4.3 AUTHENTICATE', () => {
    expect(inspectNegotiateToken(msNlmp(1)).ntlm).toMatchObject({
      messageType: 'authenticate',
      user: 'User',
      domain: 'Domain',
      workstation: 'COMPUTER',
      response: 'ntlmv2',
      hasMic: false,
      channelBindings: 'absent',
      version: { major: 5, minor: 1, build: 2600 },
    });
  });

  const apReq = leg(vector(KRB, 'SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth'), 0);
  const rawApReq = leg(vector(KRB, 'raw krb5: AP-REQ and AP-REP, mutual auth'), 0);
  const ntlmNegotiate = leg(vector(NTLM, 'raw NTLMSSP: alice, right password'), 0);

  const built: { description: string; input: Uint8Array; expected: Record<string, unknown> }[] = [
    {
      description:
        'Windows-style mechTypes (MS krb5 first, then krb5, NegoEx, NTLM) with a Kerberos mechToken',
      input: negTokenInit([MechOid.msKrb5, MechOid.krb5, MechOid.negoex, MechOid.ntlmssp], rawApReq),
      expected: {
        mechanism: 'kerberos',
        kind: 'kerberos-ap-req',
        framing: 'spnego',
        mechTypes: ['ms-krb5', 'krb5', 'negoex', 'ntlmssp'],
      },
    },
    {
      description: 'a NegTokenInit without a mechToken: mechanism from the first mechType',
      input: negTokenInit([MechOid.ntlmssp, MechOid.krb5]),
      expected: { mechanism: 'ntlm', kind: 'spnego-only', framing: 'spnego', mechTypes: ['ntlmssp', 'krb5'] },
    },
    {
      description: 'a NegoEx first: its mechToken is not inspected, the mechanism is unknown',
      input: negTokenInit([MechOid.negoex, MechOid.ntlmssp], gssFramed(MechOid.negoex, [0x4e, 0x45])),
      expected: {
        mechanism: 'unknown',
        kind: 'unknown',
        framing: 'spnego',
        mechTypes: ['negoex', 'ntlmssp'],
      },
    },
    {
      description: 'an unframed NegTokenResp with NTLM inside',
      input: negTokenResp({ negState: 1, mech: MechOid.ntlmssp, token: ntlmNegotiate }),
      expected: {
        mechanism: 'ntlm',
        kind: 'ntlm-negotiate',
        framing: 'spnego',
        negState: 'accept-incomplete',
      },
    },
    {
      description: 'a NegTokenResp request-mic with only supportedMech',
      input: negTokenResp({ negState: 3, mech: MechOid.krb5 }),
      expected: { mechanism: 'kerberos', kind: 'spnego-only', framing: 'spnego', negState: 'request-mic' },
    },
    {
      description: 'a GSS token of an unknown mechanism is well-formed, not an error',
      input: gssFramed('1.2.3.4', [1, 2, 3]),
      expected: { mechanism: 'unknown', kind: 'unknown', framing: 'gss' },
    },
    {
      description: 'raw krb5 with the Microsoft OID and a per-message TOK_ID',
      input: gssFramed(MechOid.msKrb5, [0x04, 0x04, 0, 0]),
      expected: { mechanism: 'kerberos', kind: 'unknown', framing: 'gss' },
    },
  ];
  it.each(built)('$description', ({ input, expected }) => {
    expect(facts(inspectNegotiateToken(input))).toEqual(expected);
  });

  it('classifies final client tokens and rejections', () => {
    expect(isFinalClientToken(inspectNegotiateToken(apReq))).toBe(true);
    expect(isFinalClientToken(inspectNegotiateToken(ntlmNegotiate))).toBe(false);
    expect(
      isFinalClientToken(inspectNegotiateToken(leg(vector(NTLM, 'SPNEGO: alice, right password'), 2))),
    ).toBe(true);
    expect(isRejectionToken(inspectNegotiateToken(negTokenResp({ negState: 2 })))).toBe(true);
    expect(isRejectionToken(inspectNegotiateToken(negTokenResp({ negState: 0 })))).toBe(false);
  });
});

describe('inspectNegotiateToken: malformed input', () => {
  const apReq = leg(vector(KRB, 'SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth'), 0);
  const auth = leg(vector(NTLM, 'raw NTLMSSP: alice, right password'), 2);
  const withByte = (b: Uint8Array, at: number, v: number): Uint8Array => {
    const c = b.slice();
    c[at] = v;
    return c;
  };
  const le32 = (b: Uint8Array, at: number, v: number): Uint8Array => {
    const c = b.slice();
    new DataView(c.buffer).setUint32(at, v, true);
    return c;
  };
  const table: { description: string; input: Uint8Array; expected: [string, string] }[] = [
    { description: 'empty', input: new Uint8Array(0), expected: ['negotiate', 'empty'] },
    {
      description: 'over 64 KiB',
      input: new Uint8Array(65 * 1024).fill(0x60),
      expected: ['negotiate', 'too-large'],
    },
    {
      description: 'random text',
      input: new TextEncoder().encode('hello'),
      expected: ['negotiate', 'unrecognised-token'],
    },
    { description: 'truncated SPNEGO', input: apReq.subarray(0, 100), expected: ['der', 'bad-length'] },
    { description: 'just the tag', input: Uint8Array.of(0x60), expected: ['der', 'truncated'] },
    {
      description: 'indefinite length',
      input: Uint8Array.of(0x60, 0x80, 0, 0),
      expected: ['der', 'indefinite-length'],
    },
    {
      description: 'a length of 2^32-1',
      input: Uint8Array.of(0x60, 0x84, 0xff, 0xff, 0xff, 0xff, 0),
      expected: ['der', 'bad-length'],
    },
    {
      description: 'five length octets',
      input: Uint8Array.of(0x60, 0x85, 0, 0, 0, 0, 1),
      expected: ['der', 'length-too-large'],
    },
    {
      description: 'non-minimal length',
      input: Uint8Array.of(0x60, 0x81, 0x05, 6, 1, 0, 0, 0),
      expected: ['der', 'non-minimal-length'],
    },
    {
      description: 'trailing bytes after the token',
      input: Uint8Array.of(...apReq, 0),
      expected: ['spnego', 'trailing-data'],
    },
    {
      description: 'a framing without an OID',
      input: tlv(0x60, tlv(0x04, [1])),
      expected: ['spnego', 'expected-mech-oid'],
    },
    {
      description: 'an OID with a truncated arc',
      input: tlv(0x60, [0x06, 0x02, 0x2a, 0x86]),
      expected: ['der', 'bad-oid'],
    },
    {
      description: 'an OID longer than 64 bytes',
      input: tlv(0x60, tlv(0x06, new Array<number>(70).fill(1))),
      expected: ['der', 'bad-oid'],
    },
    {
      description: 'an OID arc beyond 2^53',
      input: tlv(0x60, tlv(0x06, [0x2a, ...new Array<number>(9).fill(0xff), 0x7f])),
      expected: ['der', 'bad-oid'],
    },
    {
      description: 'SPNEGO inside SPNEGO',
      input: negTokenInit([MechOid.spnego], negTokenInit([MechOid.ntlmssp])),
      expected: ['negotiate', 'nested-spnego'],
    },
    {
      description: 'NegTokenInit with an empty mechTypes list',
      input: gssFramed(MechOid.spnego, tlv(0xa0, tlv(0x30, tlv(0xa0, tlv(0x30))))),
      expected: ['spnego', 'empty-mech-types'],
    },
    {
      description: 'NegTokenInit fields out of order',
      input: gssFramed(
        MechOid.spnego,
        tlv(0xa0, tlv(0x30, tlv(0xa2, octetString([1])), tlv(0xa0, tlv(0x30, oid(MechOid.krb5))))),
      ),
      expected: ['spnego', 'field-order'],
    },
    {
      description: 'NegTokenResp with negState 7',
      input: negTokenResp({ negState: 7 }),
      expected: ['spnego', 'bad-neg-state'],
    },
    {
      description: 'an unknown NegotiationToken choice',
      input: tlv(0xa2, tlv(0x30)),
      expected: ['negotiate', 'unrecognised-token'],
    },
    {
      description: 'a mechToken that is neither NTLM nor GSS-framed',
      input: negTokenInit([MechOid.krb5], Uint8Array.of(1, 2, 3)),
      expected: ['negotiate', 'unrecognised-token'],
    },
    {
      description: 'a krb5 AP-REQ TOK_ID around a KRB-ERROR',
      input: gssFramed(MechOid.krb5, [0x01, 0x00, ...tlv(0x7e, tlv(0x30))]),
      expected: ['kerberos', 'unexpected-tag'],
    },
    {
      description: 'NTLM with an unknown message type',
      input: le32(auth, 8, 9),
      expected: ['ntlm', 'unknown-message-type'],
    },
    {
      description: 'NTLM AUTHENTICATE cut short',
      input: auth.subarray(0, 40),
      expected: ['ntlm', 'truncated'],
    },
    {
      description: 'NTLM user name pointing past the end',
      input: le32(auth, 36 + 4, 0xfffffff0),
      expected: ['ntlm', 'field-out-of-bounds'],
    },
    {
      description: 'NTLM user name with an odd UTF-16 length',
      input: withByte(auth, 36, (auth[36] ?? 0) - 1),
      expected: ['ntlm', 'odd-utf16-length'],
    },
    {
      description: 'NTLMv2 response with a bad RespType',
      input: withByte(auth, new DataView(auth.buffer, auth.byteOffset).getUint32(24, true) + 16, 2),
      expected: ['ntlm', 'bad-ntlmv2-response'],
    },
  ];
  it.each(table)('rejects $description', ({ input, expected: [subject, reason] }) => {
    expectParseError(() => inspectNegotiateToken(input), subject, reason);
  });
});

describe('inspectNegotiateToken: properties', () => {
  const tokens = allCapturedTokens();

  it('never throws anything but ProtocolParseError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1024 }), (bytes) => {
        onlyParseErrors(() => inspectNegotiateToken(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws anything but ProtocolParseError on random bytes behind real prefixes', () => {
    const prefix = fc.constantFrom(
      Uint8Array.of(0x60),
      Uint8Array.of(0xa1),
      Uint8Array.of(0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00, 3, 0, 0, 0),
      Uint8Array.of(0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00, 2, 0, 0, 0),
      gssFramed(MechOid.krb5, []).subarray(2),
    );
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 512 }), (p, rest) => {
        onlyParseErrors(() => inspectNegotiateToken(Uint8Array.of(...p, ...rest)));
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws anything but ProtocolParseError on mutated real tokens', () => {
    const mutation = fc.record({
      index: fc.nat({ max: tokens.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      cut: fc.option(fc.nat()),
    });
    fc.assert(
      fc.property(mutation, ({ index, edits, cut }) => {
        const original = tokens[index] ?? new Uint8Array(0);
        let bytes = original.slice();
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
        onlyParseErrors(() => inspectNegotiateToken(bytes));
      }),
      { numRuns: 10000 },
    );
  });

  it('every truncation of every real token fails cleanly', () => {
    for (const t of tokens) {
      for (let n = 0; n < t.length; n++) onlyParseErrors(() => inspectNegotiateToken(t.subarray(0, n)));
    }
  });

  it('never returns secret bytes: no long base64 or hex runs in the result', () => {
    for (const t of tokens) {
      const text = JSON.stringify(inspectNegotiateToken(t));
      expect(text).not.toMatch(/[A-Za-z0-9+/]{40,}/);
    }
  });
});
