/**
 * A small, bounds-checked reader for the DER subset that GSS-API tokens use (X.690 §8, §10):
 * definite lengths only, tag numbers up to 2^21, lengths up to the enclosing element. It never
 * recurses (callers walk a fixed depth), never allocates in proportion to a claimed length
 * before checking it, and throws only {@link ProtocolParseError} (`der`).
 *
 * Readers slice nothing: an element is its offsets into the caller's buffer.
 *
 * @see https://www.itu.int/rec/T-REC-X.690 (BER/DER encoding rules)
 * @see https://www.rfc-editor.org/rfc/rfc2743#section-3.1 (GSS InitialContextToken framing)
 * @module
 */

import { ProtocolParseError, type ParseReason } from './parse-error.ts';

/** X.690 tag classes. */
export const TagClass = {
  universal: 0,
  application: 1,
  context: 2,
  private: 3,
} as const;
export type TagClass = (typeof TagClass)[keyof typeof TagClass];

/** Universal tag numbers we read. */
export const UniversalTag = {
  integer: 2,
  bitString: 3,
  octetString: 4,
  oid: 6,
  enumerated: 10,
  sequence: 16,
  generalString: 27,
} as const;

/** One TLV element, as offsets into the buffer it was read from. */
export interface DerElement {
  readonly tagClass: TagClass;
  readonly constructed: boolean;
  readonly tagNumber: number;
  /** Offset of the first identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset one past the last content octet. */
  readonly end: number;
}

/** Most children we list in one constructed element; GSS structures have a handful. */
export const MAX_DER_CHILDREN = 256;
/** Longest OID (content octets) we decode; real mechanism OIDs are about 10 bytes. */
export const MAX_OID_BYTES = 64;

function fail(reason: ParseReason<'der'>, offset?: number): never {
  throw new ProtocolParseError('der', reason, offset);
}

/**
 * Read the element at `offset`, which must end at or before `limit`.
 *
 * @throws `truncated`, `tag-too-large`, `indefinite-length`, `length-too-large`,
 *   `non-minimal-length`, `bad-length`.
 */
export function readElement(bytes: Uint8Array, offset: number, limit: number = bytes.length): DerElement {
  const end0 = Math.min(limit, bytes.length);
  let p = offset;
  if (p >= end0) fail('truncated', p);
  const id = bytes[p++] ?? 0;
  const tagClass = (id >> 6) as TagClass;
  const constructed = (id & 0x20) !== 0;
  let tagNumber = id & 0x1f;
  if (tagNumber === 0x1f) {
    // High-tag-number form: base-128, at most 3 octets (2^21) keeps the arithmetic exact.
    tagNumber = 0;
    for (let n = 0; ; n++) {
      if (n >= 3) fail('tag-too-large', p);
      if (p >= end0) fail('truncated', p);
      const b = bytes[p++] ?? 0;
      tagNumber = (tagNumber << 7) | (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= end0) fail('truncated', p);
  const first = bytes[p++] ?? 0;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    fail('indefinite-length', p - 1);
  } else {
    const n = first & 0x7f;
    // Four length octets is already 4 GiB; no token comes near.
    if (n > 4) fail('length-too-large', p - 1);
    if (p + n > end0) fail('truncated', p);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (bytes[p++] ?? 0);
    if (length < 0x80 || (n > 1 && (bytes[p - n] ?? 0) === 0)) fail('non-minimal-length', p - n - 1);
  }
  if (length > end0 - p) fail('bad-length', p);
  return { tagClass, constructed, tagNumber, start: offset, contentStart: p, end: p + length };
}

/** Whether `el` has the given class and number. */
export function isTag(el: DerElement, tagClass: TagClass, tagNumber: number, constructed?: boolean): boolean {
  return (
    el.tagClass === tagClass &&
    el.tagNumber === tagNumber &&
    (constructed === undefined || el.constructed === constructed)
  );
}

/**
 * Read an element and check its tag.
 *
 * @throws `unexpected-tag` (plus everything {@link readElement} throws).
 */
export function expectElement(
  bytes: Uint8Array,
  offset: number,
  limit: number,
  tagClass: TagClass,
  tagNumber: number,
  constructed?: boolean,
): DerElement {
  const el = readElement(bytes, offset, limit);
  if (!isTag(el, tagClass, tagNumber, constructed)) fail('unexpected-tag', offset);
  return el;
}

/**
 * The children of a constructed element, in order, which must exactly fill it.
 *
 * @throws `not-constructed`, `too-many-children` (over {@link MAX_DER_CHILDREN}).
 */
export function children(bytes: Uint8Array, parent: DerElement): DerElement[] {
  if (!parent.constructed) fail('not-constructed', parent.start);
  const out: DerElement[] = [];
  let p = parent.contentStart;
  while (p < parent.end) {
    if (out.length >= MAX_DER_CHILDREN) fail('too-many-children', p);
    const el = readElement(bytes, p, parent.end);
    out.push(el);
    p = el.end;
  }
  return out;
}

/** The single child of an explicitly tagged element (`[n] EXPLICIT T`). */
export function explicitInner(bytes: Uint8Array, tagged: DerElement): DerElement {
  const kids = children(bytes, tagged);
  const only = kids[0];
  if (kids.length !== 1 || only === undefined) fail('bad-explicit-tag', tagged.start);
  return only;
}

/** Content octets of `el`, as a view (no copy). */
export function contents(bytes: Uint8Array, el: DerElement): Uint8Array {
  return bytes.subarray(el.contentStart, el.end);
}

/**
 * Decode an OBJECT IDENTIFIER's content octets to dotted form (X.690 §8.19).
 *
 * @throws `bad-oid` (empty, over {@link MAX_OID_BYTES}, truncated arc, non-minimal arc, or an
 *   arc beyond 2^53).
 */
export function decodeOid(bytes: Uint8Array, el: DerElement): string {
  const len = el.end - el.contentStart;
  if (el.constructed || len === 0 || len > MAX_OID_BYTES) fail('bad-oid', el.start);
  const arcs: number[] = [];
  let value = 0;
  let inArc = false;
  for (let p = el.contentStart; p < el.end; p++) {
    const b = bytes[p] ?? 0;
    if (!inArc && b === 0x80) fail('bad-oid', p); // leading 0x80 is non-minimal
    inArc = true;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) fail('bad-oid', p);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 40 ? 0 : value < 80 ? 1 : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
      inArc = false;
    }
  }
  if (inArc) fail('bad-oid', el.end);
  return arcs.join('.');
}

