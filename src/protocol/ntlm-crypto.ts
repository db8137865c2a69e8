/**
 * The NTLMv2 computations of MS-NLMP §3.3.2 and §3.4 (NTOWFv2, the NTLMv2 response, the
 * session keys, message signatures) over injected primitives ({@link NtlmCrypto}), so this
 * module stays pure: Node supplies them in `src/backend/ntlm-crypto.ts`, tests pin the
 * "random" values to the MS-NLMP §4.2.4 worked example.
 *
 * Everything here is a secret or derived from one: nothing goes into an error or a log.
 *
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/5e550938-91d4-459f-b67d-75d70009e3f3 (§3.3.2 NTLM v2)
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/ (MS-NLMP §3.4.4, §3.4.5 signing and keys)
 * @module
 */

import { concatBytes } from './der.ts';
import { NtlmFlag } from './ntlm.ts';

/**
 * The primitives NTLM needs, injected so this module stays pure and portable.
 *
 * `md5` is optional: it is needed only for channel bindings (MS-NLMP §2.2.2.1
 * MsvAvChannelBindings) and for the SPNEGO mechListMIC (§3.4.4.2 / §3.4.5.2 SIGNKEY/SEALKEY).
 */
export interface NtlmCrypto {
  /** MD4 (RFC 1320). */
  md4(data: Uint8Array): Uint8Array;
  /** HMAC-MD5 (RFC 2104). */
  hmacMd5(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** MD5 (RFC 1321). */
  md5?(data: Uint8Array): Uint8Array;
  /** Cryptographically strong random bytes. */
  randomBytes(length: number): Uint8Array;
  /** The current time, for the NTLMv2 timestamp when the server sends none. */
  now(): Date;
}

/** The injected MD5, which channel bindings and signing keys need; its absence is a wiring bug. */
function requireMd5(crypto: NtlmCrypto): (data: Uint8Array) => Uint8Array {
  const md5 = crypto.md5?.bind(crypto);
  if (md5 === undefined) throw new Error('ntlm-crypto-md5-missing');
  return md5;
}

/** UTF-16LE, the "UNICODE()" of MS-NLMP §6 (JS strings already are UTF-16 code units). */
export function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[i * 2] = unit & 0xff;
    out[i * 2 + 1] = unit >> 8;
  }
  return out;
}

/**
 * Uppercase for NTOWFv2 (MS-NLMP §3.3.2 "Uppercase(User)"). Windows upcases one UTF-16 unit at
 * a time (RtlUpcaseUnicodeString) and never changes the length, so a character whose
 * JavaScript uppercase would expand (ß → SS) stays as it is.
 */
function ntUppercase(text: string): string {
  let out = '';
  for (const ch of text) {
    const upper = ch.toUpperCase();
    out += upper.length === ch.length ? upper : ch;
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// RC4 (for KEY_EXCH and the sealing-key handle). Tiny, and absent from WebCrypto.
// ------------------------------------------------------------------------------------------

/**
 * RC4 with a persistent state, as MS-NLMP §6 "RC4Init"/"RC4" require: a connection-oriented
 * NTLM sealing handle keeps its keystream position across messages.
 */
export class Rc4 {
  readonly #s = new Uint8Array(256);
  #i = 0;
  #j = 0;

  constructor(key: Uint8Array) {
    // A programming error, not input: callers always pass a 16-byte key.
    if (key.length === 0) throw new Error('rc4-empty-key');
    const s = this.#s;
    for (let i = 0; i < 256; i++) s[i] = i;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      j = (j + (s[i] ?? 0) + (key[i % key.length] ?? 0)) & 0xff;
      const t = s[i] ?? 0;
      s[i] = s[j] ?? 0;
      s[j] = t;
    }
  }

  /** Encrypt or decrypt (the same operation), advancing the keystream. */
  process(data: Uint8Array): Uint8Array {
    const s = this.#s;
    const out = new Uint8Array(data.length);
    let i = this.#i;
    let j = this.#j;
    for (let k = 0; k < data.length; k++) {
      i = (i + 1) & 0xff;
      j = (j + (s[i] ?? 0)) & 0xff;
      const t = s[i] ?? 0;
      s[i] = s[j] ?? 0;
      s[j] = t;
      out[k] = (data[k] ?? 0) ^ (s[((s[i] ?? 0) + (s[j] ?? 0)) & 0xff] ?? 0);
    }
    this.#i = i;
    this.#j = j;
    return out;
  }
}

// ------------------------------------------------------------------------------------------
// NTLMv2 (MS-NLMP §3.3.2)
// ------------------------------------------------------------------------------------------

/**
 * NTOWFv2 (MS-NLMP §3.3.2) = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(Uppercase(User) + UserDom)).
 * LMOWFv2 is the same function. Only the user name is uppercased, never the domain.
 *
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/5e550938-91d4-459f-b67d-75d70009e3f3
 */
export function ntowfV2(crypto: NtlmCrypto, password: string, user: string, domain: string): Uint8Array {
  const ntHash = crypto.md4(utf16le(password));
  const key = crypto.hmacMd5(ntHash, utf16le(ntUppercase(user) + domain));
  ntHash.fill(0); // the NT hash is password-equivalent: do not leave it around
  return key;
}

/** The results of {@link computeNtlmV2Response}. All of them are secrets or derived from one. */
export interface NtlmV2Response {
  /** The NTLMv2_CLIENT_CHALLENGE structure, "temp" in §3.3.2. */
  readonly temp: Uint8Array;
  /** HMAC_MD5(ResponseKeyNT, ServerChallenge ‖ temp). */
  readonly ntProofStr: Uint8Array;
  /** NtChallengeResponse = NTProofStr ‖ temp. */
  readonly ntChallengeResponse: Uint8Array;
  /** LmChallengeResponse: LMv2, or Z(24) when the server sent MsvAvTimestamp. */
  readonly lmChallengeResponse: Uint8Array;
  /** SessionBaseKey = HMAC_MD5(ResponseKeyNT, NTProofStr). */
  readonly sessionBaseKey: Uint8Array;
}

/**
 * ComputeResponse for NTLMv2 (MS-NLMP §3.3.2):
 * temp = 0x01 0x01 Z(6) Time ClientChallenge Z(4) AvPairs Z(4);
 * NTProofStr = HMAC_MD5(ResponseKeyNT, ServerChallenge ‖ temp);
 * LmChallengeResponse = HMAC_MD5(ResponseKeyLM, ServerChallenge ‖ ClientChallenge) ‖
 * ClientChallenge — or Z(24) when the server's TargetInfo has MsvAvTimestamp (§3.3.2: the
 * client then proves itself with the NT response and the MIC only).
 *
 * `avPairs` is the encoded AV pair list *including* MsvAvEOL, as it goes into temp.
 */
export function computeNtlmV2Response(
  crypto: NtlmCrypto,
  input: {
    readonly responseKey: Uint8Array;
    readonly serverChallenge: Uint8Array;
    readonly clientChallenge: Uint8Array;
    readonly time: Uint8Array;
    readonly avPairs: Uint8Array;
    readonly serverSentTimestamp: boolean;
  },
): NtlmV2Response {
  const temp = concatBytes(
    Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 0), // RespType, HiRespType, Reserved1, Reserved2 (§2.2.2.7)
    input.time,
    input.clientChallenge,
    new Uint8Array(4),
    input.avPairs,
    new Uint8Array(4),
  );
  const ntProofStr = crypto.hmacMd5(input.responseKey, concatBytes(input.serverChallenge, temp));
  const lmChallengeResponse = input.serverSentTimestamp
    ? new Uint8Array(24)
    : concatBytes(
        crypto.hmacMd5(input.responseKey, concatBytes(input.serverChallenge, input.clientChallenge)),
        input.clientChallenge,
      );
  return {
    temp,
    ntProofStr,
    ntChallengeResponse: concatBytes(ntProofStr, temp),
    lmChallengeResponse,
    sessionBaseKey: crypto.hmacMd5(input.responseKey, ntProofStr),
  };
}

