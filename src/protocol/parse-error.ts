/**
 * The one error type the pure parsers in `src/protocol` throw.
 *
 * A parser cannot know whose bytes it reads: the same `WWW-Authenticate` grammar or SPNEGO
 * reader sees the browser's input (a malformed one is `HANDSHAKE_INVALID`) and the CAS's
 * answers (a malformed one is `CAS_PROTOCOL_ERROR`). So parsers throw this neutral error with a
 * stable `reason`, and the edge that knows the source maps it with {@link toIwaError}.
 *
 * Nothing here ever carries input bytes, base64 or header text: only the reason and, where it
 * helps debugging, an offset. Tokens are credentials and must not reach a log line.
 *
 * @module
 */

import { IwaError, type ErrorCode } from './errors.ts';

/** Which grammar rejected the input. */
export type ParseSubject = keyof ParseReasons;

/**
 * The stable, kebab-case reasons each grammar gives, by subject. Tests and `docs/` name
 * them, and `toDetails` turns them into a reply's `reason` (`der-truncated`), so they are
 * part of the contract: add one here, never rename one.
 */
export interface ParseReasons {
  /** `der.ts` (X.690). */
  der:
    | 'truncated'
    | 'tag-too-large'
    | 'indefinite-length'
    | 'length-too-large'
    | 'non-minimal-length'
    | 'bad-length'
    | 'unexpected-tag'
    | 'not-constructed'
    | 'too-many-children'
    | 'bad-explicit-tag'
    | 'bad-oid'
    | 'bad-integer';
  /** `spnego.ts` (RFC 4178, RFC 2743 §3.1). */
  spnego:
    | 'not-gss-framed'
    | 'trailing-data'
    | 'expected-mech-oid'
    | 'expected-octet-string'
    | 'expected-oid'
    | 'expected-sequence'
    | 'unexpected-tag'
    | 'field-order'
    | 'missing-mech-types'
    | 'empty-mech-types'
    | 'bad-req-flags'
    | 'bad-neg-state'
    | 'unknown-choice'
    | 'not-neg-token-resp'
    | 'unexpected-mech'
    | 'no-ntlm-token'
    | 'rejected';
  /** `kerberos.ts` (RFC 4120, RFC 4121). */
  kerberos:
    | 'truncated'
    | 'expected-sequence'
    | 'unexpected-tag'
    | 'trailing-data'
    | 'bad-ticket'
    | 'bad-principal-name';
  /** `ntlm.ts` (MS-NLMP §2.2); the `challenge-*` and `av-*` ones only in strict mode. */
  ntlm:
    | 'truncated'
    | 'too-large'
    | 'bad-signature'
    | 'unknown-message-type'
    | 'field-out-of-bounds'
    | 'odd-utf16-length'
    | 'bad-av-pair'
    | 'av-pairs-unterminated'
    | 'short-ntlmv2-response'
    | 'bad-ntlmv2-response'
    | 'not-a-challenge'
    | 'challenge-no-unicode'
    | 'challenge-no-ntlm';
  /** `negotiate.ts` (RFC 4559 tokens), and `http-auth.ts` `negotiateToken` (the last two). */
  negotiate:
    'empty' | 'too-large' | 'unrecognised-token' | 'nested-spnego' | 'not-negotiate' | 'params-not-token';
  /** `base64.ts` (RFC 4648). */
  base64: 'empty' | 'too-large' | 'bad-character' | 'bad-padding' | 'bad-length' | 'non-canonical';
  /** `http-auth.ts` (RFC 7235, RFC 4559): one grammar, three subjects. */
  'www-authenticate': HttpAuthReason;
  authorization: HttpAuthReason;
  /** `proxy-protocol.ts` (HAProxy PROXY protocol v1/v2). */
  'proxy-protocol':
    | 'no-header'
    | 'truncated'
    | 'too-long'
    | 'bad-signature'
    | 'bad-version'
    | 'bad-command'
    | 'bad-family'
    | 'bad-transport'
    | 'bad-protocol'
    | 'bad-address'
    | 'bad-port'
    | 'bad-character'
    | 'bad-field-count'
    | 'bad-line-end';
  /** `ews.ts` keeps its own vocabulary (`too-large`, `doctype`, `malformed`, …). */
  xml: string;
  ews: string;
  /** `http1.ts` (RFC 9112) keeps its own vocabulary too. */
  http: string;
}

