import type { Duplex } from 'node:stream';
import { IwaError } from '../../protocol/errors.ts';
import { ChunkedDecoder, parseResponseHead, type ResponseHead } from '../../protocol/http1.ts';
import { toTransportError } from './transport-errors.ts';

export interface ExchangeLimits {
  /** Time allowed from writing the request to the end of the response. */
  readonly requestTimeoutMs: number;
  /** Longest response body accepted. */
  readonly maxResponseBytes: number;
  /** Longest response head accepted (Kerberos mutual-auth tokens make heads large). */
  readonly maxHeadBytes: number;
}

export interface Exchanged {
  readonly head: ResponseHead;
  readonly body: Buffer;
  /** The connection may carry another request: framed body, no `Connection: close`. */
  readonly reusable: boolean;
}

const EMPTY = Buffer.alloc(0);

function tooLarge(): IwaError {
  return new IwaError('CAS_PROTOCOL_ERROR', { reason: 'response-too-large' });
}

/**
 * Writes one request on `socket` and reads its response (RFC 9112): the head through the pure
 * parser, interim 1xx answers skipped (RFC 9110 §15.2), the body by its length, chunked, or up
 * to the connection's end. One request at a time: the caller waits for this before the next.
 * Every failure is a catalogue error from {@link toTransportError}; after one the socket's
 * framing is unknown and the caller must not use it again.
 */
export function exchange(socket: Duplex, request: Buffer, limits: ExchangeLimits): Promise<Exchanged> {
  return new Promise((resolve, reject) => {
    let pending: Buffer = EMPTY;
    let head: ResponseHead | undefined;
    let chunked: ChunkedDecoder | undefined;
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;

    const finish = (err: unknown, result?: Exchanged) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      if (result === undefined) reject(toTransportError(err));
      else resolve(result);
    };
    const complete = (reusable: boolean) => {
      if (head === undefined) return;
      const body = chunked === undefined ? Buffer.concat(parts, size) : Buffer.concat(chunked.parts, size);
      finish(undefined, { head, body, reusable: reusable && !head.close });
    };

    const onBody = (chunk: Buffer) => {
      if (head === undefined || chunk.length === 0) return;
      const framing = head.framing;
      if (framing.kind === 'chunked') {
        chunked ??= new ChunkedDecoder();
        const extra = chunked.push(chunk);
        size = chunked.size;
        if (size > limits.maxResponseBytes) throw tooLarge();
        if (chunked.done) complete(extra === 0);
        return;
      }
      if (framing.kind === 'length') {
        const take = Math.min(chunk.length, framing.length - size);
        parts.push(chunk.subarray(0, take));
        size += take;
        if (size === framing.length) complete(take === chunk.length);
        return;
      }
      parts.push(chunk);
      size += chunk.length;
      if (size > limits.maxResponseBytes) throw tooLarge();
    };

    const onHead = (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        const parsed = parseResponseHead(pending, limits.maxHeadBytes);
        if (parsed.kind === 'incomplete') return;
        const rest = pending.subarray(parsed.length);
        pending = EMPTY;
        if (parsed.head.status >= 200) {
          head = parsed.head;
          const framing = head.framing;
          if (framing.kind === 'length' && framing.length > limits.maxResponseBytes) throw tooLarge();
          if (framing.kind === 'none' || (framing.kind === 'length' && framing.length === 0)) {
            complete(rest.length === 0);
            return;
          }
          onBody(rest);
          return;
        }
        // We never ask to switch protocols; any other 1xx is informational.
        if (parsed.head.status === 101) {
          throw new IwaError('CAS_PROTOCOL_ERROR', { reason: 'http-unexpected-upgrade' });
        }
        if (rest.length === 0) return;
        pending = rest;
      }
    };

    const onData = (chunk: Buffer) => {
      try {
        if (head === undefined) onHead(chunk);
        else onBody(chunk);
      } catch (err) {
        finish(err);
      }
    };
    const onEnd = () => {
      if (head?.framing.kind === 'until-close') complete(false);
      else finish(new IwaError('CAS_UNREACHABLE', { reason: 'connection-closed' }));
    };
    const onError = (err: Error) => {
      finish(err);
    };
    const timer = setTimeout(() => {
      finish(new IwaError('CAS_UNREACHABLE', { reason: 'response-timeout' }));
    }, limits.requestTimeoutMs);

    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
    socket.once('error', onError);
    socket.write(request);
  });
}