/**
 * The MsvAvChannelBindings value (MS-NLMP §2.2.2.1, §3.1.5.1.2): MD5 of a
 * gss_channel_bindings_struct (RFC 2744 §3.11) with no addresses and `applicationData` (for
 * TLS, RFC 5929 `tls-server-end-point:` followed by the certificate hash).
 */
export function channelBindingsHash(crypto: NtlmCrypto, applicationData: Uint8Array): Uint8Array {
  const md5 = requireMd5(crypto);
  // initiator_addrtype, initiator_address.length, acceptor_addrtype, acceptor_address.length:
  // all zero; then application_data.length (LE) and the data.
  const header = new Uint8Array(20);
  new DataView(header.buffer).setUint32(16, applicationData.length, true);
  return md5(concatBytes(header, applicationData));
}

// ------------------------------------------------------------------------------------------
// Signing (MS-NLMP §3.4.4.2, §3.4.5.2, §3.4.5.3)
// ------------------------------------------------------------------------------------------

const CLIENT_SIGN_MAGIC = 'session key to client-to-server signing key magic constant\0';
const CLIENT_SEAL_MAGIC = 'session key to client-to-server sealing key magic constant\0';

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * The client-to-server signing and sealing keys with extended session security (MS-NLMP
 * §3.4.5.2 SIGNKEY, §3.4.5.3 SEALKEY).
 */
export function clientSigningKeys(
  crypto: NtlmCrypto,
  exportedSessionKey: Uint8Array,
  flags: number,
): { signingKey: Uint8Array; sealingKey: Uint8Array } {
  const md5 = requireMd5(crypto);
  let sealBase = exportedSessionKey;
  if ((flags & NtlmFlag.NEGOTIATE_128) === 0) {
    sealBase = exportedSessionKey.subarray(0, (flags & NtlmFlag.NEGOTIATE_56) !== 0 ? 7 : 5);
  }
  return {
    signingKey: md5(concatBytes(exportedSessionKey, ascii(CLIENT_SIGN_MAGIC))),
    sealingKey: md5(concatBytes(sealBase, ascii(CLIENT_SEAL_MAGIC))),
  };
}

/**
 * An NTLMSSP_MESSAGE_SIGNATURE with extended session security (MS-NLMP §2.2.2.9.2, §3.4.4.2):
 * Version 1 ‖ Checksum ‖ SeqNum, Checksum = HMAC_MD5(SigningKey, SeqNum ‖ Message)[0..7],
 * RC4-encrypted with the sealing handle when KEY_EXCH was negotiated. `sealingHandle` must be
 * the connection's one RC4 state (first use: a fresh `new Rc4(sealingKey)`).
 */
export function ntlmSign(
  crypto: NtlmCrypto,
  keys: { signingKey: Uint8Array; sealingHandle: Rc4 },
  flags: number,
  seqNum: number,
  message: Uint8Array,
): Uint8Array {
  const seq = new Uint8Array(4);
  new DataView(seq.buffer).setUint32(0, seqNum >>> 0, true);
  let checksum = crypto.hmacMd5(keys.signingKey, concatBytes(seq, message)).subarray(0, 8);
  if ((flags & NtlmFlag.NEGOTIATE_KEY_EXCH) !== 0) checksum = keys.sealingHandle.process(checksum);
  return concatBytes(Uint8Array.of(1, 0, 0, 0), checksum, seq);
}
