/**
 * Fuzzing every parser of untrusted input (issue 8 §4) with fast-check: random input and
 * mutations of real tokens (bit flips, truncations, length-field corruptions, splices) never
 * make a parser throw anything but its typed error (`ProtocolParseError`, or `IwaError` where a
 * function is documented to throw one), and what we build parses back to what we put in.
 *
 * The protocol folder's own tests hold table vectors and some properties; these add the
 * parsers and mutations they do not cover, and the build → inspect round trips.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeNtlmCrypto } from '../../../src/backend/ntlm-crypto.ts';
import { decodeBase64, encodeBase64 } from '../../../src/protocol/base64.ts';
import {
  classifyConvertId,
  classifyGetFolder,
  classifyLeg,
  classifyProbe,
  type CasAnswer,
} from '../../../src/protocol/classify.ts';
import {
  TagClass,
  UniversalTag,
  children,
  decodeOid,
  isTag,
  readElement,
} from '../../../src/protocol/der.ts';
import { IwaError, isErrorCode } from '../../../src/protocol/errors.ts';
import {
  buildConvertIdRequest,
  escapeXmlAttribute,
  findSoapFault,
  parseConvertIdResponse,
  parseGetFolderResponse,
  parseXml,
} from '../../../src/protocol/ews.ts';
import {
  formatNegotiate,
  negotiateToken,
  parseAuthorization,
  parseWwwAuthenticate,
} from '../../../src/protocol/http-auth.ts';
import { parseAuthMetadata, parseIdentityToken } from '../../../src/protocol/identity-token.ts';
import { inspectKerberosToken } from '../../../src/protocol/kerberos.ts';
import { parseMailbox } from '../../../src/protocol/mailbox.ts';
import { inspectNegotiateToken } from '../../../src/protocol/negotiate.ts';
import { parseAvPairs, parseChallenge, parseNtlmMessage } from '../../../src/protocol/ntlm.ts';
import {
  buildAuthenticate,
  buildNegotiate,
  extractNtlmToken,
  parseSpnegoResponse,
  wrapSpnegoInit,
  wrapSpnegoResponse,
} from '../../../src/protocol/ntlm-client.ts';
import { ProtocolParseError, toIwaError } from '../../../src/protocol/parse-error.ts';
import {
  buildProxyHeaderV2,
  formatProxyHeaderV1,
  parseProxyHeader,
} from '../../../src/protocol/proxy-protocol.ts';
import { parseNegotiationToken, readGssFraming } from '../../../src/protocol/spnego.ts';
import { MUTATIONS, corpus, mutate, xmlCorpus, type Random } from './mutate.ts';

const RUNS = { numRuns: 400 };

/** XML 1.0 §2.2 Char: tab, LF, CR, and everything from U+0020 but U+FFFE/U+FFFF. */
const xmlChar = (c: string): boolean => {
  const cp = c.codePointAt(0) ?? 0;
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp !== 0xfffe && cp !== 0xffff);
};
const tokens = corpus();
const xmls = xmlCorpus();

/** Runs `fn`; anything thrown must be one of `allowed`. Returns whether it threw. */
function onlyTyped(fn: () => unknown, allowed: readonly (new (...args: never[]) => Error)[]): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    if (!allowed.some((T) => err instanceof T)) {
      throw new Error(`untyped ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`, {
        cause: err,
      });
    }
    return true;
  }
}
const parseOnly = (fn: () => unknown) => onlyTyped(fn, [ProtocolParseError]);

/** fast-check's randomness as a {@link Random}, so shrinking and replay work. */
const rnd = fc
  .infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }))
  .map((s): Random => {
    const it = s[Symbol.iterator]();
    return () => it.next().value as number;
  });

/** A real token, mutated one or two ways. */
const mutant = fc
  .record({
    i: fc.nat({ max: tokens.length - 1 }),
    j: fc.nat({ max: tokens.length - 1 }),
    kinds: fc.array(fc.constantFrom(...MUTATIONS), { minLength: 1, maxLength: 2 }),
    rnd,
  })
  .map(({ i, j, kinds, rnd: r }) => {
    const other = tokens[j] ?? new Uint8Array(0);
    return kinds.reduce((t, k) => mutate(k, t, other, r), tokens[i] ?? new Uint8Array(0));
  });