/**
 * Decode a small non-negative INTEGER or ENUMERATED (at most 6 content octets).
 *
 * @throws `bad-integer` (empty, negative, or too large).
 */
export function decodeSmallUint(bytes: Uint8Array, el: DerElement): number {
  const len = el.end - el.contentStart;
  if (el.constructed || len === 0 || len > 6) fail('bad-integer', el.start);
  if (((bytes[el.contentStart] ?? 0) & 0x80) !== 0) fail('bad-integer', el.start);
  let v = 0;
  for (let p = el.contentStart; p < el.end; p++) v = v * 256 + (bytes[p] ?? 0);
  return v;
}

/**
 * Decode a (possibly negative) INTEGER that fits in 32 bits, such as a Kerberos error code.
 *
 * @throws `bad-integer`.
 */
export function decodeInt32(bytes: Uint8Array, el: DerElement): number {
  const len = el.end - el.contentStart;
  if (el.constructed || len === 0 || len > 4) fail('bad-integer', el.start);
  let v = 0;
  for (let p = el.contentStart; p < el.end; p++) v = v * 256 + (bytes[p] ?? 0);
  // Two's complement: a set top bit means the value is negative.
  if (((bytes[el.contentStart] ?? 0) & 0x80) !== 0) v -= 2 ** (8 * len);
  return v;
}

/** Decode an ASCII-ish string (GeneralString, KerberosString): bytes as Latin-1, never throws. */
export function decodeLatin1(bytes: Uint8Array, el: DerElement): string {
  let s = '';
  for (let p = el.contentStart; p < el.end; p++) s += String.fromCharCode(bytes[p] ?? 0);
  return s;
}

// ------------------------------------------------------------------------------------------
// Encoding: just the DER that the tokens we build need (X.690 §8.1.3, §8.19, §10.1).
// ------------------------------------------------------------------------------------------

/** The byte strings one after another, in a new buffer. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A definite length in the fewest octets (X.690 §8.1.3, §10.1). */
export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/**
 * One element with a single-octet identifier (tag numbers up to 30, all the GSS structures
 * use) around the concatenated `content`.
 */
export function encodeElement(identifier: number, ...content: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(...content);
  return concatBytes(Uint8Array.of(identifier), encodeLength(body.length), body);
}

/** An OBJECT IDENTIFIER element from dotted form (X.690 §8.19); the inverse of {@link decodeOid}. */
export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const [a = 0, b = 0, ...rest] = arcs;
  for (const arc of [40 * a + b, ...rest]) {
    const chunk: number[] = [arc % 128];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n % 128));
    out.push(...chunk);
  }
  return encodeElement(0x06, Uint8Array.from(out));
}
