/**
 * HTTP authentication headers: `WWW-Authenticate` challenges and `Authorization` credentials
 * (RFC 7235 §2.1, §4.1, §4.2; grammar shared with RFC 9110 §11), and the `Negotiate` scheme's
 * token (RFC 4559 §4).
 *
 * Pure functions over strings. A malformed header throws {@link ProtocolParseError}; the edge
 * maps it to `HANDSHAKE_INVALID` (from the browser) or `CAS_PROTOCOL_ERROR` (from the CAS).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7235#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc7235#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11
 * @see https://www.rfc-editor.org/rfc/rfc4559#section-4
 * @module
 */

import { decodeBase64, encodeBase64 } from './base64.ts';
import { ProtocolParseError, type HttpAuthReason, type ParseSubject } from './parse-error.ts';

/** One challenge (`WWW-Authenticate`) or credentials (`Authorization`). */
export interface AuthChallenge {
  /** The scheme as sent. Schemes compare case-insensitively: use {@link isScheme}. */
  readonly scheme: string;
  /** The token68 form (`Negotiate <base64>`), if the challenge used it. */
  readonly token68?: string;
  /**
   * The auth-param form, names lower-cased (they are case-insensitive), quoted-string values
   * unescaped. A null-prototype object, so a parameter named `__proto__` is just a key.
   */
  readonly params: Readonly<Record<string, string>>;
}

/** `Authorization` credentials have the same shape as a challenge (RFC 7235 §2.1). */
export type AuthCredentials = AuthChallenge;

/**
 * Headers longer than this are refused before parsing (`too-long`). Large enough for a
 * Kerberos ticket with a big PAC (Windows' MaxTokenSize is at most 64 KiB, ×4/3 in base64).
 */
export const MAX_AUTH_HEADER_LENGTH = 96 * 1024;

/** The largest Negotiate token we decode (Windows' MaxTokenSize ceiling, 65535). */
export const MAX_NEGOTIATE_TOKEN_BYTES = 64 * 1024;

// tchar (RFC 9110 §5.6.2) and token68 (RFC 7235 §2.1) as lookup tables.
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  TCHAR[c.charCodeAt(0)] = 1;
}
const T68CHAR = new Uint8Array(128);
for (const c of '-._~+/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz') {
  T68CHAR[c.charCodeAt(0)] = 1;
}

const SP = 0x20;
const HTAB = 0x09;
const COMMA = 0x2c;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A cursor over one header value. */
class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly subject: ParseSubject,
  ) {}

  /** A method, not a getter: TypeScript would narrow a getter's value across `pos` changes. */
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): number {
    return this.text.charCodeAt(this.pos); // NaN at the end, which matches nothing
  }

  fail(reason: HttpAuthReason): never {
    throw new ProtocolParseError(this.subject, reason, this.pos);
  }

  skipOws(): number {
    const start = this.pos;
    while (this.peek() === SP || this.peek() === HTAB) this.pos++;
    return this.pos - start;
  }

  /** Skip OWS and empty list elements (RFC 9110 §5.6.1 lets recipients ignore them). */
  skipListSeparators(): void {
    for (;;) {
      this.skipOws();
      if (this.peek() !== COMMA) return;
      this.pos++;
    }
  }

  token(): string | undefined {
    const start = this.pos;
    for (;;) {
      const c = this.peek();
      if (!(c < 128 && TCHAR[c] === 1)) break;
      this.pos++;
    }
    return this.pos > start ? this.text.slice(start, this.pos) : undefined;
  }

  /** A token68 that ends the challenge: followed by OWS then end or comma. No side effect otherwise. */
  token68(): string | undefined {
    let p = this.pos;
    while (p < this.text.length) {
      const c = this.text.charCodeAt(p);
      if (!(c < 128 && T68CHAR[c] === 1)) break;
      p++;
    }
    if (p === this.pos) return undefined;
    while (this.text.charCodeAt(p) === EQUALS) p++;
    let q = p;
    while (this.text.charCodeAt(q) === SP || this.text.charCodeAt(q) === HTAB) q++;
    if (q < this.text.length && this.text.charCodeAt(q) !== COMMA) return undefined;
    const value = this.text.slice(this.pos, p);
    this.pos = p;
    return value;
  }

  quotedString(): string {
    // Caller checked the opening DQUOTE.
    this.pos++;
    let out = '';
    for (;;) {
      if (this.atEnd()) this.fail('unterminated-quoted-string');
      const c = this.peek();
      if (c === DQUOTE) {
        this.pos++;
        return out;
      }
      if (c === BACKSLASH) {
        this.pos++;
        if (this.atEnd()) this.fail('unterminated-quoted-string');
        const e = this.peek();
        if (!(e === HTAB || (e >= 0x20 && e !== 0x7f && e <= 0xff))) this.fail('bad-quoted-pair');
        out += this.text.charAt(this.pos);
        this.pos++;
        continue;
      }
      // qdtext: HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
      if (!(c === HTAB || (c >= 0x20 && c !== 0x7f && c <= 0xff))) this.fail('bad-character');
      out += this.text.charAt(this.pos);
      this.pos++;
    }
  }

  /** Lookahead: does an auth-param (`token BWS "="`, not a token68's padding) start here? */
  atAuthParam(): boolean {
    const save = this.pos;
    const name = this.token();
    this.skipOws();
    const isParam = name !== undefined && this.peek() === EQUALS;
    this.pos = save;
    return isParam;
  }
}

