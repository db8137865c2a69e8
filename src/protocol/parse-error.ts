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
export type ParseSubject =
  | 'www-authenticate'
  | 'authorization'
  | 'base64'
  | 'der'
  | 'spnego'
  | 'kerberos'
  | 'ntlm'
  | 'negotiate'
  | 'xml'
  | 'ews'
  | 'proxy-protocol'
  | 'http';

/** A structural error in untrusted protocol input. Safe to log: it never holds the input. */
export class ProtocolParseError extends Error {
  override readonly name = 'ProtocolParseError';

  constructor(
    /** The grammar that rejected the input. */
    readonly subject: ParseSubject,
    /** A stable, kebab-case reason such as `truncated` or `bad-length`. */
    readonly reason: string,
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

/** Parse-error reasons that mean "too big" rather than "malformed". */
const TOO_LARGE_REASONS: ReadonlySet<string> = new Set(['too-large', 'too-long']);

/**
 * Map any error caught around a protocol parser to the catalogue.
 *
 * - a {@link ProtocolParseError} becomes `code` (usually `HANDSHAKE_INVALID` for client input,
 *   `CAS_PROTOCOL_ERROR` for the CAS's answers), or `REQUEST_TOO_LARGE` when the input was over
 *   a size limit and came from the client;
 * - an {@link IwaError} passes through unchanged;
 * - anything else (a bug) becomes `INTERNAL`, without its message, which could hold input.
 */
export function toIwaError(err: unknown, code: 'HANDSHAKE_INVALID' | 'CAS_PROTOCOL_ERROR'): IwaError {
  if (err instanceof IwaError) return err;
  if (err instanceof ProtocolParseError) {
    const target: ErrorCode =
      code === 'HANDSHAKE_INVALID' && TOO_LARGE_REASONS.has(err.reason) ? 'REQUEST_TOO_LARGE' : code;
    return new IwaError(target, err.toDetails());
  }
  return new IwaError('INTERNAL', { reason: 'protocol-parser-bug' });
}
