/**
 * An NTLMv2 *client* (initiator), MS-NLMP §3.1.5, for the domain-password sign-in: the backend
 * proves the user's password to the Exchange CAS itself, over one connection. It builds the
 * messages; reading the CAS's tokens is `negotiate.ts`/`spnego.ts`/`ntlm.ts`, the NTLMv2
 * computations are `ntlm-crypto.ts`.
 *
 * Pure: no I/O, no `node:` imports, `Uint8Array`/`DataView` only; the crypto primitives are
 * injected ({@link NtlmCrypto}).
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
 * Errors are {@link ProtocolParseError} (the CAS's token) or {@link ProtocolInputError} (the
 * caller's values), naming only *what* was wrong; the edge maps them with `toIwaError`.
 *
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/ (MS-NLMP)
 * @module
 */

import { concatBytes } from './der.ts';
import { inspectNegotiateToken, type NegotiateTokenInfo } from './negotiate.ts';
import {
  AvId,
  MSV_AV_FLAG_MIC_PRESENT,
  NTLMSSP_SIGNATURE,
  NtlmFlag,
  SERVER_CHALLENGE_OFFSET,
  checkClientChallenge,
  parseChallenge,
  type AvPair,
  type NtlmChallenge,
  type NtlmVersion,
} from './ntlm.ts';
import {
  Rc4,
  clientSigningKeys,
  computeNtlmV2Response,
  channelBindingsHash,
  ntlmSign,
  ntowfV2,
  utf16le,
  type NtlmCrypto,
} from './ntlm-crypto.ts';
import { ProtocolInputError, ProtocolParseError } from './parse-error.ts';
import {
  MechOid,
  encodeMechTypeList,
  encodeNegTokenInit,
  encodeNegTokenResp,
  parseNegotiationToken,
} from './spnego.ts';

export type { NtlmCrypto } from './ntlm-crypto.ts';

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

const NEGOTIATE_MESSAGE = 1;
const AUTHENTICATE_MESSAGE = 3;
/** 100-ns ticks between 1601-01-01 (FILETIME epoch) and 1970-01-01 (Unix epoch). */
const FILETIME_UNIX_EPOCH_MS = 11_644_473_600_000n;

/** Convert a time to a little-endian FILETIME (100 ns since 1601-01-01 UTC), MS-DTYP §2.3.3. */
export function toFiletime(time: Date): Uint8Array {
  let ticks = (BigInt(time.getTime()) + FILETIME_UNIX_EPOCH_MS) * 10_000n;
  if (ticks < 0n) ticks = 0n;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, ticks, true);
  return out;
}

/** What this client reports: 10.0, build 0, NTLMSSP revision 15 (NTLMSSP_REVISION_W2K3). */
export const DEFAULT_VERSION: NtlmVersion = { major: 10, minor: 0, build: 0, ntlmRevision: 0x0f };

function encodeVersion(v: NtlmVersion): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint8(0, v.major);
  view.setUint8(1, v.minor);
  view.setUint16(2, v.build, true);
  view.setUint8(7, v.ntlmRevision);
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
  out.set(NTLMSSP_SIGNATURE, 0);
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

/** A CHALLENGE this client can answer: parsed (strictly) and the exact bytes. */
export interface ServerChallenge {
  /** The parsed message, which passed {@link checkClientChallenge}. */
  readonly message: NtlmChallenge;
  /** The exact NTLM message bytes: the MIC covers them, and ServerChallenge is at offset 24. */
  readonly raw: Uint8Array;
  /** It came inside a SPNEGO NegTokenResp, so the AUTHENTICATE goes back wrapped too. */
  readonly spnego: boolean;
}

function serverChallengeOf(raw: Uint8Array): ServerChallenge {
  return { message: parseChallenge(raw, { strict: true }), raw: raw.slice(), spnego: false };
}

/**
 * Where the NTLM message sits in a `Negotiate`/`NTLM` token already inspected: the token itself
 * when it is raw NTLMSSP, or the responseToken of an SPNEGO NegTokenResp.
 *
 * @throws {@link ProtocolParseError} (`spnego`): `rejected`, `unexpected-mech`, `no-ntlm-token`.
 */
function ntlmMessageOf(token: Uint8Array, info: NegotiateTokenInfo): Uint8Array {
  if (info.spnego?.token === 'resp') {
    if (info.spnego.negState === 'reject') throw new ProtocolParseError('spnego', 'rejected');
    const mech = info.spnego.supportedMech;
    if (mech !== undefined && mech !== MechOid.ntlmssp)
      throw new ProtocolParseError('spnego', 'unexpected-mech');
  }
  const span = info.ntlmMessage;
  if (span === undefined) throw new ProtocolParseError('spnego', 'no-ntlm-token');
  return token.subarray(span.start, span.end);
}

