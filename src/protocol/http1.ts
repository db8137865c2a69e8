/**
 * The HTTP/1.1 the relay speaks to a CAS, as pure functions over bytes (RFC 9112): the request
 * head it writes, the response head it reads, and the chunked body decoder. The socket, the
 * timers and the size limits' enforcement around them live in `src/backend/cas/`.
 *
 * Only what a CAS answer needs is read, and anything ambiguous is refused rather than guessed
 * at: a response that could frame its body two ways (both `Content-Length` and
 * `Transfer-Encoding`, or two different lengths) is how response splitting starts, and the
 * connection carries an NTLM-authenticated identity.
 *
 * Parse failures throw {@link ProtocolParseError} with subject `http`; the caller maps them to
 * `CAS_PROTOCOL_ERROR`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9112
 * @module
 */

import { ProtocolParseError } from './parse-error.ts';

/** What the relay needs from a response head. */
export interface ResponseHead {
  /** Minor version: 1 for HTTP/1.1, 0 for HTTP/1.0. */
  readonly minor: 0 | 1;
  readonly status: number;
  /** Every `WWW-Authenticate` field value, in order (RFC 9110 §11.6.1: a list, maybe repeated). */
  readonly wwwAuthenticate: readonly string[];
  /** The first `Content-Type` value. */
  readonly contentType: string | undefined;
  /** How the body is delimited (RFC 9112 §6.3). */
  readonly framing: BodyFraming;
  /** The server will close the connection after this response (RFC 9112 §9.3). */
  readonly close: boolean;
}

export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  | { readonly kind: 'until-close' };

export type HeadResult =
  | { readonly kind: 'incomplete' }
  /** `length`: bytes of the head, terminating empty line included; the body starts there. */
  | { readonly kind: 'complete'; readonly head: ResponseHead; readonly length: number };

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;

function fail(reason: string, offset?: number): never {
  throw new ProtocolParseError('http', reason, offset);
}

/** Index of the CRLF CRLF that ends a head, or -1. */
function headEnd(bytes: Uint8Array, limit: number): number {
  const end = Math.min(bytes.length, limit);
  for (let i = 3; i < end; i++) {
    if (bytes[i] === LF && bytes[i - 1] === CR && bytes[i - 2] === LF && bytes[i - 3] === CR) return i + 1;
  }
  return -1;
}

/** Latin-1 decode: header bytes are octets (RFC 9110 §5.5); non-ASCII stays opaque. */
function latin1(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i] ?? 0);
  return s;
}

// RFC 9110 §5.6.2 tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 §5.5: field-value octets; CR, LF and NUL are never allowed.
// eslint-disable-next-line no-control-regex
const FIELD_VALUE = /^[^\u0000\r\n]*$/;
const STATUS_LINE = /^HTTP\/1\.([01]) ([0-9]{3})(?: [^\r\n]*)?$/;

/**
 * Parses a response head from the start of `bytes` (RFC 9112 §4 status line, §5 field lines).
 * `incomplete` until the empty line arrives; a head longer than `maxBytes` is refused
 * (`too-large`). Lines must end in CRLF; an obsolete line folding is replaced by a space, as
 * §5.2 asks of a user agent. Interim 1xx responses are returned as heads too: the caller skips
 * them (RFC 9110 §15.2).
 */
