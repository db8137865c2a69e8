import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  children,
  decodeInt32,
  decodeOid,
  decodeSmallUint,
  readElement,
  MAX_DER_CHILDREN,
} from '../../../src/protocol/der.ts';
import { IwaError } from '../../../src/protocol/errors.ts';
import { ProtocolParseError, toIwaError } from '../../../src/protocol/parse-error.ts';
import { expectParseError, oid, onlyParseErrors, tlv } from './helpers.ts';

// Property tests run thousands of cases; give them room on a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

describe('readElement', () => {
  const table: { description: string; input: number[]; expected: Record<string, unknown> | string }[] = [
    {
      description: 'short form',
      input: [0x30, 0x02, 0x05, 0x00],
      expected: { tagClass: 0, constructed: true, tagNumber: 16, contentStart: 2, end: 4 },
    },
    {
      description: 'long form, one octet',
      input: [0x04, 0x81, 0x80, ...new Array<number>(128).fill(0)],
      expected: { tagNumber: 4, contentStart: 3, end: 131 },
    },
    {
      description: 'application 14 (AP-REQ)',
      input: [0x6e, 0x00],
      expected: { tagClass: 1, constructed: true, tagNumber: 14 },
    },
    {
      description: 'high tag number form',
      input: [0x9f, 0x81, 0x00, 0x00],
      expected: { tagClass: 2, tagNumber: 128 },
    },
    { description: 'empty', input: [], expected: 'truncated' },
    { description: 'no length', input: [0x30], expected: 'truncated' },
    { description: 'content past the end', input: [0x30, 0x05, 0x00], expected: 'bad-length' },
    { description: 'indefinite', input: [0x30, 0x80, 0x00, 0x00], expected: 'indefinite-length' },
    {
      description: 'long form for a short length',
      input: [0x04, 0x81, 0x01, 0x00],
      expected: 'non-minimal-length',
    },
    {
      description: 'leading zero length octet',
      input: [0x04, 0x82, 0x00, 0x80],
      expected: 'non-minimal-length',
    },
    {
      description: 'tag number over 2^21',
      input: [0x1f, 0xff, 0xff, 0xff, 0x7f, 0x00],
      expected: 'tag-too-large',
    },
    { description: 'truncated high tag', input: [0x1f, 0x81], expected: 'truncated' },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    const bytes = Uint8Array.from(input);
    if (typeof expected === 'string') expectParseError(() => readElement(bytes, 0), 'der', expected);
    else expect(readElement(bytes, 0)).toMatchObject(expected);
  });

  it('respects the limit of an enclosing element', () => {
    expectParseError(() => readElement(Uint8Array.of(0x04, 0x02, 1, 2), 0, 3), 'der', 'bad-length');
  });

  it('caps the number of children', () => {
    const many = tlv(0x30, ...new Array<number[]>(MAX_DER_CHILDREN + 1).fill([0x05, 0x00]));
    expectParseError(() => children(many, readElement(many, 0)), 'der', 'too-many-children');
  });

  it('never throws anything but ProtocolParseError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        onlyParseErrors(() => {
          const el = readElement(b, 0);
          if (el.constructed) children(b, el);
          decodeOid(b, el);
        });
      }),
      { numRuns: 5000 },
    );
  });
});

describe('decodeOid, decodeSmallUint, decodeInt32', () => {
  const oids = [
    '1.3.6.1.5.5.2',
    '1.2.840.113554.1.2.2',
    '1.2.840.48018.1.2.2',
    '1.3.6.1.4.1.311.2.2.10',
    '2.999.1',
  ];
  it.each(oids)('round-trips %s', (dotted) => {
    const b = oid(dotted);
    expect(decodeOid(b, readElement(b, 0))).toBe(dotted);
  });

  it('round-trips any OID', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        fc.array(fc.integer({ min: 0, max: 2 ** 31 }), { maxLength: 8 }),
        (a, b, rest) => {
          const dotted = [a, b, ...rest].join('.');
          const bytes = oid(dotted);
          expect(decodeOid(bytes, readElement(bytes, 0))).toBe(dotted);
        },
      ),
    );
  });

  const ints: { description: string; input: number[]; expected: number | string }[] = [
    { description: 'zero', input: [0x02, 0x01, 0x00], expected: 0 },
    { description: '44', input: [0x02, 0x01, 0x2c], expected: 44 },
    { description: '-1', input: [0x02, 0x01, 0xff], expected: -1 },
    { description: '-128', input: [0x02, 0x01, 0x80], expected: -128 },
    { description: '2^31-1', input: [0x02, 0x04, 0x7f, 0xff, 0xff, 0xff], expected: 2 ** 31 - 1 },
    { description: '-2^31', input: [0x02, 0x04, 0x80, 0x00, 0x00, 0x00], expected: -(2 ** 31) },
    { description: 'too long', input: [0x02, 0x05, 0, 0, 0, 0, 1], expected: 'bad-integer' },
    { description: 'empty', input: [0x02, 0x00], expected: 'bad-integer' },
  ];
  it.each(ints)('decodeInt32 $description', ({ input, expected }) => {
    const b = Uint8Array.from(input);
    if (typeof expected === 'string')
      expectParseError(() => decodeInt32(b, readElement(b, 0)), 'der', expected);
    else expect(decodeInt32(b, readElement(b, 0))).toBe(expected);
  });

  it('decodeSmallUint refuses negatives', () => {
    const b = Uint8Array.of(0x0a, 0x01, 0x80);
    expectParseError(() => decodeSmallUint(b, readElement(b, 0)), 'der', 'bad-integer');
  });
});

describe('toIwaError', () => {
  const table: {
    description: string;
    input: [unknown, 'HANDSHAKE_INVALID' | 'CAS_PROTOCOL_ERROR'];
    expected: unknown;
  }[] = [
    {
      description: 'client input → HANDSHAKE_INVALID',
      input: [new ProtocolParseError('ntlm', 'truncated', 12), 'HANDSHAKE_INVALID'],
      expected: { code: 'HANDSHAKE_INVALID', details: { reason: 'ntlm-truncated', offset: 12 } },
    },
    {
      description: 'oversize client input → REQUEST_TOO_LARGE',
      input: [new ProtocolParseError('negotiate', 'too-large'), 'HANDSHAKE_INVALID'],
      expected: { code: 'REQUEST_TOO_LARGE', details: { reason: 'negotiate-too-large' } },
    },
    {
      description: 'an oversize CAS answer stays a CAS protocol error',
      input: [new ProtocolParseError('xml', 'too-large'), 'CAS_PROTOCOL_ERROR'],
      expected: { code: 'CAS_PROTOCOL_ERROR', details: { reason: 'xml-too-large' } },
    },
    {
      description: 'an IwaError passes through',
      input: [new IwaError('RATE_LIMITED'), 'HANDSHAKE_INVALID'],
      expected: { code: 'RATE_LIMITED', details: {} },
    },
    {
      description: 'a bug becomes INTERNAL without its message',
      input: [new TypeError('secret token AAAA'), 'HANDSHAKE_INVALID'],
      expected: { code: 'INTERNAL', details: { reason: 'protocol-parser-bug' } },
    },
  ];
  it.each(table)('$description', ({ input: [err, code], expected }) => {
    const e = toIwaError(err, code);
    expect({ code: e.code, details: e.details }).toEqual(expected);
    expect(e.message).not.toContain('secret');
  });
});