const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 600 }), mutant);

describe('token parsers: only ProtocolParseError, on random bytes and mutated real tokens', () => {
  it('the corpus is real and every token in it parses', () => {
    expect(tokens.length).toBeGreaterThan(20);
    for (const t of tokens) expect(parseOnly(() => inspectNegotiateToken(t))).toBe(false);
  });

  it('inspectNegotiateToken', () => {
    fc.assert(
      fc.property(anyBytes, (b) => {
        parseOnly(() => inspectNegotiateToken(b));
      }),
      RUNS,
    );
  });

  it('DER: readElement, children and OIDs', () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), (b, at) => {
        parseOnly(() => {
          const el = readElement(b, at % (b.length + 1));
          for (const c of children(b, el))
            if (isTag(c, TagClass.universal, UniversalTag.oid)) decodeOid(b, c);
        });
      }),
      RUNS,
    );
  });

  it('SPNEGO: GSS framing and NegotiationToken', () => {
    fc.assert(
      fc.property(anyBytes, (b) => {
        parseOnly(() => {
          const framed = readGssFraming(b, 0, b.length);
          parseNegotiationToken(b, framed.inner.start, framed.inner.end);
        });
        parseOnly(() => parseNegotiationToken(b, 0, b.length));
      }),
      RUNS,
    );
  });

  it('Kerberos: inspectKerberosToken at every offset of a GSS token', () => {
    fc.assert(
      fc.property(anyBytes, fc.nat(), (b, at) => {
        parseOnly(() => inspectKerberosToken(b, at % (b.length + 1), b.length));
        // Right after a krb5 OID, where the relay calls it.
        parseOnly(() => {
          const framed = readGssFraming(b, 0, b.length);
          inspectKerberosToken(b, framed.inner.start, framed.inner.end);
        });
      }),
      RUNS,
    );
  });

  it('NTLM: parseNtlmMessage on NTLMSSP headers with random bodies and corrupted fields', () => {
    const ntlm = fc
      .tuple(fc.constantFrom(1, 2, 3, 4, 0xffffffff), fc.uint8Array({ maxLength: 300 }))
      .map(([type, rest]) => {
        const b = Buffer.alloc(12 + rest.length);
        b.write('NTLMSSP\0', 0, 'latin1');
        b.writeUInt32LE(type, 8);
        Buffer.from(rest).copy(b, 12);
        return new Uint8Array(b);
      });
    fc.assert(
      fc.property(fc.oneof(ntlm, anyBytes), (b) => {
        parseOnly(() => parseNtlmMessage(b));
        parseOnly(() => parseAvPairs(b));
      }),
      RUNS,
    );
  });

  it('NTLM client side: strict CHALLENGE, SPNEGO responses, NTLM extraction throw only parse errors', () => {
    fc.assert(
      fc.property(anyBytes, (b) => {
        parseOnly(() => parseChallenge(b, { strict: true }));
        parseOnly(() => parseSpnegoResponse(b));
        parseOnly(() => extractNtlmToken(b));
      }),
      RUNS,
    );
  });
});

