/**
 * An NTLMv2 *client* (initiator), MS-NLMP §3.1.5 and §3.3.2, for the domain-password sign-in:
 * the backend proves the user's password to the Exchange CAS itself, over one connection.
 *
 * Pure: no I/O, no `node:` imports, `Uint8Array`/`DataView` only. The few crypto primitives
 * are injected ({@link NtlmCrypto}) so the same code runs in Node (see
 * `src/backend/ntlm-crypto.ts`) and in a browser, and so tests can pin the "random" values to
 * the MS-NLMP §4.2.4 worked example.
 *
 * The flow, on one keep-alive connection:
 * ```
 * const neg = buildNegotiate();
 * // → Authorization: Negotiate base64(neg)           (raw NTLMSSP; see wrapSpnegoInit too)
 * // ← 401 WWW-Authenticate: Negotiate base64(challenge)
 * const auth = buildAuthenticate({ negotiate: neg, challenge: extractNtlmToken(c), … });
 * // → Authorization: Negotiate base64(auth.message)   → 200, the connection is authenticated
 * ```
 *
 * Secrets: the password, the hashes, the keys and the tokens never go into an error or a log.
 * Every error thrown here is an {@link IwaError} whose details name only *what* was wrong.
 *
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/ (MS-NLMP)
 * @module
 */

import { IwaError } from './errors.ts';
import { AvId, MSV_AV_FLAG_MIC_PRESENT, NtlmFlag } from './ntlm.ts';

// The wire constants are the parser's (ntlm.ts): one definition of MS-NLMP's numbers.
export { AvId, MSV_AV_FLAG_MIC_PRESENT, NtlmFlag };

// ------------------------------------------------------------------------------------------
// Injected crypto
// ------------------------------------------------------------------------------------------

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

// ------------------------------------------------------------------------------------------
// Constants
// ------------------------------------------------------------------------------------------

/**
 * The flags {@link buildNegotiate} sends by default (0xe2088215).
 *
 * UNICODE (we only speak UTF-16), REQUEST_TARGET (so the server returns its TargetInfo, which
 * NTLMv2 hashes and which carries MsvAvTimestamp), NTLM, ALWAYS_SIGN and SIGN (MIT's SPNEGO
 * acceptor verifies a mechListMIC with the mech's signing key, and gss-ntlmssp derives that
 * key only when SIGN is negotiated), EXTENDED_SESSIONSECURITY, VERSION (gss-ntlmssp 1.2.0
 * rejects a NEGOTIATE without the Version field), 128, 56 and KEY_EXCH (a fresh random
 * ExportedSessionKey rather than one derived from the password alone).
 *
 * NEGOTIATE_TARGET_INFO is deliberately *not* set: it is the server's answer to
 * REQUEST_TARGET (§2.2.2.5 "r"), not a client request. OEM and LM_KEY are not set either:
 * this client never sends OEM strings or LM-derived keys.
 */
export const DEFAULT_NEGOTIATE_FLAGS =
  (NtlmFlag.NEGOTIATE_UNICODE |
    NtlmFlag.REQUEST_TARGET |
    NtlmFlag.NEGOTIATE_SIGN |
    NtlmFlag.NEGOTIATE_NTLM |
    NtlmFlag.NEGOTIATE_ALWAYS_SIGN |
    NtlmFlag.NEGOTIATE_EXTENDED_SESSIONSECURITY |
    NtlmFlag.NEGOTIATE_VERSION |
    NtlmFlag.NEGOTIATE_128 |
    NtlmFlag.NEGOTIATE_KEY_EXCH |
    NtlmFlag.NEGOTIATE_56) >>>
  0;

/** The NTLMSSP mechanism OID, 1.3.6.1.4.1.311.2.2.10 (MS-NLMP §1.9). */
export const NTLMSSP_OID = '1.3.6.1.4.1.311.2.2.10';
/** The SPNEGO mechanism OID, 1.3.6.1.5.5.2 (RFC 4178). */
export const SPNEGO_OID = '1.3.6.1.5.5.2';

const SIGNATURE = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00] as const; // "NTLMSSP\0"
const NEGOTIATE_MESSAGE = 1;
const CHALLENGE_MESSAGE = 2;
const AUTHENTICATE_MESSAGE = 3;
/** Generous: a real CHALLENGE is a few hundred bytes; anything this big is not one. */
const MAX_CHALLENGE_BYTES = 64 * 1024;
/** 100-ns ticks between 1601-01-01 (FILETIME epoch) and 1970-01-01 (Unix epoch). */
const FILETIME_UNIX_EPOCH_MS = 11_644_473_600_000n;

