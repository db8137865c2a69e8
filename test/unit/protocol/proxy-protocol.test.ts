import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isProtocolParseError } from '../../../src/protocol/parse-error.ts';
import {
  PROXY_V1_MAX_LENGTH,
  buildProxyHeaderV2,
  formatIpv6,
  formatProxyHeaderV1,
  parseProxyHeader,
  type ProxyEndpoint,
} from '../../../src/protocol/proxy-protocol.ts';

const ascii = (s: string) => new TextEncoder().encode(s);
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const SIG = '0d0a0d0a000d0a515549540a';

function reason(bytes: Uint8Array): string {
  try {
    parseProxyHeader(bytes);
  } catch (err) {
    if (isProtocolParseError(err)) return err.reason;
    throw err;
  }
  return 'accepted';
}

describe('parseProxyHeader: v1 (proxy-protocol.txt §2.1)', () => {
  it('reads the spec examples', () => {
    expect(parseProxyHeader(ascii('PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET /'))).toEqual({
      version: 1,
      source: { address: '192.168.0.1', family: 'IPv4', port: 56324 },
      length: 47,
    });
    // The longest line the spec allows (§2.1: 107 bytes with CRLF, for UNKNOWN).
    const six = `${'ffff:'.repeat(7)}ffff`;
    const max = `PROXY UNKNOWN ${six} ${six} 65535 65535\r\n`;
    expect(max.length).toBe(PROXY_V1_MAX_LENGTH);
    expect(parseProxyHeader(ascii(max))).toEqual({ version: 1, source: null, length: 107 });
    expect(parseProxyHeader(ascii(`PROXY TCP6 ${six} ${six} 65535 65535\r\n`))).toMatchObject({
      length: 104,
      source: { address: six, family: 'IPv6', port: 65535 },
    });
    expect(parseProxyHeader(ascii('PROXY UNKNOWN\r\n'))).toEqual({ version: 1, source: null, length: 15 });
    expect(parseProxyHeader(ascii('PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n'))).toMatchObject({ source: null });
  });

  it('normalises IPv6 to the text Node reports for a peer', () => {
    const src = (text: string) =>
      parseProxyHeader(ascii(`PROXY TCP6 ${text} ::1 1000 443\r\n`))?.source?.address;
    expect(src('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(src('::ffff:127.0.0.7')).toBe('::ffff:127.0.0.7');
    expect(src('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
    expect(src('::')).toBe('::');
  });

  it('waits for more bytes on a prefix, refuses what cannot become a header at once', () => {
    expect(parseProxyHeader(ascii(''))).toBeNull();
    expect(parseProxyHeader(ascii('PRO'))).toBeNull();
    expect(parseProxyHeader(ascii('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r'))).toBeNull();
    const table: [string, string][] = [
      ['\x16\x03\x01\x02\x00', 'no-header'], // a TLS ClientHello
      ['GET / HTTP/1.1\r\n', 'no-header'],
      ['PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n', 'bad-character'],
      ['PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX', 'bad-line-end'],
      ['PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n', 'bad-protocol'],
      ['PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n', 'bad-field-count'],
      ['PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n', 'bad-field-count'],
      ['PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n', 'bad-address'],
      ['PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n', 'bad-address'],
      ['PROXY TCP4 ::1 5.6.7.8 1 2\r\n', 'bad-address'],
      ['PROXY TCP6 1.2.3.4 ::1 1 2\r\n', 'bad-address'],
      ['PROXY TCP6 1::2::3 ::1 1 2\r\n', 'bad-address'],
      ['PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n', 'bad-port'],
      ['PROXY TCP4 1.2.3.4 5.6.7.8 080 2\r\n', 'bad-port'],
      [`PROXY UNKNOWN ${'x'.repeat(120)}\r\n`, 'too-long'],
    ];
    for (const [input, expected] of table) expect([input, reason(ascii(input))]).toEqual([input, expected]);
  });
});

describe('parseProxyHeader: v2 (proxy-protocol.txt §2.2)', () => {
  it('reads PROXY over TCP/IPv4 and TCP/IPv6, and LOCAL', () => {
    const v4 = hex(`${SIG} 21 11 000c 7f000007 7f000001 c350 20fb`);
    expect(parseProxyHeader(Uint8Array.from([...v4, 0x16, 0x03]))).toEqual({
      version: 2,
      source: { address: '127.0.0.7', family: 'IPv4', port: 50000 },
      length: 28,
    });
    const v6 = hex(
      `${SIG} 21 21 0024 20010db8000000000000000000000001 00000000000000000000000000000001 0050 01bb`,
    );
    expect(parseProxyHeader(v6)?.source).toEqual({ address: '2001:db8::1', family: 'IPv6', port: 80 });
    // HAProxy's health checks: LOCAL, addresses (if any) ignored.
    expect(parseProxyHeader(hex(`${SIG} 20 00 0000`))).toEqual({ version: 2, source: null, length: 16 });
    expect(parseProxyHeader(hex(`${SIG} 20 11 000c 7f000007 7f000001 c350 20fb`))?.source).toBeNull();
    // TLVs after the addresses are skipped (PP2_TYPE_NOOP, 3 bytes of value).
    expect(
      parseProxyHeader(hex(`${SIG} 21 11 0012 7f000007 7f000001 c350 20fb 04 0003 000000`)),
    ).toMatchObject({
      length: 34,
      source: { address: '127.0.0.7' },
    });
  });

  it('waits for the whole header, refuses bad ones', () => {
    const v4 = hex(`${SIG} 21 11 000c 7f000007 7f000001 c350 20fb`);
    for (let n = 0; n < v4.length; n++) expect(parseProxyHeader(v4.subarray(0, n))).toBeNull();
    const table: [string, string][] = [
      [`0d0a0d0a000d0a5155495400`, 'bad-signature'],
      [`${SIG} 11 11 000c`, 'bad-version'],
      [`${SIG} 22 11 000c`, 'bad-command'],
      [`${SIG} 21 12 000c 7f000007 7f000001 c350 20fb`, 'bad-transport'],
      [`${SIG} 21 41 000c 7f000007 7f000001 c350 20fb`, 'bad-family'],
      [`${SIG} 21 11 0008 7f000007 7f000001`, 'truncated'],
      [`${SIG} 21 21 000c 7f000007 7f000001 c350 20fb`, 'truncated'],
      [`${SIG} 21 11 ffff`, 'too-long'],
    ];
    for (const [input, expected] of table) expect([input, reason(hex(input))]).toEqual([input, expected]);
  });
});

const endpoint: fc.Arbitrary<ProxyEndpoint> = fc.oneof(
  fc.record({ address: fc.ipV4(), family: fc.constant('IPv4' as const), port: fc.nat({ max: 65535 }) }),
  fc.record({
    address: fc.uint8Array({ minLength: 16, maxLength: 16 }).map(formatIpv6),
    family: fc.constant('IPv6' as const),
    port: fc.nat({ max: 65535 }),
  }),
);

describe('properties', () => {
  it('formatIpv6 writes what node:net reads back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
        const text = formatIpv6(b);
        expect(isIP(text)).toBe(6);
        const round = parseProxyHeader(ascii(`PROXY TCP6 ${text} ::1 1 2\r\n`))?.source?.address;
        expect(round).toBe(text);
      }),
    );
  });

  it('v1 and v2 headers built for any endpoints parse back to the source, with any bytes after them', () => {
    fc.assert(
      fc.property(endpoint, fc.uint8Array({ maxLength: 64 }), (src, rest) => {
        const dst = src.family === 'IPv4' ? { ...src, address: '10.0.0.1' } : { ...src, address: '::1' };
        for (const header of [ascii(formatProxyHeaderV1(src, dst)), buildProxyHeaderV2(src, dst)]) {
          const parsed = parseProxyHeader(Uint8Array.from([...header, ...rest]));
          expect(parsed?.source).toEqual(src);
          expect(parsed?.length).toBe(header.length);
          // Every strict prefix asks for more bytes rather than failing.
          expect(parseProxyHeader(header.subarray(0, rest.length % header.length))).toBeNull();
        }
      }),
    );
  });
});