/**
 * The NTLM message inside a `WWW-Authenticate: Negotiate`/`NTLM` token (raw, or an SPNEGO
 * NegTokenResp's responseToken), as bytes.
 *
 * @throws {@link ProtocolParseError}.
 */
export function extractNtlmToken(token: Uint8Array): Uint8Array {
  return ntlmMessageOf(token, inspectNegotiateToken(token));
}

/**
 * The CHALLENGE in the CAS's token, from the one inspection the leg's classification made
 * (`classifyLeg`'s `serverToken`): no second parse, only the client's checks on top
 * ({@link checkClientChallenge}).
 *
 * @throws {@link ProtocolParseError}: not an NTLM CHALLENGE, or one this client cannot answer.
 */
export function readServerChallenge(token: Uint8Array, info: NegotiateTokenInfo): ServerChallenge {
  const raw = ntlmMessageOf(token, info);
  if (info.ntlm?.messageType !== 'challenge') throw new ProtocolParseError('ntlm', 'not-a-challenge', 8);
  checkClientChallenge(info.ntlm);
  return { message: info.ntlm, raw: raw.slice(), spnego: info.framing === 'spnego' };
}

/** Serialize AV pairs and the terminating MsvAvEOL. */
export function encodeAvPairs(pairs: readonly AvPair[]): Uint8Array {
  let length = 4;
  for (const p of pairs) length += 4 + p.value.length;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of pairs) {
    if (p.value.length > 0xffff) throw new ProtocolInputError('ntlm-av-pair-too-long');
    view.setUint16(at, p.id, true);
    view.setUint16(at + 2, p.value.length, true);
    out.set(p.value, at + 4);
    at += 4 + p.value.length;
  }
  return out; // the last 4 bytes stay zero: MsvAvEOL, length 0
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
 *
 * @throws {@link ProtocolInputError} `{field: 'username'}`: `empty`, `malformed-down-level-name`,
 *   `malformed-upn`.
 */