describe('PROXY protocol headers', () => {
  const enc = new TextEncoder();
  const real = [
    enc.encode(
      formatProxyHeaderV1(
        { address: '127.0.0.7', family: 'IPv4', port: 50000 },
        { address: '127.0.0.1', family: 'IPv4', port: 8443 },
      ),
    ),
    enc.encode('PROXY TCP6 2001:db8::1 ::1 1 443\r\n'),
    buildProxyHeaderV2({ address: '127.0.0.7', family: 'IPv4', port: 50000 }),
    buildProxyHeaderV2({ address: '2001:db8::7', family: 'IPv6', port: 1 }),
    buildProxyHeaderV2(null),
  ];
  const header = fc
    .record({
      i: fc.nat({ max: real.length - 1 }),
      j: fc.nat({ max: tokens.length - 1 }),
      kinds: fc.array(fc.constantFrom(...MUTATIONS), { minLength: 1, maxLength: 2 }),
      rnd,
    })
    .map(({ i, j, kinds, rnd: r }) =>
      kinds.reduce((t, k) => mutate(k, t, tokens[j] ?? new Uint8Array(0), r), real[i] ?? new Uint8Array(0)),
    );

  it('parseProxyHeader: only ProtocolParseError on random bytes and mutated headers', () => {
    fc.assert(
      fc.property(fc.oneof(anyBytes, header), (b) => {
        let parsed: ReturnType<typeof parseProxyHeader> = null;
        parseOnly(() => (parsed = parseProxyHeader(b)));
        // A header never claims more bytes than it was given.
        expect((parsed as { length: number } | null)?.length ?? 0).toBeLessThanOrEqual(b.length);
      }),
      RUNS,
    );
  });
});

describe('header, base64, mailbox and identity-token parsers', () => {
  const headerish = fc.oneof(
    fc.string({ maxLength: 300, unit: 'binary' }),
    fc
      .tuple(
        fc.constantFrom('Negotiate', 'NTLM', 'Basic', 'Bearer', 'negotiate', ''),
        fc.constantFrom(' ', '  ', '\t', ',', ', '),
        fc.oneof(
          anyBytes.map((b) => Buffer.from(b).toString('base64')),
          fc.string({ maxLength: 80 }),
        ),
        fc.constantFrom('', ',', ', Negotiate', ' realm="x"', '=', '=='),
      )
      .map((parts) => parts.join('')),
  );

  it('WWW-Authenticate and Authorization: only ProtocolParseError', () => {
    fc.assert(
      fc.property(headerish, fc.array(headerish, { maxLength: 3 }), (one, many) => {
        parseOnly(() => {
          const c = parseAuthorization(one);
          negotiateToken(c);
        });
        parseOnly(() => {
          for (const c of parseWwwAuthenticate(many)) negotiateToken(c);
        });
      }),
      RUNS,
    );
  });

  it('formatNegotiate → parse → token round-trips, as Authorization and as WWW-Authenticate', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 2048 }), mutant), (token) => {
        fc.pre(token.length > 0);
        const header = formatNegotiate(token);
        expect(negotiateToken(parseAuthorization(header))).toEqual(Uint8Array.from(token));
        const [challenge] = parseWwwAuthenticate([header]);
        expect(challenge === undefined ? undefined : negotiateToken(challenge)).toEqual(
          Uint8Array.from(token),
        );
      }),
      RUNS,
    );
    expect(formatNegotiate(undefined)).toBe('Negotiate');
  });

  it('base64: round-trips, and decoding junk throws only ProtocolParseError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.string({ maxLength: 120, unit: 'binary' }),
        (b, junk) => {
          if (b.length > 0) expect(decodeBase64(encodeBase64(b))).toEqual(Uint8Array.from(b));
          parseOnly(() => decodeBase64(junk));
        },
      ),
      RUNS,
    );
  });

  it('a parse error from client input maps to HANDSHAKE_INVALID or REQUEST_TOO_LARGE, never INTERNAL', () => {
    fc.assert(
      fc.property(anyBytes, (b) => {
        try {
          inspectNegotiateToken(b);
        } catch (err) {
          expect(['HANDSHAKE_INVALID', 'REQUEST_TOO_LARGE']).toContain(
            toIwaError(err, 'HANDSHAKE_INVALID').code,
          );
          expect(toIwaError(err, 'CAS_PROTOCOL_ERROR').code).toBe('CAS_PROTOCOL_ERROR');
        }
      }),
      RUNS,
    );
  });

  it('mailbox: only IwaError MAILBOX_INVALID', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 100, unit: 'binary' }), fc.emailAddress()), (s) => {
        try {
          parseMailbox(s);
        } catch (err) {
          expect(err).toBeInstanceOf(IwaError);
          expect((err as IwaError).code).toBe('MAILBOX_INVALID');
        }
      }),
      RUNS,
    );
  });

  it('identity token and auth metadata: only IwaError IDENTITY_TOKEN_INVALID / typed errors', () => {
    const seg = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const compact = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .tuple(fc.jsonValue(), fc.jsonValue(), fc.uint8Array({ maxLength: 64 }))
        .map(([h, p, s]) => `${seg(h)}.${seg(p)}.${Buffer.from(s).toString('base64url')}`),
    );
    fc.assert(
      fc.property(
        compact,
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (token, metadata) => {
          try {
            parseIdentityToken(token);
          } catch (err) {
            expect((err as IwaError).code).toBe('IDENTITY_TOKEN_INVALID');
          }
          try {
            parseAuthMetadata(metadata);
          } catch (err) {
            expect(err).toBeInstanceOf(IwaError);
            expect(isErrorCode((err as IwaError).code)).toBe(true);
            expect((err as IwaError).code).not.toBe('INTERNAL');
          }
        },
      ),
      RUNS,
    );
  });
});

