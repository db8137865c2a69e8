/**
 * Strict base64 (RFC 4648 §4, the standard alphabet) over `Uint8Array`, for Negotiate tokens.
 *
 * No `Buffer` and no `atob`: this module runs in the browser and in Node, and `atob` would
 * silently accept whitespace and other forms we want to reject. Padding may be omitted (some
 * clients drop it), but when present it must be correct, and the unused bits of the last
 * character must be zero so that every byte string has exactly one accepted encoding.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-4
 * @see https://www.rfc-editor.org/rfc/rfc4559#section-4 (the token is base64 of the GSS token)
 * @module
 */

import { ProtocolParseError } from './parse-error.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Encode bytes as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out +=
      ALPHABET.charAt((n >> 18) & 63) +
      ALPHABET.charAt((n >> 12) & 63) +
      ALPHABET.charAt((n >> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] ?? 0) << 16;
    out += ALPHABET.charAt((n >> 18) & 63) + ALPHABET.charAt((n >> 12) & 63) + '==';
  } else if (rest === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out +=
      ALPHABET.charAt((n >> 18) & 63) +
      ALPHABET.charAt((n >> 12) & 63) +
      ALPHABET.charAt((n >> 6) & 63) +
      '=';
  }
  return out;
}

/**
 * Decode strict standard base64.
 *
 * @param maxBytes - refuse input that would decode to more than this many bytes (the check
 *   happens before any allocation).
 * @throws {@link ProtocolParseError} (`base64`): `empty`, `too-large`, `bad-character`,
 *   `bad-padding`, `bad-length`, `non-canonical`.
 */
export function decodeBase64(text: string, maxBytes = Number.MAX_SAFE_INTEGER): Uint8Array {
  if (text.length === 0) throw new ProtocolParseError('base64', 'empty');
  let end = text.length;
  let pad = 0;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d /* = */) {
    end--;
    pad++;
  }
  if (pad > 2) throw new ProtocolParseError('base64', 'bad-padding', end);
  if (pad > 0 && text.length % 4 !== 0) throw new ProtocolParseError('base64', 'bad-padding', end);
  const rem = end % 4;
  if (rem === 1) throw new ProtocolParseError('base64', 'bad-length');
  if (pad > 0 && pad !== (4 - rem) % 4) throw new ProtocolParseError('base64', 'bad-padding', end);
  const size = Math.floor(end / 4) * 3 + (rem === 0 ? 0 : rem - 1);
  if (size > maxBytes) throw new ProtocolParseError('base64', 'too-large');
  const out = new Uint8Array(size);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (DECODE[c] ?? -1) : -1;
    if (v < 0) throw new ProtocolParseError('base64', 'bad-character', i);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, or two different strings would decode to the same bytes.
  if ((acc & ((1 << bits) - 1)) !== 0) throw new ProtocolParseError('base64', 'non-canonical', end - 1);
  return out;
}
