/**
 * The PROXY protocol header a TCP load balancer writes before the client's own bytes
 * (HAProxy's `send-proxy` / `send-proxy-v2`), so the relay learns the client's address.
 *
 * Spec: HAProxy, "The PROXY protocol, Versions 1 & 2" (doc/proxy-protocol.txt), §2.1 (the
 * human-readable v1 line) and §2.2 (the binary v2 header). Pure: bytes in, a value out.
 *
 * @module
 */

import { ProtocolParseError, type ParseReason } from './parse-error.ts';

/** An address and port as the client's own socket would report it. */
export interface ProxyEndpoint {
  /** Dotted quad, or RFC 5952 text for IPv6. */
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6';
  readonly port: number;
}

export interface ProxyHeader {
  readonly version: 1 | 2;
  /**
   * The client, or null when the header says the connection carries no client (v1 `UNKNOWN`,
   * v2 `LOCAL` as in health checks, or an address family we do not route): §2.1 and §2.2 say
   * the receiver then uses the connection's own addresses.
   */
  readonly source: ProxyEndpoint | null;
  /** Bytes the header takes; everything after them is the client's stream. */
  readonly length: number;
}

/** §2.1: a v1 line is at most 107 bytes with its CRLF. */
export const PROXY_V1_MAX_LENGTH = 107;

/** v2 headers can carry TLVs; HAProxy's are small. Longer is refused rather than buffered. */
export const PROXY_V2_MAX_LENGTH = 16 + 1024;

/** §2.2: the 12-byte v2 signature. */
const V2_SIGNATURE = [0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a] as const;
const V1_PREFIX = [0x50, 0x52, 0x4f, 0x58, 0x59, 0x20] as const; // "PROXY "

const fail = (reason: ParseReason<'proxy-protocol'>, offset?: number) =>
  new ProtocolParseError('proxy-protocol', reason, offset);

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  const n = Math.min(bytes.length, prefix.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * Reads the PROXY header at the start of a connection (HAProxy proxy-protocol.txt §2.1, §2.2).
 *
 * Returns null while `bytes` is a strict prefix of a header that may still become valid (read
 * more and call again); throws {@link ProtocolParseError} (`proxy-protocol`) as soon as the
 * bytes cannot start a header — a TLS ClientHello fails on its first byte.
 */
export function parseProxyHeader(bytes: Uint8Array): ProxyHeader | null {
  if (bytes.length === 0) return null;
  if (bytes[0] === V2_SIGNATURE[0]) {
    if (!startsWith(bytes, V2_SIGNATURE)) throw fail('bad-signature');
    return parseV2(bytes);
  }
  if (!startsWith(bytes, V1_PREFIX)) throw fail('no-header', 0);
  return parseV1(bytes);
}

function parseV1(bytes: Uint8Array): ProxyHeader | null {
  let end = -1;
  const limit = Math.min(bytes.length, PROXY_V1_MAX_LENGTH);
  for (let i = 0; i < limit; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x0d) {
      end = i;
      break;
    }
    // The line is printable US-ASCII (§2.1); anything else cannot become a header.
    if (b < 0x20 || b > 0x7e) throw fail('bad-character', i);
  }
  if (end === -1) {
    if (bytes.length >= PROXY_V1_MAX_LENGTH) throw fail('too-long');
    return null;
  }
  if (end + 1 >= bytes.length) return null;
  if (bytes[end + 1] !== 0x0a) throw fail('bad-line-end', end + 1);
  const line = String.fromCharCode(...bytes.subarray(0, end));
  const length = end + 2;
  const fields = line.split(' ');
  // §2.1: "UNKNOWN" may be followed by anything, which the receiver ignores.
  if (fields[1] === 'UNKNOWN') return { version: 1, source: null, length };
  if (fields.length !== 6) throw fail('bad-field-count');
  const [, proto = '', src = '', dst = '', srcPort = '', dstPort = ''] = fields;
  let address: string | null;
  let family: ProxyEndpoint['family'];
  if (proto === 'TCP4') {
    address = ipv4Text(src);
    family = 'IPv4';
    if (address === null || ipv4Text(dst) === null) throw fail('bad-address');
  } else if (proto === 'TCP6') {
    const bytes16 = parseIpv6(src);
    family = 'IPv6';
    if (bytes16 === null || parseIpv6(dst) === null) throw fail('bad-address');
    address = formatIpv6(bytes16);
  } else {
    throw fail('bad-protocol');
  }
  const port = portNumber(srcPort);
  if (port === null || portNumber(dstPort) === null) throw fail('bad-port');
  return { version: 1, source: { address, family, port }, length };
}