// ------------------------------------------------------------------------------------------
// Small byte helpers
// ------------------------------------------------------------------------------------------

function concat(...parts: readonly Uint8Array[]): Uint8Array {
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

function decodeUtf16le(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out += String.fromCharCode((bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8));
  }
  return out;
}

function decodeLatin1(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
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

/** Convert a time to a little-endian FILETIME (100 ns since 1601-01-01 UTC), MS-DTYP §2.3.3. */
export function toFiletime(time: Date): Uint8Array {
  let ticks = (BigInt(time.getTime()) + FILETIME_UNIX_EPOCH_MS) * 10_000n;
  if (ticks < 0n) ticks = 0n;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, ticks, true);
  return out;
}

function protocolError(reason: string): IwaError {
  // The reason names the defect only; the token itself is never copied into the error.
  return new IwaError('CAS_PROTOCOL_ERROR', { reason });
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
    if (key.length === 0) throw new IwaError('INTERNAL', { reason: 'rc4-empty-key' });
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
// Version
// ------------------------------------------------------------------------------------------

/** The VERSION structure (MS-NLMP §2.2.2.10). Informational only; never used for decisions. */
export interface NtlmVersion {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  /** NTLMRevisionCurrent; 0x0F (NTLMSSP_REVISION_W2K3) is the only value in use. */
  readonly revision: number;
}

/** What this client reports: 10.0, build 0, NTLMSSP revision 15. */
export const DEFAULT_VERSION: NtlmVersion = { major: 10, minor: 0, build: 0, revision: 0x0f };

function encodeVersion(v: NtlmVersion): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint8(0, v.major);
  view.setUint8(1, v.minor);
  view.setUint16(2, v.build, true);
  view.setUint8(7, v.revision);
  return out;
}

// ------------------------------------------------------------------------------------------
// NEGOTIATE_MESSAGE
// ------------------------------------------------------------------------------------------

/** Options of {@link buildNegotiate}. */
export interface NegotiateOptions {
  /** NegotiateFlags; default {@link DEFAULT_NEGOTIATE_FLAGS}. NEGOTIATE_VERSION is always added. */
  readonly flags?: number;
  /** The Version field; default {@link DEFAULT_VERSION}. */
  readonly version?: NtlmVersion;
}

/**
 * Build a NEGOTIATE_MESSAGE (MS-NLMP §2.2.1.1, §3.1.5.1.1). Keep the exact bytes: the MIC of
 * the AUTHENTICATE message covers them.
 *
 * The 8-byte Version field is always present (and NEGOTIATE_VERSION always set): gss-ntlmssp
 * 1.2.0, the lab's acceptor, rejects a NEGOTIATE without it. No domain or workstation is
 * supplied, so both fields are zero (§2.2.1.1 "SHOULD be set to zero").
 *
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/b34032e5-3aae-4bc6-84c3-c6d80eadf7f2
 */
export function buildNegotiate(options: NegotiateOptions = {}): Uint8Array {
  const flags = ((options.flags ?? DEFAULT_NEGOTIATE_FLAGS) | NtlmFlag.NEGOTIATE_VERSION) >>> 0;
  const out = new Uint8Array(40);
  out.set(SIGNATURE, 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, NEGOTIATE_MESSAGE, true);
  view.setUint32(12, flags, true);
  // 16..23 DomainNameFields, 24..31 WorkstationFields: all zero.
  out.set(encodeVersion(options.version ?? DEFAULT_VERSION), 32);
  return out;
}

// ------------------------------------------------------------------------------------------
// CHALLENGE_MESSAGE
// ------------------------------------------------------------------------------------------

/** One AV_PAIR (MS-NLMP §2.2.2.1). */
export interface AvPair {
  readonly id: number;
  readonly value: Uint8Array;
}

/** What {@link parseChallenge} reads from a CHALLENGE_MESSAGE. */
export interface NtlmChallenge {
  /** NegotiateFlags as the server sent them (unsigned). */
  readonly flags: number;
  /** The 8-byte ServerChallenge. */
  readonly serverChallenge: Uint8Array;
  /** TargetName, decoded (UTF-16LE when NEGOTIATE_UNICODE, else Latin-1); '' when absent. */
  readonly targetName: string;
  /** The TargetInfo AV pairs in order, without the terminating MsvAvEOL. */
  readonly targetInfo: readonly AvPair[];
  /** MsvAvTimestamp's 8-byte FILETIME value, when the server sent one. */
  readonly timestamp: Uint8Array | undefined;
  /** MsvAvNbDomainName, decoded, when present. */
  readonly nbDomainName: string | undefined;
  /** The Version field, when NEGOTIATE_VERSION is set and the header has room for it. */
  readonly version: NtlmVersion | undefined;
  /** The exact message bytes: the MIC covers them. */
  readonly raw: Uint8Array;
}