export function parseUserName(input: string): NtlmUserName {
  const name = input.trim();
  const backslash = name.indexOf('\\');
  if (backslash >= 0) {
    const domain = name.slice(0, backslash);
    const user = name.slice(backslash + 1);
    if (domain === '' || user === '' || user.includes('\\')) {
      throw new ProtocolInputError('malformed-down-level-name', 'username');
    }
    return { user, domain, form: 'down-level' };
  }
  if (name === '') throw new ProtocolInputError('empty', 'username');
  const at = name.lastIndexOf('@');
  if (at >= 0) {
    if (at === 0 || at === name.length - 1) {
      throw new ProtocolInputError('malformed-upn', 'username');
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
  /** The server's CHALLENGE: raw NTLMSSP bytes, or what {@link readServerChallenge} made of them. */
  readonly challenge: Uint8Array | ServerChallenge;
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
 * @throws {@link ProtocolParseError} when the CHALLENGE is malformed or asks for something
 *   this client will not do (no Unicode, no NTLM); {@link ProtocolInputError} for a malformed
 *   user name or an over-long field. The edge maps both with `toIwaError`.
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/033d32cc-88f9-4483-9bf2-b273055038ce
 */
export function buildAuthenticate(options: AuthenticateOptions): NtlmAuthenticateResult {
  const { crypto } = options;
  const server =
    options.challenge instanceof Uint8Array ? serverChallengeOf(options.challenge) : options.challenge;
  const challenge = server.message;
  const serverPairs = challenge.targetInfo?.pairs ?? [];
  const nbDomainName = challenge.targetInfo?.nbDomainName;
  const timestamp = serverPairs.find((p) => p.id === AvId.MsvAvTimestamp)?.value;

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
  let domain = name.domain ?? options.domain ?? nbDomainName ?? challenge.targetName ?? '';
  // NTOWFv2 hashes the domain as spelled. A Windows DC uses the spelling from the message, but
  // gss-ntlmssp uses the one in its user file, so prefer the server's own spelling of its
  // NetBIOS domain when the user typed the same name in another case.
  if (nbDomainName !== undefined && domain.toUpperCase() === nbDomainName.toUpperCase()) {
    domain = nbDomainName;
  }

  // Timestamp and MIC (§3.1.5.1.2): a server that sends MsvAvTimestamp expects a MIC.
  const serverSentTimestamp = timestamp !== undefined;
  const time = timestamp ?? toFiletime(crypto.now());
  const withMic = serverSentTimestamp;

  const pairs: AvPair[] = [];
  let flagsPair = false;
  for (const p of serverPairs) {
    if (p.id === AvId.MsvAvFlags && withMic) {
      // 4 bytes long: the parser checked. A real copy with its own buffer: `p.value` may be a view into a larger (pooled) buffer.
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
    serverChallenge: server.raw.slice(SERVER_CHALLENGE_OFFSET, SERVER_CHALLENGE_OFFSET + 8),
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
    if (part.length > 0xffff) throw new ProtocolInputError('ntlm-field-too-long');
  }
  const message = concatBytes(new Uint8Array(headerLength), ...payload.map(([, part]) => part));
  const view = new DataView(message.buffer);
  message.set(NTLMSSP_SIGNATURE, 0);
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
    const mic = crypto.hmacMd5(exportedSessionKey, concatBytes(options.negotiate, server.raw, message));
    message.set(mic, micAt);
  }

  return { message, flags, micPresent: withMic, user: name.user, domain, exportedSessionKey };
}

// ------------------------------------------------------------------------------------------
// SPNEGO (RFC 4178) wrapping, just enough for NTLMSSP
// ------------------------------------------------------------------------------------------

/**
 * The DER MechTypeList `SEQUENCE { 1.3.6.1.4.1.311.2.2.10 }` that {@link wrapSpnegoInit} sends;
 * a mechListMIC is computed over exactly these bytes (RFC 4178 §5 a).
 */
export const NTLM_MECH_TYPE_LIST: Uint8Array = encodeMechTypeList([MechOid.ntlmssp]);

/**
 * Wrap an NTLM NEGOTIATE in an SPNEGO NegTokenInit inside a GSS InitialContextToken
 * (RFC 4178 §4.2.1, RFC 2743 §3.1), offering NTLMSSP only — the same bytes MIT's SPNEGO with
 * gss-ntlmssp produces.
 */
export function wrapSpnegoInit(ntlmNegotiate: Uint8Array): Uint8Array {
  return encodeNegTokenInit(NTLM_MECH_TYPE_LIST, ntlmNegotiate);
}

/**
 * Wrap the NTLM AUTHENTICATE in an SPNEGO NegTokenResp (RFC 4178 §4.2.2) with negState
 * accept-incomplete and, when given, a mechListMIC.
 */
export function wrapSpnegoResponse(ntlmAuthenticate: Uint8Array, mechListMic?: Uint8Array): Uint8Array {
  return encodeNegTokenResp({
    negState: 'accept-incomplete',
    responseToken: ntlmAuthenticate,
    ...(mechListMic === undefined ? {} : { mechListMic }),
  });
}

/** A parsed SPNEGO NegTokenResp (RFC 4178 §4.2.2), with copies of its octet strings. */
export interface SpnegoResponse {
  /** 0 accept-completed, 1 accept-incomplete, 2 reject, 3 request-mic. */
  readonly negState: number | undefined;
  readonly supportedMech: string | undefined;
  readonly responseToken: Uint8Array | undefined;
  readonly mechListMic: Uint8Array | undefined;
}

const NEG_STATE_NUMBERS = {
  'accept-completed': 0,
  'accept-incomplete': 1,
  reject: 2,
  'request-mic': 3,
} as const;

/**
 * An SPNEGO NegTokenResp as the acceptor sends it in `WWW-Authenticate: Negotiate` (read by
 * `spnego.ts`), with its octet strings copied out: for tests and tools that check the
 * acceptor's answer.
 *
 * @throws {@link ProtocolParseError} (`spnego`/`der`): `not-neg-token-resp` for a NegTokenInit.
 */
export function parseSpnegoResponse(bytes: Uint8Array): SpnegoResponse {
  const tok = parseNegotiationToken(bytes, 0, bytes.length);
  if (tok.type !== 'resp') throw new ProtocolParseError('spnego', 'not-neg-token-resp');
  return {
    negState: tok.negState === undefined ? undefined : NEG_STATE_NUMBERS[tok.negState],
    supportedMech: tok.supportedMech,
    responseToken: tok.responseToken && bytes.slice(tok.responseToken.start, tok.responseToken.end),
    mechListMic: tok.mechListMic && bytes.slice(tok.mechListMic.start, tok.mechListMic.end),
  };
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