/** The header grammar's reasons (`http-auth.ts`). */
export type HttpAuthReason =
  | 'empty'
  | 'too-long'
  | 'bad-character'
  | 'bad-quoted-pair'
  | 'duplicate-param'
  | 'expected-comma'
  | 'expected-equals'
  | 'expected-param-name'
  | 'expected-param-value'
  | 'expected-scheme'
  | 'expected-space'
  | 'not-negotiate'
  | 'params-not-token'
  | 'trailing-data'
  | 'unterminated-quoted-string';

/** A reason `subject` may give. */
export type ParseReason<S extends ParseSubject = ParseSubject> = ParseReasons[S];

/** A structural error in untrusted protocol input. Safe to log: it never holds the input. */
export class ProtocolParseError<S extends ParseSubject = ParseSubject> extends Error {
  override readonly name = 'ProtocolParseError';

  constructor(
    /** The grammar that rejected the input. */
    readonly subject: S,
    /** A stable, kebab-case reason such as `truncated` or `bad-length`. */
    readonly reason: ParseReason<S>,
    /** Byte or character offset where the problem was found, when it is meaningful. */
    readonly offset?: number,
  ) {
    super(`${subject}: ${reason}${offset === undefined ? '' : ` at ${offset}`}`);
  }

  /** The details an {@link IwaError} built from this error carries. */
  toDetails(): Record<string, unknown> {
    return {
      reason: `${this.subject}-${this.reason}`,
      ...(this.offset === undefined ? {} : { offset: this.offset }),
    };
  }
}

/** Why a value the caller supplied cannot go into a protocol message. */
export type InputReason =
  /** User names (MS-NLMP §3.1.5.1.2 UserName/UserDom), `field: 'username'`. */
  | 'empty'
  | 'malformed-down-level-name'
  | 'malformed-upn'
  /** A value longer than its 16-bit NTLM length field can say. */
  | 'ntlm-av-pair-too-long'
  | 'ntlm-field-too-long';

/**
 * A value the *caller* supplied (a typed user name, an over-long field) that a protocol
 * cannot carry: not a parse error of peer input, but a user-input check. The edge maps it
 * with {@link toIwaError} to `INPUT_INVALID` with `{field?, reason}`.
 */
export class ProtocolInputError extends Error {
  override readonly name = 'ProtocolInputError';

  constructor(
    readonly reason: InputReason,
    /** The request field the value came from, when the protocol code knows it. */
    readonly field?: 'username',
  ) {
    super(`input: ${field === undefined ? '' : `${field} `}${reason}`);
  }
}

/** `instanceof`, without the `any` that the class's type parameter would get from it. */
export function isProtocolParseError(err: unknown): err is ProtocolParseError {
  return err instanceof ProtocolParseError;
}

/** Parse-error reasons that mean "too big" rather than "malformed". */
const TOO_LARGE_REASONS: ReadonlySet<string> = new Set(['too-large', 'too-long']);

/**
 * Map any error caught around a protocol parser to the catalogue.
 *
 * - a {@link ProtocolParseError} becomes `code` (usually `HANDSHAKE_INVALID` for client input,
 *   `CAS_PROTOCOL_ERROR` for the CAS's answers), or `REQUEST_TOO_LARGE` when the input was over
 *   a size limit and came from the client;
 * - a {@link ProtocolInputError} becomes `INPUT_INVALID` `{field?, reason}`;
 * - an {@link IwaError} passes through unchanged;
 * - anything else (a bug) becomes `INTERNAL`, without its message, which could hold input.
 */
export function toIwaError(err: unknown, code: 'HANDSHAKE_INVALID' | 'CAS_PROTOCOL_ERROR'): IwaError {
  if (err instanceof IwaError) return err;
  if (err instanceof ProtocolInputError) {
    return new IwaError('INPUT_INVALID', {
      ...(err.field === undefined ? {} : { field: err.field }),
      reason: err.reason,
    });
  }
  if (isProtocolParseError(err)) {
    const target: ErrorCode =
      code === 'HANDSHAKE_INVALID' && TOO_LARGE_REASONS.has(err.reason) ? 'REQUEST_TOO_LARGE' : code;
    return new IwaError(target, err.toDetails());
  }
  return new IwaError('INTERNAL', { reason: 'protocol-parser-bug' });
}