/** Read a security buffer (len, maxlen, offset) at `at` and return its bytes. */
function readField(bytes: Uint8Array, view: DataView, at: number, what: string): Uint8Array {
  const length = view.getUint16(at, true);
  const offset = view.getUint32(at + 4, true);
  if (length === 0) return new Uint8Array(0);
  if (offset + length > bytes.length) throw protocolError(`ntlm-challenge-${what}-out-of-bounds`);
  return bytes.subarray(offset, offset + length);
}

/**
 * Parse AV pairs (MS-NLMP §2.2.2.1), stopping at MsvAvEOL. The list must end with MsvAvEOL
 * and every pair must fit; MsvAvTimestamp must be 8 bytes and MsvAvFlags 4.
 */
export function parseAvPairs(bytes: Uint8Array): AvPair[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pairs: AvPair[] = [];
  let at = 0;
  for (;;) {
    if (at + 4 > bytes.length) throw protocolError('ntlm-av-pairs-unterminated');
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    at += 4;
    if (id === AvId.MsvAvEOL) return pairs;
    if (at + length > bytes.length) throw protocolError('ntlm-av-pair-out-of-bounds');
    if (id === AvId.MsvAvTimestamp && length !== 8) throw protocolError('ntlm-av-timestamp-length');
    if (id === AvId.MsvAvFlags && length !== 4) throw protocolError('ntlm-av-flags-length');
    pairs.push({ id, value: bytes.slice(at, at + length) });
    at += length;
  }
}

/** Serialize AV pairs and the terminating MsvAvEOL. */
export function encodeAvPairs(pairs: readonly AvPair[]): Uint8Array {
  let length = 4;
  for (const p of pairs) length += 4 + p.value.length;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of pairs) {
    if (p.value.length > 0xffff) throw new IwaError('INPUT_INVALID', { reason: 'ntlm-av-pair-too-long' });
    view.setUint16(at, p.id, true);
    view.setUint16(at + 2, p.value.length, true);
    out.set(p.value, at + 4);
    at += 4 + p.value.length;
  }
  return out; // the last 4 bytes stay zero: MsvAvEOL, length 0
}

/**
 * Parse a CHALLENGE_MESSAGE (MS-NLMP §2.2.1.2) — just what the client needs, with every offset
 * bounds-checked. A malformed message is the CAS misbehaving, so it throws
 * `IwaError('CAS_PROTOCOL_ERROR', { reason })` with a reason such as
 * `ntlm-challenge-truncated`; the bytes themselves never go into the error.
 *
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/801a4681-8809-4be9-ab0d-61dcfe762786
 */
export function parseChallenge(bytes: Uint8Array): NtlmChallenge {
  if (bytes.length > MAX_CHALLENGE_BYTES) throw protocolError('ntlm-challenge-too-large');
  // 32 bytes reach the end of ServerChallenge; older servers stop there or at 40.
  if (bytes.length < 32) throw protocolError('ntlm-challenge-truncated');
  for (let i = 0; i < SIGNATURE.length; i++) {
    if (bytes[i] !== SIGNATURE[i]) throw protocolError('ntlm-challenge-bad-signature');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8, true) !== CHALLENGE_MESSAGE) throw protocolError('ntlm-challenge-bad-type');
  const flags = view.getUint32(20, true);
  const serverChallenge = bytes.slice(24, 32);

  const targetNameBytes = readField(bytes, view, 12, 'target-name');
  const unicode = (flags & NtlmFlag.NEGOTIATE_UNICODE) !== 0;
  if (unicode && targetNameBytes.length % 2 !== 0) throw protocolError('ntlm-challenge-target-name-odd');
  const targetName = unicode ? decodeUtf16le(targetNameBytes) : decodeLatin1(targetNameBytes);

  // TargetInfoFields (40..47) exist only in headers of 48 bytes or more.
  let targetInfo: AvPair[] = [];
  let payloadStart = bytes.length;
  const nameOffset = view.getUint32(16, true);
  if (targetNameBytes.length > 0) payloadStart = Math.min(payloadStart, nameOffset);
  if (bytes.length >= 48 && (payloadStart >= 48 || targetNameBytes.length === 0)) {
    const infoBytes = readField(bytes, view, 40, 'target-info');
    if (infoBytes.length > 0) {
      payloadStart = Math.min(payloadStart, view.getUint32(44, true));
      targetInfo = parseAvPairs(infoBytes);
    }
  }

  let version: NtlmVersion | undefined;
  if ((flags & NtlmFlag.NEGOTIATE_VERSION) !== 0 && bytes.length >= 56 && payloadStart >= 56) {
    version = {
      major: view.getUint8(48),
      minor: view.getUint8(49),
      build: view.getUint16(50, true),
      revision: view.getUint8(55),
    };
  }

  const timestamp = targetInfo.find((p) => p.id === AvId.MsvAvTimestamp)?.value;
  const nbDomain = targetInfo.find((p) => p.id === AvId.MsvAvNbDomainName)?.value;
  return {
    flags,
    serverChallenge,
    targetName,
    targetInfo,
    timestamp,
    nbDomainName: nbDomain === undefined ? undefined : decodeUtf16le(nbDomain),
    version,
    raw: bytes.slice(),
  };
}