export function parseResponseHead(bytes: Uint8Array, maxBytes: number): HeadResult {
  const end = headEnd(bytes, maxBytes);
  if (end < 0) {
    if (bytes.length >= maxBytes) fail('too-large');
    return { kind: 'incomplete' };
  }
  const text = latin1(bytes, 0, end - 4);
  const lines = text.split('\r\n');
  const statusLine = lines[0] ?? '';
  const m = STATUS_LINE.exec(statusLine);
  if (m === null) fail('bad-status-line', 0);
  const minor = m[1] === '0' ? 0 : 1;
  const status = Number(m[2]);
  if (status < 100) fail('bad-status-line', 0);

  const fields: [string, string][] = [];
  let offset = statusLine.length + 2;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.includes('\r') || line.includes('\n')) fail('bare-cr-or-lf', offset);
    const first = line.charCodeAt(0);
    if (first === SP || first === HTAB) {
      const last = fields.at(-1);
      if (last === undefined) fail('fold-without-field', offset);
      last[1] = `${last[1]} ${line.trim()}`.trim();
    } else {
      const colon = line.indexOf(':');
      if (colon <= 0) fail('bad-field-line', offset);
      // §5.1: no whitespace is allowed between the field name and the colon.
      const name = line.slice(0, colon);
      if (!TOKEN.test(name)) fail('bad-field-name', offset);
      const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
      if (!FIELD_VALUE.test(value)) fail('bad-field-value', offset);
      fields.push([name.toLowerCase(), value]);
    }
    offset += line.length + 2;
  }
  return { kind: 'complete', head: interpret(minor, status, fields), length: end };
}

function listTokens(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
}

function interpret(minor: 0 | 1, status: number, fields: readonly [string, string][]): ResponseHead {
  const all = (name: string) => fields.filter(([n]) => n === name).map(([, v]) => v);
  const connection = listTokens(all('connection'));
  // §9.3: HTTP/1.0 closes unless it asks to keep the connection alive.
  const close = connection.includes('close') || (minor === 0 && !connection.includes('keep-alive'));
  return {
    minor,
    status,
    wwwAuthenticate: all('www-authenticate'),
    contentType: all('content-type')[0],
    framing: framing(status, all('transfer-encoding'), all('content-length')),
    close,
  };
}

/** RFC 9112 §6.3, in its order; every ambiguity refused. */
function framing(status: number, te: readonly string[], cl: readonly string[]): BodyFraming {
  // 1. 1xx, 204 and 304 never have a body (we never send HEAD or CONNECT).
  if (status < 200 || status === 204 || status === 304) return { kind: 'none' };
  if (te.length > 0) {
    // 3. Both: possibly smuggling; §6.3 lets us treat it as an error.
    if (cl.length > 0) fail('length-and-transfer-encoding');
    const codings = listTokens(te);
    // We send no TE header, so the only coding a server may use is chunked (§7).
    if (codings.length !== 1 || codings[0] !== 'chunked') fail('unsupported-transfer-coding');
    return { kind: 'chunked' };
  }
  if (cl.length > 0) {
    // 5. A list of identical values may be accepted (§8.6); different ones may not.
    const values = new Set(cl.flatMap((v) => v.split(',')).map((v) => v.trim()));
    if (values.size !== 1) fail('conflicting-content-length');
    const [value] = values;
    if (value === undefined || !/^[0-9]{1,15}$/.test(value)) fail('bad-content-length');
    return { kind: 'length', length: Number(value) };
  }
  // 8. Neither: the body runs to the end of the connection.
  return { kind: 'until-close' };
}

/** A field of a request we write; names are ours, values may come from a client. */
export type RequestField = readonly [name: string, value: string];

/**
 * The request head (RFC 9112 §3 request line in origin-form, §5 field lines), Latin-1. Values
 * with CR, LF or NUL are refused: one would end the field early and let its author write
 * headers or requests of their own (§5.5, request splitting).
 */