describe('EWS SOAP and the classifier', () => {
  const xmlMutant = fc
    .record({
      i: fc.nat({ max: xmls.length - 1 }),
      at: fc.nat(),
      del: fc.nat({ max: 40 }),
      ins: fc.oneof(
        fc.string({ maxLength: 12, unit: 'binary' }),
        fc.constantFrom(
          '<',
          '>',
          '&',
          '&amp;',
          '<!DOCTYPE x [<!ENTITY a "b">]>',
          '<![CDATA[',
          ']]>',
          '"',
          "'",
          '\u0000',
          'xmlns:t="urn:x"',
        ),
      ),
    })
    .map(({ i, at, del, ins }) => {
      const x = xmls[i] ?? '';
      const p = at % (x.length + 1);
      return x.slice(0, p) + ins + x.slice(p + del);
    });
  const anyXml = fc.oneof(fc.string({ maxLength: 300, unit: 'binary' }), xmlMutant);

  it('parseXml, findSoapFault, GetFolder and ConvertId parsing: only ProtocolParseError', () => {
    fc.assert(
      fc.property(anyXml, (x) => {
        parseOnly(() => parseXml(x));
        parseOnly(() => findSoapFault(x));
        parseOnly(() => parseGetFolderResponse(x));
        parseOnly(() => parseConvertIdResponse(x));
      }),
      RUNS,
    );
  });

  it('ConvertId request build → parse keeps every id and mailbox exactly', () => {
    // Characters XML 1.0 can carry (no C0 controls but tab, CR, LF; no surrogates).
    const xmlString = fc
      .string({ maxLength: 60, unit: 'grapheme' })
      .map((s) => s.replace(/[^]/gu, (c) => (xmlChar(c) ? c : '')));
    fc.assert(
      fc.property(xmlString, xmlString, (id, mailbox) => {
        const doc = parseXml(buildConvertIdRequest({ id, mailbox }).body);
        const find = (el: typeof doc): typeof doc | undefined =>
          el.local === 'AlternateId' ? el : el.children.map(find).find((c) => c !== undefined);
        const alt = find(doc);
        expect(alt?.attrs.get('Id')).toBe(id);
        expect(alt?.attrs.get('Mailbox')).toBe(mailbox);
      }),
      RUNS,
    );
  });

  it('a ConvertId answer built around any mailbox parses back to that mailbox', () => {
    const template = xmls.find((x) => x.includes('ConvertIdResponse') && x.includes('NoError')) ?? '';
    expect(template).toMatch(/Mailbox="[^"]+"/);
    fc.assert(
      fc.property(fc.emailAddress(), (mailbox) => {
        const xml = template.replace(/Mailbox="[^"]+"/, () => `Mailbox="${escapeXmlAttribute(mailbox)}"`);
        const r = parseConvertIdResponse(xml);
        expect(r.ok && r.value.mailbox).toBe(mailbox);
      }),
      RUNS,
    );
  });

  it('the classifier never throws: every CAS answer is a next step or a catalogue code', () => {
    const answer = fc.record({
      status: fc.oneof(
        fc.constantFrom(200, 204, 301, 302, 400, 401, 403, 404, 500, 503),
        fc.integer({ min: 0, max: 999 }),
      ),
      wwwAuthenticate: fc.array(
        fc.oneof(
          fc.constantFrom('Negotiate', 'NTLM', 'Basic realm="x"', 'Negotiate ', ''),
          anyBytes.map((b) => formatNegotiate(b.length === 0 ? undefined : b)),
          fc.string({ maxLength: 60, unit: 'binary' }),
        ),
        { maxLength: 3 },
      ),
      body: fc.option(anyXml, { nil: undefined }),
    });
    fc.assert(
      fc.property(answer, fc.option(anyBytes, { nil: undefined }), (a: CasAnswer, client) => {
        let clientToken;
        try {
          clientToken = client === undefined ? undefined : inspectNegotiateToken(client);
        } catch {
          clientToken = undefined;
        }
        for (const outcome of [
          classifyProbe(a),
          classifyLeg({ ...a, clientToken }),
          classifyGetFolder(a),
          classifyConvertId(a),
        ]) {
          if (outcome.kind === 'error') {
            expect(outcome.error).toBeInstanceOf(IwaError);
            expect(outcome.error.code).not.toBe('INTERNAL');
          }
        }
      }),
      RUNS,
    );
  });
});