// ------------------------------------------------------------------------------------------
// NTLMv2 computations (MS-NLMP §3.3.2)
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
  const temp = concat(
    Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 0), // RespType, HiRespType, Reserved1, Reserved2 (§2.2.2.7)
    input.time,
    input.clientChallenge,
    new Uint8Array(4),
    input.avPairs,
    new Uint8Array(4),
  );
  const ntProofStr = crypto.hmacMd5(input.responseKey, concat(input.serverChallenge, temp));
  const lmChallengeResponse = input.serverSentTimestamp
    ? new Uint8Array(24)
    : concat(
        crypto.hmacMd5(input.responseKey, concat(input.serverChallenge, input.clientChallenge)),
        input.clientChallenge,
      );
  return {
    temp,
    ntProofStr,
    ntChallengeResponse: concat(ntProofStr, temp),
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
  if (!crypto.md5) throw new IwaError('INTERNAL', { reason: 'ntlm-crypto-md5-missing' });
  // initiator_addrtype, initiator_address.length, acceptor_addrtype, acceptor_address.length:
  // all zero; then application_data.length (LE) and the data.
  const header = new Uint8Array(20);
  new DataView(header.buffer).setUint32(16, applicationData.length, true);
  return crypto.md5(concat(header, applicationData));
}

// ------------------------------------------------------------------------------------------
// User names
// ------------------------------------------------------------------------------------------

/** A user name as typed, split the way NTLM needs it. */
export interface NtlmUserName {
  readonly user: string;
  /** The domain given with the name, or `undefined` when the name carried none. */
  readonly domain: string | undefined;
  /** Which of the three accepted forms was used. */
  readonly form: 'plain' | 'down-level' | 'upn';
}

/**
 * Split `user`, `DOMAIN\user` or `user@domain` (MS-NLMP §3.1.5.1.2 UserName/UserDom).
 *
 * The UPN form is kept whole with an empty domain, as Windows clients send it: a domain
 * controller resolves UPNs itself, and NTOWFv2 then covers Uppercase("user@domain") + "".
 */
export function parseUserName(input: string): NtlmUserName {
  const name = input.trim();
  const backslash = name.indexOf('\\');
  if (backslash >= 0) {
    const domain = name.slice(0, backslash);
    const user = name.slice(backslash + 1);
    if (domain === '' || user === '' || user.includes('\\')) {
      throw new IwaError('INPUT_INVALID', { field: 'username', reason: 'malformed-down-level-name' });
    }
    return { user, domain, form: 'down-level' };
  }
  if (name === '') throw new IwaError('INPUT_INVALID', { field: 'username', reason: 'empty' });
  const at = name.lastIndexOf('@');
  if (at >= 0) {
    if (at === 0 || at === name.length - 1) {
      throw new IwaError('INPUT_INVALID', { field: 'username', reason: 'malformed-upn' });
    }
    return { user: name, domain: '', form: 'upn' };
  }
  return { user: name, domain: undefined, form: 'plain' };
}

// ------------------------------------------------------------------------------------------
// AUTHENTICATE_MESSAGE
// ------------------------------------------------------------------------------------------