export function formatRequestHead(method: string, target: string, fields: readonly RequestField[]): string {
  if (!TOKEN.test(method) || !/^\/[!-~]*$/.test(target)) fail('bad-request-line');
  let head = `${method} ${target} HTTP/1.1\r\n`;
  for (const [name, value] of fields) {
    if (!TOKEN.test(name)) fail('bad-field-name');
    if (!FIELD_VALUE.test(value)) fail('bad-field-value');
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}

/** Longest chunk-size line (size, extensions) and trailer section we read. */
const CHUNK_LINE_LIMIT = 1024;
const TRAILER_LIMIT = 16 * 1024;

/**
 * Incremental decoder of the chunked transfer coding (RFC 9112 §7.1). Feed it the bytes after
 * the head with {@link push}; it collects the chunk data and reports when the last chunk and
 * the trailer section have arrived. Extensions and trailer fields are read past and ignored
 * (§7.1.1, §7.1.2: nothing of ours uses them).
 */
export class ChunkedDecoder {
  readonly #parts: Uint8Array[] = [];
  #pending: Uint8Array = new Uint8Array(0);
  /** Data bytes still due in the current chunk, then its CRLF. */
  #remaining = 0;
  #state: 'size' | 'data' | 'data-crlf' | 'trailer' | 'done' = 'size';
  #size = 0;
  /** Trailer bytes read so far. */
  #trailer = 0;

  /** Data bytes decoded so far. */
  get size(): number {
    return this.#size;
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  /** The decoded body parts, in order. */
  get parts(): readonly Uint8Array[] {
    return this.#parts;
  }

  /**
   * Consumes `bytes`. Returns how many bytes beyond the end of the body it was given (after
   * the final CRLF), which belong to no response of ours.
   */
  push(bytes: Uint8Array): number {
    const buf = this.#pending.length === 0 ? bytes : concat(this.#pending, bytes);
    this.#pending = new Uint8Array(0);
    let at = 0;
    while (at < buf.length && this.#state !== 'done') {
      if (this.#state === 'data') {
        const n = Math.min(this.#remaining, buf.length - at);
        this.#parts.push(buf.subarray(at, at + n));
        this.#size += n;
        this.#remaining -= n;
        at += n;
        if (this.#remaining === 0) this.#state = 'data-crlf';
        continue;
      }
      if (this.#state === 'data-crlf') {
        if (buf.length - at < 2) break;
        if (buf[at] !== CR || buf[at + 1] !== LF) fail('bad-chunk-end');
        at += 2;
        this.#state = 'size';
        continue;
      }
      const eol = lineEnd(buf, at);
      if (this.#state === 'size') {
        if (eol < 0) {
          if (buf.length - at > CHUNK_LINE_LIMIT) fail('chunk-line-too-long');
          break;
        }
        if (eol - at > CHUNK_LINE_LIMIT) fail('chunk-line-too-long');
        const line = latin1(buf, at, eol);
        const m = /^([0-9A-Fa-f]{1,8})[ \t]*(?:;[^\r\n]*)?$/.exec(line);
        if (m === null) fail('bad-chunk-size');
        const size = Number.parseInt(m[1] ?? '', 16);
        at = eol + 2;
        if (size === 0) {
          this.#state = 'trailer';
          this.#trailer = 0;
        } else {
          this.#remaining = size;
          this.#state = 'data';
        }
        continue;
      }
      // trailer: field lines until an empty one.
      if (eol < 0) {
        if (this.#trailer + buf.length - at > TRAILER_LIMIT) fail('trailer-too-large');
        break;
      }
      this.#trailer += eol - at + 2;
      if (this.#trailer > TRAILER_LIMIT) fail('trailer-too-large');
      const empty = eol === at;
      at = eol + 2;
      if (empty) this.#state = 'done';
    }
    if (this.#state === 'done') return buf.length - at;
    // Keep the unread tail (a partial size line, CRLF or trailer line) for the next push.
    if (at < buf.length) this.#pending = buf.slice(at);
    return 0;
  }
}

/** Index of the CR of the next CRLF at or after `from`, or -1; a bare CR or LF is refused. */
function lineEnd(buf: Uint8Array, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const b = buf[i];
    if (b === LF) fail('bare-lf');
    if (b === CR) {
      if (i + 1 >= buf.length) return -1;
      if (buf[i + 1] !== LF) fail('bare-cr');
      return i;
    }
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