function parseV2(bytes: Uint8Array): ProxyHeader | null {
  if (bytes.length < 16) return null;
  const verCmd = bytes[12] ?? 0;
  if (verCmd >> 4 !== 2) throw fail('bad-version', 12);
  const command = verCmd & 0x0f;
  if (command > 1) throw fail('bad-command', 12);
  const famProto = bytes[13] ?? 0;
  const addressLength = ((bytes[14] ?? 0) << 8) | (bytes[15] ?? 0);
  const length = 16 + addressLength;
  if (length > PROXY_V2_MAX_LENGTH) throw fail('too-long', 14);
  if (bytes.length < length) return null;
  // LOCAL: the balancer's own connection (health checks); the addresses are to be ignored.
  if (command === 0) return { version: 2, source: null, length };
  const family = famProto >> 4;
  const transport = famProto & 0x0f;
  if (family > 3 || transport > 2) throw fail('bad-family', 13);
  // UNSPEC and AF_UNIX carry no IP client; DGRAM cannot reach a TCP listener.
  if (family === 0 || family === 3) return { version: 2, source: null, length };
  if (transport !== 1) throw fail('bad-transport', 13);
  const a = bytes.subarray(16, length);
  const at = (i: number) => a[i] ?? 0;
  if (family === 1) {
    if (a.length < 12) throw fail('truncated', 16);
    return {
      version: 2,
      source: { address: `${at(0)}.${at(1)}.${at(2)}.${at(3)}`, family: 'IPv4', port: (at(8) << 8) | at(9) },
      length,
    };
  }
  if (a.length < 36) throw fail('truncated', 16);
  return {
    version: 2,
    source: { address: formatIpv6(a.subarray(0, 16)), family: 'IPv6', port: (at(32) << 8) | at(33) },
    length,
  };
}

/** A decimal port 0–65535 without leading zeros (§2.1), or null. */
function portNumber(text: string): number | null {
  if (!/^(0|[1-9][0-9]{0,4})$/.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}

/** The dotted quad as written if it is one (no leading zeros: §2.1 "as formatted by inet_ntop"). */
function ipv4Text(text: string): string | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  for (const p of parts) if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
  return text;
}

/** RFC 4291 §2.2 text (including `::` and a trailing dotted quad) to 16 bytes, or null. */
function parseIpv6(text: string): Uint8Array | null {
  if (text.length > 45) return null;
  let groups = text;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    const v4 = ipv4Text(text.slice(lastColon + 1));
    if (v4 === null) return null;
    for (const p of v4.split('.')) tail.push(Number(p));
    groups = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return null;
  const readGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = readGroups(halves[0] ?? '');
  const rest = halves.length === 2 ? readGroups(halves[1] ?? '') : [];
  if (head === null || rest === null) return null;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...rest];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  if (tail.length === 4) out.set(tail, 12);
  return out;
}

/**
 * RFC 5952 text for 16 address bytes: lower case, the longest run of two or more zero groups
 * as `::`, and IPv4-mapped addresses as `::ffff:a.b.c.d` — how Node reports such a peer.
 */
export function formatIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[2 * i] ?? 0) << 8) | (b[2 * i + 1] ?? 0));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${b[12] ?? 0}.${b[13] ?? 0}.${b[14] ?? 0}.${b[15] ?? 0}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/**
 * The v1 line HAProxy's `send-proxy` writes (§2.1). For tests and tools that stand in for a
 * balancer; the relay only reads headers.
 */
export function formatProxyHeaderV1(source: ProxyEndpoint, destination: ProxyEndpoint): string {
  const proto = source.family === 'IPv4' ? 'TCP4' : 'TCP6';
  return `PROXY ${proto} ${source.address} ${destination.address} ${source.port} ${destination.port}\r\n`;
}

/** The v2 PROXY (or LOCAL, with `source` null) header HAProxy's `send-proxy-v2` writes (§2.2). */
export function buildProxyHeaderV2(
  source: ProxyEndpoint | null,
  destination: ProxyEndpoint | null = source,
): Uint8Array {
  if (source === null || destination === null) {
    return Uint8Array.from([...V2_SIGNATURE, 0x20, 0x00, 0x00, 0x00]);
  }
  const v4 = source.family === 'IPv4';
  const addr = (e: ProxyEndpoint): number[] =>
    v4 ? e.address.split('.').map(Number) : [...(parseIpv6(e.address) ?? new Uint8Array(16))];
  const body = [
    ...addr(source),
    ...addr(destination),
    source.port >> 8,
    source.port & 0xff,
    destination.port >> 8,
    destination.port & 0xff,
  ];
  return Uint8Array.from([
    ...V2_SIGNATURE,
    0x21,
    v4 ? 0x11 : 0x21,
    body.length >> 8,
    body.length & 0xff,
    ...body,
  ]);
}