/** Options of {@link buildAuthenticate}. Treat the whole object as secret. */
export interface AuthenticateOptions {
  /** The exact NEGOTIATE bytes that were sent (from {@link buildNegotiate}); the MIC covers them. */
  readonly negotiate: Uint8Array;
  /** The server's CHALLENGE, raw NTLMSSP bytes or already parsed. */
  readonly challenge: Uint8Array | NtlmChallenge;
  /** `user`, `DOMAIN\user` or `user@domain`. */
  readonly user: string;
  /**
   * The domain for a plain `user`. Default: the server's MsvAvNbDomainName, else its
   * TargetName. Ignored when `user` carries its own domain.
   */
  readonly domain?: string;
  readonly password: string;
  /** Our workstation name; default ''. */
  readonly workstation?: string;
  readonly crypto: NtlmCrypto;
  /** The SPN to put in MsvAvTargetName, e.g. `HTTP/cas.corp.test` (§3.1.5.1.2). */
  readonly targetName?: string;
  /**
   * Channel-binding application data (RFC 5929 `tls-server-end-point:` + certificate hash) to
   * bind this authentication to the TLS connection, for a CAS with Extended Protection.
   * Needs `crypto.md5`.
   */
  readonly channelBindings?: Uint8Array;
  /** The Version field; default {@link DEFAULT_VERSION}. */
  readonly version?: NtlmVersion;
  /**
   * NegotiateFlags to send, overriding the computed ones. Only for reproducing published
   * vectors (MS-NLMP §4.2.4 uses a value no real negotiation produces).
   */
  readonly flags?: number;
}

/** What {@link buildAuthenticate} returns. Everything but `message` is secret. */
export interface NtlmAuthenticateResult {
  /** The AUTHENTICATE_MESSAGE bytes to send. */
  readonly message: Uint8Array;
  /** The NegotiateFlags the message carries. */
  readonly flags: number;
  /** Whether the message carries a MIC (it does when the server sent MsvAvTimestamp). */
  readonly micPresent: boolean;
  /** The user and domain as sent. */
  readonly user: string;
  readonly domain: string;
  /** ExportedSessionKey (§3.1.5.1.2): needed for an SPNEGO mechListMIC. Never log it. */
  readonly exportedSessionKey: Uint8Array;
}

const AUTH_HEADER = 64;
const VERSION_LENGTH = 8;
const MIC_LENGTH = 16;

/**
 * Build the AUTHENTICATE_MESSAGE for NTLMv2 (MS-NLMP §2.2.1.3, §3.1.5.1.2, §3.3.2).
 *
 * - Time: the server's MsvAvTimestamp when present, else `crypto.now()`.
 * - ClientChallenge: 8 random bytes; with KEY_EXCH, ExportedSessionKey: 16 random bytes,
 *   sent as RC4(KeyExchangeKey = SessionBaseKey, ExportedSessionKey).
 * - AV pairs: the server's, plus MsvAvFlags with MIC_PRESENT when a MIC is sent, plus
 *   MsvAvChannelBindings / MsvAvTargetName when asked for.
 * - MIC (when the server sent MsvAvTimestamp): HMAC_MD5(ExportedSessionKey,
 *   NEGOTIATE ‖ CHALLENGE ‖ AUTHENTICATE-with-zero-MIC).
 *
 * Payload order is Domain, User, Workstation, LM, NT, session key, as in §4.2.4.3.
 *
 * @throws `IwaError('CAS_PROTOCOL_ERROR')` when the CHALLENGE is malformed or asks for
 *   something this client will not do (no Unicode, no NTLM). `IwaError('INPUT_INVALID')` for a
 *   malformed user name.
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/033d32cc-88f9-4483-9bf2-b273055038ce
 */