function newParams(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/**
 * Parse one challenge (or credentials) at the cursor. Stops before the comma that ends it.
 * Auth-params are consumed greedily: a comma followed by `name=` continues the same challenge.
 */
function parseOne(cur: Cursor): AuthChallenge {
  const scheme = cur.token();
  if (scheme === undefined) cur.fail('expected-scheme');
  const spaces = cur.skipOws();
  if (cur.atEnd() || cur.peek() === COMMA) return { scheme, params: newParams() };
  if (spaces === 0) cur.fail('expected-space');

  const t68 = cur.token68();
  if (t68 !== undefined) {
    cur.skipOws();
    return { scheme, token68: t68, params: newParams() };
  }

  const params = newParams();
  for (;;) {
    const rawName = cur.token();
    if (rawName === undefined) cur.fail('expected-param-name');
    cur.skipOws();
    if (cur.peek() !== EQUALS) cur.fail('expected-equals');
    cur.pos++;
    cur.skipOws();
    let value: string | undefined;
    if (cur.peek() === DQUOTE) value = cur.quotedString();
    else value = cur.token();
    if (value === undefined) cur.fail('expected-param-value');
    const name = rawName.toLowerCase();
    // RFC 7235 §2.1: each parameter name MUST only occur once per challenge.
    if (Object.hasOwn(params, name)) cur.fail('duplicate-param');
    params[name] = value;

    cur.skipOws();
    if (cur.atEnd()) break;
    if (cur.peek() !== COMMA) cur.fail('expected-comma');
    const beforeComma = cur.pos;
    cur.skipListSeparators();
    if (cur.atEnd()) break;
    if (!cur.atAuthParam()) {
      // The comma ends this challenge; the next one starts after it.
      cur.pos = beforeComma;
      break;
    }
  }
  return { scheme, params };
}

function checkLength(value: string, subject: ParseSubject): void {
  if (value.length > MAX_AUTH_HEADER_LENGTH) throw new ProtocolParseError(subject, 'too-long');
}

/**
 * Parse `WWW-Authenticate` (RFC 7235 §4.1): `1#challenge`, possibly spread over several
 * header lines, each of which may hold several challenges.
 *
 * @param headers - one header value, or every value of the header in order (an empty array
 *   yields no challenges).
 * @throws {@link ProtocolParseError} (`www-authenticate`) on any grammar error, including an
 *   empty header value, and `too-long` over {@link MAX_AUTH_HEADER_LENGTH}.
 */
export function parseWwwAuthenticate(headers: string | readonly string[]): AuthChallenge[] {
  const values = typeof headers === 'string' ? [headers] : headers;
  const out: AuthChallenge[] = [];
  let total = 0;
  for (const value of values) {
    total += value.length;
    checkLength(value, 'www-authenticate');
    if (total > MAX_AUTH_HEADER_LENGTH) throw new ProtocolParseError('www-authenticate', 'too-long');
    const cur = new Cursor(value, 'www-authenticate');
    const before = out.length;
    for (;;) {
      cur.skipListSeparators();
      if (cur.atEnd()) break;
      out.push(parseOne(cur));
      cur.skipOws();
      if (!cur.atEnd() && cur.peek() !== COMMA) cur.fail('expected-comma');
    }
    if (out.length === before) throw new ProtocolParseError('www-authenticate', 'empty');
  }
  return out;
}

/**
 * Parse `Authorization` (RFC 7235 §4.2): exactly one `credentials`.
 *
 * @throws {@link ProtocolParseError} (`authorization`) when the value is empty, malformed,
 *   holds more than one credentials, or is over {@link MAX_AUTH_HEADER_LENGTH}.
 */
export function parseAuthorization(value: string): AuthCredentials {
  checkLength(value, 'authorization');
  const cur = new Cursor(value, 'authorization');
  cur.skipOws();
  if (cur.atEnd()) cur.fail('empty');
  const credentials = parseOne(cur);
  cur.skipOws();
  if (!cur.atEnd()) cur.fail('trailing-data');
  return credentials;
}

/** Whether `challenge` uses `scheme` (auth-scheme names are case-insensitive, RFC 7235 §2.1). */
export function isScheme(challenge: AuthChallenge, scheme: string): boolean {
  return challenge.scheme.toLowerCase() === scheme.toLowerCase();
}

/** The first challenge of `scheme`, if any. */
export function findChallenge(
  challenges: readonly AuthChallenge[],
  scheme: string,
): AuthChallenge | undefined {
  return challenges.find((c) => isScheme(c, scheme));
}

/**
 * The GSS token of a `Negotiate` challenge or credentials (RFC 4559 §4), decoded.
 *
 * @returns `undefined` for a bare `Negotiate` (the first challenge, or a final refusal).
 * @throws {@link ProtocolParseError} when the scheme is not Negotiate (`negotiate`/`not-negotiate`),
 *   when auth-params are used instead of a token68 (`negotiate`/`params-not-token`), or when the
 *   base64 is malformed or decodes to more than {@link MAX_NEGOTIATE_TOKEN_BYTES}
 *   (`base64`/`too-large`).
 */
export function negotiateToken(challenge: AuthChallenge): Uint8Array | undefined {
  if (!isScheme(challenge, 'Negotiate')) throw new ProtocolParseError('negotiate', 'not-negotiate');
  if (challenge.token68 !== undefined) return decodeBase64(challenge.token68, MAX_NEGOTIATE_TOKEN_BYTES);
  if (Object.keys(challenge.params).length > 0) throw new ProtocolParseError('negotiate', 'params-not-token');
  return undefined;
}

/**
 * Format a `Negotiate` header value: `Negotiate` alone, or `Negotiate <base64 token>` (RFC 4559
 * §4). The same form serves `WWW-Authenticate` (to the browser) and `Authorization` (to the CAS).
 * Only base64 we produce ourselves is emitted, so no header injection is possible.
 */
export function formatNegotiate(token?: Uint8Array): string {
  return token === undefined || token.length === 0 ? 'Negotiate' : `Negotiate ${encodeBase64(token)}`;
}