describe('what we build, we read back', () => {
  const realChallenges = tokens.flatMap((t) => {
    try {
      const info = inspectNegotiateToken(Uint8Array.from(t));
      // A plain Uint8Array, as decodeBase64 gives the product: buildAuthenticate misplaces the
      // MsvAvFlags MIC bit when handed a Node Buffer (Buffer#slice shares memory).
      return info.ntlm?.messageType === 'challenge' ? [Uint8Array.from(extractNtlmToken(t))] : [];
    } catch {
      return [];
    }
  });

  it('NEGOTIATE, raw and in SPNEGO, inspects as an NTLM NEGOTIATE with its flags', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (flags) => {
        const raw = buildNegotiate({ flags });
        const info = inspectNegotiateToken(raw);
        expect(info).toMatchObject({ kind: 'ntlm-negotiate', framing: 'raw', mechanism: 'ntlm' });
        expect(parseNtlmMessage(raw).flags >>> 0).toBe((flags | 0x02000000) >>> 0);
        expect(inspectNegotiateToken(wrapSpnegoInit(raw))).toMatchObject({
          kind: 'ntlm-negotiate',
          framing: 'spnego',
          spnego: { token: 'init' },
        });
      }),
      RUNS,
    );
  });

  it('AUTHENTICATE for any user, domain and workstation inspects as NTLMv2 naming them', () => {
    expect(realChallenges.length).toBeGreaterThan(2);
    const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$/);
    fc.assert(
      fc.property(
        fc.nat({ max: realChallenges.length - 1 }),
        name,
        name,
        name,
        fc.string({ maxLength: 30 }),
        (i, user, domain, workstation, password) => {
          const negotiate = buildNegotiate();
          const auth = buildAuthenticate({
            negotiate,
            challenge: realChallenges[i] ?? new Uint8Array(0),
            user: `${domain}\\${user}`,
            password,
            workstation,
            crypto: nodeNtlmCrypto,
            targetName: 'HTTP/cas.corp.test',
          });
          for (const token of [auth.message, wrapSpnegoResponse(auth.message)]) {
            const info = inspectNegotiateToken(token);
            expect(info.kind).toBe('ntlm-authenticate');
            expect(info.ntlm).toMatchObject({
              messageType: 'authenticate',
              user,
              domain,
              workstation,
              response: 'ntlmv2',
              hasMic: auth.micPresent,
              targetName: 'HTTP/cas.corp.test',
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