export function buildAuthenticate(options: AuthenticateOptions): NtlmAuthenticateResult {
  const { crypto } = options;
  const challenge =
    options.challenge instanceof Uint8Array ? parseChallenge(options.challenge) : options.challenge;

  if ((challenge.flags & NtlmFlag.NEGOTIATE_UNICODE) === 0) throw protocolError('ntlm-challenge-no-unicode');
  if ((challenge.flags & NtlmFlag.NEGOTIATE_NTLM) === 0) throw protocolError('ntlm-challenge-no-ntlm');

  // Negotiated flags: what the server chose, limited to what we offered plus the
  // server-only bits that describe the target (§3.1.5.1.2 "the flags the client and server
  // agreed on"). gss-ntlmssp's own initiator echoes the CHALLENGE flags the same way.
  const negotiateView = new DataView(
    options.negotiate.buffer,
    options.negotiate.byteOffset,
    options.negotiate.byteLength,
  );
  const offered =
    options.negotiate.length >= 16 ? negotiateView.getUint32(12, true) : DEFAULT_NEGOTIATE_FLAGS;
  const allowed =
    offered | NtlmFlag.TARGET_TYPE_DOMAIN | NtlmFlag.TARGET_TYPE_SERVER | NtlmFlag.NEGOTIATE_TARGET_INFO;
  const flags = (options.flags ?? challenge.flags & allowed) >>> 0;
  const keyExchange = (flags & NtlmFlag.NEGOTIATE_KEY_EXCH) !== 0;
  const withVersion = (flags & NtlmFlag.NEGOTIATE_VERSION) !== 0;

  const name = parseUserName(options.user);
  let domain = name.domain ?? options.domain ?? challenge.nbDomainName ?? challenge.targetName;
  // NTOWFv2 hashes the domain as spelled. A Windows DC uses the spelling from the message, but
  // gss-ntlmssp uses the one in its user file, so prefer the server's own spelling of its
  // NetBIOS domain when the user typed the same name in another case.
  if (challenge.nbDomainName !== undefined && domain.toUpperCase() === challenge.nbDomainName.toUpperCase()) {
    domain = challenge.nbDomainName;
  }

  // Timestamp and MIC (§3.1.5.1.2): a server that sends MsvAvTimestamp expects a MIC.
  const serverSentTimestamp = challenge.timestamp !== undefined;
  const time = challenge.timestamp ?? toFiletime(crypto.now());
  const withMic = serverSentTimestamp;

  const pairs: AvPair[] = [];
  let flagsPair = false;
  for (const p of challenge.targetInfo) {
    if (p.id === AvId.MsvAvFlags && withMic) {
      if (p.value.length !== 4) throw new IwaError('CAS_PROTOCOL_ERROR', { reason: 'ntlm-av-flags-length' });
      // A real copy with its own buffer: `p.value` may be a view into a larger (pooled) buffer.
      const value = Uint8Array.from(p.value);
      const v = new DataView(value.buffer, value.byteOffset, 4);
      v.setUint32(0, (v.getUint32(0, true) | MSV_AV_FLAG_MIC_PRESENT) >>> 0, true);
      pairs.push({ id: p.id, value });
      flagsPair = true;
    } else if (p.id === AvId.MsvAvChannelBindings || p.id === AvId.MsvAvTargetName) {
      // Only the client may say these; never echo a server's.
      continue;
    } else {
      pairs.push(p);
    }
  }
  if (withMic && !flagsPair) {
    const value = new Uint8Array(4);
    new DataView(value.buffer).setUint32(0, MSV_AV_FLAG_MIC_PRESENT, true);
    pairs.push({ id: AvId.MsvAvFlags, value });
  }
  if (options.channelBindings !== undefined) {
    pairs.push({
      id: AvId.MsvAvChannelBindings,
      value: channelBindingsHash(crypto, options.channelBindings),
    });
  }
  if (options.targetName !== undefined) {
    pairs.push({ id: AvId.MsvAvTargetName, value: utf16le(options.targetName) });
  }

  const clientChallenge = crypto.randomBytes(8);
  const responseKey = ntowfV2(crypto, options.password, name.user, domain);
  const response = computeNtlmV2Response(crypto, {
    responseKey,
    serverChallenge: challenge.serverChallenge,
    clientChallenge,
    time,
    avPairs: encodeAvPairs(pairs),
    serverSentTimestamp,
  });
  responseKey.fill(0);

  // KXKEY for NTLMv2 is the SessionBaseKey (§3.4.5.1).
  const keyExchangeKey = response.sessionBaseKey;
  let exportedSessionKey: Uint8Array;
  let encryptedRandomSessionKey: Uint8Array;
  if (keyExchange) {
    exportedSessionKey = crypto.randomBytes(16);
    encryptedRandomSessionKey = new Rc4(keyExchangeKey).process(exportedSessionKey);
  } else {
    exportedSessionKey = keyExchangeKey.slice();
    encryptedRandomSessionKey = new Uint8Array(0);
  }

  const domainBytes = utf16le(domain);
  const userBytes = utf16le(name.user);
  const workstationBytes = utf16le(options.workstation ?? '');
  const headerLength = AUTH_HEADER + (withVersion ? VERSION_LENGTH : 0) + (withMic ? MIC_LENGTH : 0);
  // Payload in the order of §4.2.4.3, each with the offset of its header field (§2.2.1.3:
  // LM 12, NT 20, Domain 28, User 36, Workstation 44, EncryptedRandomSessionKey 52).
  const payload: readonly (readonly [number, Uint8Array])[] = [
    [28, domainBytes],
    [36, userBytes],
    [44, workstationBytes],
    [12, response.lmChallengeResponse],
    [20, response.ntChallengeResponse],
    [52, encryptedRandomSessionKey],
  ];
  for (const [, part] of payload) {
    if (part.length > 0xffff) throw new IwaError('INPUT_INVALID', { reason: 'ntlm-field-too-long' });
  }
  const message = concat(new Uint8Array(headerLength), ...payload.map(([, part]) => part));
  const view = new DataView(message.buffer);
  message.set(SIGNATURE, 0);
  view.setUint32(8, AUTHENTICATE_MESSAGE, true);
  let offset = headerLength;
  for (const [at, part] of payload) {
    view.setUint16(at, part.length, true);
    view.setUint16(at + 2, part.length, true);
    view.setUint32(at + 4, offset, true);
    offset += part.length;
  }
  view.setUint32(60, flags, true);
  if (withVersion) message.set(encodeVersion(options.version ?? DEFAULT_VERSION), AUTH_HEADER);

  if (withMic) {
    const micAt = AUTH_HEADER + (withVersion ? VERSION_LENGTH : 0);
    const mic = crypto.hmacMd5(exportedSessionKey, concat(options.negotiate, challenge.raw, message));
    message.set(mic, micAt);
  }

  return { message, flags, micPresent: withMic, user: name.user, domain, exportedSessionKey };
}

