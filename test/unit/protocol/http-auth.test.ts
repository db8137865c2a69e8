import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { decodeBase64, encodeBase64 } from '../../../src/protocol/base64.ts';
import {
  MAX_AUTH_HEADER_LENGTH,
  MAX_NEGOTIATE_TOKEN_BYTES,
  findChallenge,
  formatNegotiate,
  negotiateToken,
  parseAuthorization,
  parseWwwAuthenticate,
  type AuthChallenge,
} from '../../../src/protocol/http-auth.ts';
import { expectParseError, onlyParseErrors } from './helpers.ts';

// Property tests run thousands of cases; give them room on a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

/** Plain-object view of challenges (params are null-prototype records). */
function plain(challenges: AuthChallenge[]): unknown[] {
  return challenges.map((c) => ({ ...c, params: { ...c.params } }));
}

describe('parseWwwAuthenticate', () => {
  const valid: { description: string; input: string | string[]; expected: unknown[] }[] = [
    { description: 'bare Negotiate', input: 'Negotiate', expected: [{ scheme: 'Negotiate', params: {} }] },
    {
      description: 'Negotiate with a token68',
      input: 'Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXag==',
      expected: [{ scheme: 'Negotiate', token68: 'YIIBhgYGKwYBBQUCoIIBejCCAXag==', params: {} }],
    },
    {
      description: 'IIS default: Negotiate and NTLM in two headers',
      input: ['Negotiate', 'NTLM'],
      expected: [
        { scheme: 'Negotiate', params: {} },
        { scheme: 'NTLM', params: {} },
      ],
    },
    {
      description: 'two challenges in one header, comma-separated',
      input: 'Negotiate, NTLM',
      expected: [
        { scheme: 'Negotiate', params: {} },
        { scheme: 'NTLM', params: {} },
      ],
    },
    {
      description: 'Basic with a quoted realm after Negotiate',
      input: 'Negotiate, Basic realm="cas.corp.test"',
      expected: [
        { scheme: 'Negotiate', params: {} },
        { scheme: 'Basic', params: { realm: 'cas.corp.test' } },
      ],
    },
    {
      description: 'RFC 7235 §4.1 example: params across commas, escaped quotes, then another challenge',
      input: 'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
      expected: [
        { scheme: 'Newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
        { scheme: 'Basic', params: { realm: 'simple' } },
      ],
    },
    {
      description: 'param names are case-insensitive and lower-cased; BWS around "="',
      input: 'Basic Realm = "x" , Charset=UTF-8',
      expected: [{ scheme: 'Basic', params: { realm: 'x', charset: 'UTF-8' } }],
    },
    {
      description: 'token68 followed by another challenge',
      input: 'Negotiate oRQwEqADCgEAoQsGCSqGSIb3EgECAg==, Basic realm="x"',
      expected: [
        { scheme: 'Negotiate', token68: 'oRQwEqADCgEAoQsGCSqGSIb3EgECAg==', params: {} },
        { scheme: 'Basic', params: { realm: 'x' } },
      ],
    },
    {
      description: 'empty list elements and extra whitespace are ignored (RFC 9110 §5.6.1)',
      input: ' ,Negotiate ,, NTLM,  ',
      expected: [
        { scheme: 'Negotiate', params: {} },
        { scheme: 'NTLM', params: {} },
      ],
    },
    {
      description: 'a token68 made only of padding-free chars that looks like a param name',
      input: 'Foo abc',
      expected: [{ scheme: 'Foo', token68: 'abc', params: {} }],
    },
    {
      description: 'a param named __proto__ is just a key',
      input: 'Foo __proto__=x',
      expected: [{ scheme: 'Foo', params: { ['__proto__']: 'x' } }],
    },
    { description: 'no headers at all', input: [], expected: [] },
  ];
  it.each(valid)('$description', ({ input, expected }) => {
    expect(plain(parseWwwAuthenticate(input))).toEqual(expected);
  });

  // Grammar corner cases that look wrong but are what RFC 7235 says.
  const corners: { description: string; input: string; expected: unknown[] }[] = [
    {
      description: '"realm=" alone is a token68, not an empty param',
      input: 'Basic realm=',
      expected: [{ scheme: 'Basic', token68: 'realm=', params: {} }],
    },
    {
      description: 'a trailing bare token after params is a new challenge',
      input: 'Basic realm="x", charset',
      expected: [
        { scheme: 'Basic', params: { realm: 'x' } },
        { scheme: 'charset', params: {} },
      ],
    },
    {
      description: '"abc= def" is a param with BWS, not a token68',
      input: 'Negotiate abc= def',
      expected: [{ scheme: 'Negotiate', params: { abc: 'def' } }],
    },
  ];
  it.each(corners)('$description', ({ input, expected }) => {
    expect(plain(parseWwwAuthenticate(input))).toEqual(expected);
  });

  it('keeps __proto__ as an own key without touching the prototype', () => {
    const [c] = parseWwwAuthenticate('Foo __proto__=x');
    expect(Object.getPrototypeOf(c?.params)).toBeNull();
    expect(Object.hasOwn(c?.params ?? {}, '__proto__')).toBe(true);
  });

  const invalid: { description: string; input: string | string[]; reason: string }[] = [
    { description: 'empty header', input: '', reason: 'empty' },
    { description: 'only commas', input: ' , ,', reason: 'empty' },
    { description: 'an empty header among others', input: ['Negotiate', ''], reason: 'empty' },
    { description: 'starts with a quote', input: '"Negotiate"', reason: 'expected-scheme' },
    { description: 'param without a value', input: 'Basic a=b, c=', reason: 'expected-param-value' },
    {
      description: 'params without a comma between them',
      input: 'Basic realm="x" charset=y',
      reason: 'expected-comma',
    },
    {
      description: 'unterminated quoted string',
      input: 'Basic realm="x',
      reason: 'unterminated-quoted-string',
    },
    { description: 'duplicate param', input: 'Basic realm="a", REALM="b"', reason: 'duplicate-param' },
    {
      description: 'control character in a quoted string',
      input: 'Basic realm="a\u0001"',
      reason: 'bad-character',
    },
    {
      description: 'non-Latin-1 character in a quoted string',
      input: 'Basic realm="a\u20ac"',
      reason: 'bad-character',
    },
    {
      description: 'token68 padding followed by junk',
      input: 'Negotiate abc== def',
      reason: 'expected-param-value',
    },
    { description: 'scheme glued to a quote', input: 'Basic"x"', reason: 'expected-space' },
    { description: 'CR LF injection', input: 'Negotiate\r\nSet-Cookie: a=b', reason: 'expected-space' },
    {
      description: 'over the length limit',
      input: 'Negotiate ' + 'A'.repeat(MAX_AUTH_HEADER_LENGTH),
      reason: 'too-long',
    },
  ];
  it.each(invalid)('rejects $description', ({ input, reason }) => {
    expectParseError(() => parseWwwAuthenticate(input), 'www-authenticate', reason);
  });

  it('never throws anything but ProtocolParseError (fuzz, ASCII)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        onlyParseErrors(() => parseWwwAuthenticate(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but ProtocolParseError (fuzz, grammar-shaped)', () => {
    const piece = fc.constantFrom(
      'Negotiate',
      'NTLM',
      'Basic',
      ' ',
      ',',
      '=',
      '"',
      '\\',
      'realm',
      'abc==',
      '\t',
      'x',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        onlyParseErrors(() => parseWwwAuthenticate(parts.join('')));
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips formatted challenges', () => {
    const scheme = fc.constantFrom('Negotiate', 'NTLM', 'Basic', 'Bearer', 'X-Custom_1');
    const challenge = fc.oneof(
      fc
        .record({ scheme, token: fc.uint8Array({ minLength: 1, maxLength: 64 }) })
        .map(({ scheme: s, token }) => ({
          text: `${s} ${encodeBase64(token)}`,
          expected: { scheme: s, token68: encodeBase64(token), params: {} },
        })),
      fc
        .record({
          scheme,
          params: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.string({ maxLength: 20 }), {
            minKeys: 1,
            maxKeys: 4,
          }),
        })
        .map(({ scheme: s, params }) => ({
          text: `${s} ${Object.entries(params)
            .map(([k, v]) => `${k}="${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`)
            .join(', ')}`,
          expected: { scheme: s, params },
        })),
    );
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 4 }), (list) => {
        const parsed = parseWwwAuthenticate(list.map((c) => c.text).join(', '));
        expect(plain(parsed)).toEqual(list.map((c) => c.expected));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseAuthorization', () => {
  const valid: { description: string; input: string; expected: unknown }[] = [
    {
      description: 'Negotiate with a token',
      input: 'Negotiate TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==',
      expected: {
        scheme: 'Negotiate',
        token68: 'TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==',
        params: {},
      },
    },
    {
      description: 'Basic with surrounding whitespace',
      input: '  Basic YWxpY2U6cHc=  ',
      expected: { scheme: 'Basic', token68: 'YWxpY2U6cHc=', params: {} },
    },
    {
      description: 'params form (Digest-like)',
      input: 'Digest username="alice", realm="x"',
      expected: { scheme: 'Digest', params: { username: 'alice', realm: 'x' } },
    },
    { description: 'scheme only', input: 'Negotiate', expected: { scheme: 'Negotiate', params: {} } },
  ];
  it.each(valid)('$description', ({ input, expected }) => {
    const c = parseAuthorization(input);
    expect({ ...c, params: { ...c.params } }).toEqual(expected);
  });

  const invalid: { description: string; input: string; reason: string }[] = [
    { description: 'empty', input: '', reason: 'empty' },
    { description: 'whitespace only', input: '   ', reason: 'empty' },
    { description: 'two credentials', input: 'Negotiate abc, Basic def', reason: 'trailing-data' },
    { description: 'token68 then junk', input: 'Negotiate abc def', reason: 'expected-equals' },
    { description: 'non-token scheme', input: '(Negotiate) abc', reason: 'expected-scheme' },
    { description: 'base64 with a space inside', input: 'Negotiate YWxp Y2U=', reason: 'expected-equals' },
    { description: 'oversize', input: 'Negotiate ' + 'A'.repeat(MAX_AUTH_HEADER_LENGTH), reason: 'too-long' },
  ];
  it.each(invalid)('rejects $description', ({ input, reason }) => {
    expectParseError(() => parseAuthorization(input), 'authorization', reason);
  });

  it('never throws anything but ProtocolParseError (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (s) => {
        onlyParseErrors(() => parseAuthorization(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('negotiateToken and formatNegotiate', () => {
  it('returns undefined for a bare Negotiate', () => {
    expect(negotiateToken(parseAuthorization('Negotiate'))).toBeUndefined();
  });

  it('decodes the token, scheme case-insensitively', () => {
    expect(negotiateToken(parseAuthorization('negotiate AQID'))).toEqual(Uint8Array.of(1, 2, 3));
  });

  const invalid: { description: string; input: string; subject: string; reason: string }[] = [
    { description: 'another scheme', input: 'Basic AQID', subject: 'negotiate', reason: 'not-negotiate' },
    {
      description: 'params instead of a token',
      input: 'Negotiate a=b',
      subject: 'negotiate',
      reason: 'params-not-token',
    },
    {
      description: 'base64url characters',
      input: 'Negotiate AQ-_',
      subject: 'base64',
      reason: 'bad-character',
    },
    {
      description: 'a non-canonical final character',
      input: 'Negotiate AQJ=',
      subject: 'base64',
      reason: 'non-canonical',
    },
    {
      description: 'a token over 64 KiB',
      input: 'Negotiate ' + 'A'.repeat(Math.ceil(((MAX_NEGOTIATE_TOKEN_BYTES + 3) * 4) / 3 / 4) * 4),
      subject: 'base64',
      reason: 'too-large',
    },
  ];
  it.each(invalid)('rejects $description', ({ input, subject, reason }) => {
    expectParseError(() => negotiateToken(parseAuthorization(input)), subject, reason);
  });

  it('formats a bare and a token-bearing challenge', () => {
    expect(formatNegotiate()).toBe('Negotiate');
    expect(formatNegotiate(new Uint8Array(0))).toBe('Negotiate');
    expect(formatNegotiate(Uint8Array.of(1, 2, 3))).toBe('Negotiate AQID');
  });

  it('round-trips: what we format parses back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), (token) => {
        const [c] = parseWwwAuthenticate(formatNegotiate(token));
        expect(c).toBeDefined();
        expect(negotiateToken(c as AuthChallenge)).toEqual(token);
        expect(negotiateToken(parseAuthorization(formatNegotiate(token)))).toEqual(token);
      }),
    );
  });

  it('finds a challenge case-insensitively', () => {
    const list = parseWwwAuthenticate('NTLM, negotiate');
    expect(findChallenge(list, 'Negotiate')?.scheme).toBe('negotiate');
    expect(findChallenge(list, 'Basic')).toBeUndefined();
  });
});

describe('base64', () => {
  const table: { description: string; input: string; expected: number[] | string }[] = [
    { description: 'padded', input: 'AQI=', expected: [1, 2] },
    { description: 'unpadded', input: 'AQI', expected: [1, 2] },
    { description: 'two pad chars', input: 'AQ==', expected: [1] },
    { description: 'empty', input: '', expected: 'empty' },
    { description: 'bad length', input: 'AQIDB', expected: 'bad-length' },
    { description: 'three pad chars', input: 'A===', expected: 'bad-padding' },
    { description: 'pad in the middle', input: 'AQ==AQ==', expected: 'bad-character' },
    { description: 'wrong pad count', input: 'AQI==', expected: 'bad-padding' },
    { description: 'whitespace', input: 'AQ I', expected: 'bad-character' },
    { description: 'whitespace before padding', input: 'AQ I=', expected: 'bad-padding' },
    { description: 'non-ASCII', input: 'AQé=', expected: 'bad-character' },
    { description: 'non-zero trailing bits', input: 'AR==', expected: 'non-canonical' },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    if (typeof expected === 'string') expectParseError(() => decodeBase64(input), 'base64', expected);
    else expect([...decodeBase64(input)]).toEqual(expected);
  });

  it('round-trips any bytes and matches Node’s encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        if (bytes.length > 0) expect(decodeBase64(text)).toEqual(bytes);
      }),
    );
  });

  it('never throws anything but ProtocolParseError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64, unit: 'binary' }), (s) => {
        onlyParseErrors(() => decodeBase64(s));
      }),
    );
  });
});