// ------------------------------------------------------------------------------------------
// Signing (for the SPNEGO mechListMIC)
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
  if (!crypto.md5) throw new IwaError('INTERNAL', { reason: 'ntlm-crypto-md5-missing' });
  let sealBase = exportedSessionKey;
  if ((flags & NtlmFlag.NEGOTIATE_128) === 0) {
    sealBase = exportedSessionKey.subarray(0, (flags & NtlmFlag.NEGOTIATE_56) !== 0 ? 7 : 5);
  }
  return {
    signingKey: crypto.md5(concat(exportedSessionKey, ascii(CLIENT_SIGN_MAGIC))),
    sealingKey: crypto.md5(concat(sealBase, ascii(CLIENT_SEAL_MAGIC))),
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
  let checksum = crypto.hmacMd5(keys.signingKey, concat(seq, message)).subarray(0, 8);
  if ((flags & NtlmFlag.NEGOTIATE_KEY_EXCH) !== 0) checksum = keys.sealingHandle.process(checksum);
  return concat(Uint8Array.of(1, 0, 0, 0), checksum, seq);
}

// ------------------------------------------------------------------------------------------
// SPNEGO (RFC 4178) wrapping, just enough for NTLMSSP
// ------------------------------------------------------------------------------------------

function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function der(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  const body = concat(...content);
  return concat(Uint8Array.of(tag), derLength(body.length), body);
}

function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    out.push(...chunk);
  }
  return der(0x06, Uint8Array.from(out));
}

/**
 * The DER MechTypeList `SEQUENCE { 1.3.6.1.4.1.311.2.2.10 }` that {@link wrapSpnegoInit} sends;
 * a mechListMIC is computed over exactly these bytes (RFC 4178 §5 a).
 */
export const NTLM_MECH_TYPE_LIST: Uint8Array = der(0x30, derOid(NTLMSSP_OID));

/**
 * Wrap an NTLM NEGOTIATE in an SPNEGO NegTokenInit inside a GSS InitialContextToken
 * (RFC 4178 §4.2.1, RFC 2743 §3.1), offering NTLMSSP only — the same bytes MIT's SPNEGO with
 * gss-ntlmssp produces.
 */
export function wrapSpnegoInit(ntlmNegotiate: Uint8Array): Uint8Array {
  const negTokenInit = der(
    0xa0,
    der(0x30, der(0xa0, NTLM_MECH_TYPE_LIST), der(0xa2, der(0x04, ntlmNegotiate))),
  );
  return der(0x60, derOid(SPNEGO_OID), negTokenInit);
}

/**
 * Wrap the NTLM AUTHENTICATE in an SPNEGO NegTokenResp (RFC 4178 §4.2.2) with negState
 * accept-incomplete and, when given, a mechListMIC.
 */
export function wrapSpnegoResponse(ntlmAuthenticate: Uint8Array, mechListMic?: Uint8Array): Uint8Array {
  const fields = [der(0xa0, der(0x0a, Uint8Array.of(1))), der(0xa2, der(0x04, ntlmAuthenticate))];
  if (mechListMic !== undefined) fields.push(der(0xa3, der(0x04, mechListMic)));
  return der(0xa1, der(0x30, ...fields));
}

/** A parsed SPNEGO NegTokenResp (RFC 4178 §4.2.2). */
export interface SpnegoResponse {
  /** 0 accept-completed, 1 accept-incomplete, 2 reject, 3 request-mic. */
  readonly negState: number | undefined;
  readonly supportedMech: string | undefined;
  readonly responseToken: Uint8Array | undefined;
  readonly mechListMic: Uint8Array | undefined;
}

interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
  readonly end: number;
}

function readTlv(bytes: Uint8Array, at: number): Tlv {
  if (at + 2 > bytes.length) throw protocolError('spnego-truncated');
  const tag = bytes[at] ?? 0;
  let length = bytes[at + 1] ?? 0;
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 3 || start + n > bytes.length) throw protocolError('spnego-bad-length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (bytes[start + i] ?? 0);
    start += n;
  }
  if (start + length > bytes.length) throw protocolError('spnego-truncated');
  return { tag, value: bytes.subarray(start, start + length), end: start + length };
}

function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw protocolError('spnego-bad-oid');
  const first = bytes[0] ?? 0;
  const arcs = [Math.min(2, Math.floor(first / 40)), first - 40 * Math.min(2, Math.floor(first / 40))];
  let n = 0;
  for (const b of bytes.subarray(1)) {
    n = n * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(n);
      n = 0;
    }
  }
  return arcs.join('.');
}

/**
 * Parse an SPNEGO NegTokenResp (`[1] SEQUENCE { negState [0], supportedMech [1],
 * responseToken [2], mechListMIC [3] }`), as the acceptor sends it in
 * `WWW-Authenticate: Negotiate`.
 */
export function parseSpnegoResponse(bytes: Uint8Array): SpnegoResponse {
  const outer = readTlv(bytes, 0);
  if (outer.tag !== 0xa1) throw protocolError('spnego-not-neg-token-resp');
  const seq = readTlv(outer.value, 0);
  if (seq.tag !== 0x30) throw protocolError('spnego-not-sequence');
  let negState: number | undefined;
  let supportedMech: string | undefined;
  let responseToken: Uint8Array | undefined;
  let mechListMic: Uint8Array | undefined;
  for (let at = 0; at < seq.value.length;) {
    const field = readTlv(seq.value, at);
    const inner = readTlv(field.value, 0);
    switch (field.tag) {
      case 0xa0:
        if (inner.tag !== 0x0a || inner.value.length !== 1) throw protocolError('spnego-bad-neg-state');
        negState = inner.value[0];
        break;
      case 0xa1:
        if (inner.tag !== 0x06) throw protocolError('spnego-bad-mech');
        supportedMech = decodeOid(inner.value);
        break;
      case 0xa2:
        if (inner.tag !== 0x04) throw protocolError('spnego-bad-response-token');
        responseToken = inner.value.slice();
        break;
      case 0xa3:
        if (inner.tag !== 0x04) throw protocolError('spnego-bad-mech-list-mic');
        mechListMic = inner.value.slice();
        break;
      default:
        break; // unknown context tags are skipped, as DER extensibility allows
    }
    at = field.end;
  }
  return { negState, supportedMech, responseToken, mechListMic };
}

function startsWithSignature(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * The NTLMSSP message inside a `WWW-Authenticate: Negotiate`/`NTLM` token: the token itself
 * when it is raw NTLMSSP, or the responseToken of an SPNEGO NegTokenResp.
 */
export function extractNtlmToken(token: Uint8Array): Uint8Array {
  if (startsWithSignature(token)) return token;
  const resp = parseSpnegoResponse(token);
  if (resp.negState === 2) throw new IwaError('AUTH_REJECTED', { reason: 'spnego-reject' });
  if (resp.supportedMech !== undefined && resp.supportedMech !== NTLMSSP_OID) {
    throw protocolError('spnego-unexpected-mech');
  }
  if (resp.responseToken === undefined || !startsWithSignature(resp.responseToken)) {
    throw protocolError('spnego-no-ntlm-token');
  }
  return resp.responseToken;
}

/**
 * The mechListMIC an SPNEGO initiator sends with the NTLM AUTHENTICATE when that message
 * carries a MIC (RFC 4178 §5; MS-SPNG §3.1.5.1 makes it mandatory then, and Windows acceptors
 * enforce it): the NTLM signature, sequence number 0, over {@link NTLM_MECH_TYPE_LIST}.
 * MIT krb5 1.20 with gss-ntlmssp 1.2.0 verifies it when present and also accepts its absence.
 * Needs `crypto.md5`.
 */
export function spnegoMechListMic(crypto: NtlmCrypto, auth: NtlmAuthenticateResult): Uint8Array {
  const { signingKey, sealingKey } = clientSigningKeys(crypto, auth.exportedSessionKey, auth.flags);
  return ntlmSign(
    crypto,
    { signingKey, sealingHandle: new Rc4(sealingKey) },
    auth.flags,
    0,
    NTLM_MECH_TYPE_LIST,
  );
}
