/**
 * Read-only inspection of NTLM messages (MS-NLMP §2.2.1): NEGOTIATE (type 1), CHALLENGE
 * (type 2) and AUTHENTICATE (type 3). We never compute or check a response: the CAS does that.
 * We read what is in the clear so the relay can name the mechanism and say *why* a sign-in
 * failed (local account, anonymous, NTLMv1, channel binding).
 *
 * Nothing secret leaves this module: no challenge, response, MIC or session-key bytes are
 * returned, only their presence and lengths.
 *
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/907f519d-6217-45b1-b421-dca10fc8af0d (§2.2.1 message syntax)
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/99d90ff4-957f-4c8a-80e4-5bfe5a9a9832 (§2.2.2.5 NEGOTIATE flags)
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/83f5e789-660d-4781-8491-5f8c6641f75e (§2.2.2.1 AV_PAIR)
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/aee311d6-21a7-4470-92a5-c4ecb022a87b (§2.2.2.7 NTLMv2_CLIENT_CHALLENGE)
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/f9e6fbc4-a953-4f24-b229-ccdcc213b9ec (§3.2.5.1.2 anonymous AUTHENTICATE)
 * @module
 */

import { ProtocolParseError, type ParseReason } from './parse-error.ts';

/** `NTLMSSP\0`, the signature every NTLM message starts with. */
export const NTLMSSP_SIGNATURE: readonly number[] = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00];

/** NEGOTIATE flags (MS-NLMP §2.2.2.5), by the spec's names. */
export const NtlmFlag = {
  NEGOTIATE_UNICODE: 0x00000001,
  NEGOTIATE_OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  NEGOTIATE_SIGN: 0x00000010,
  NEGOTIATE_SEAL: 0x00000020,
  NEGOTIATE_DATAGRAM: 0x00000040,
  NEGOTIATE_LM_KEY: 0x00000080,
  NEGOTIATE_NTLM: 0x00000200,
  ANONYMOUS: 0x00000800,
  NEGOTIATE_OEM_DOMAIN_SUPPLIED: 0x00001000,
  NEGOTIATE_OEM_WORKSTATION_SUPPLIED: 0x00002000,
  NEGOTIATE_ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  TARGET_TYPE_SERVER: 0x00020000,
  NEGOTIATE_EXTENDED_SESSIONSECURITY: 0x00080000,
  NEGOTIATE_IDENTIFY: 0x00100000,
  REQUEST_NON_NT_SESSION_KEY: 0x00400000,
  NEGOTIATE_TARGET_INFO: 0x00800000,
  NEGOTIATE_VERSION: 0x02000000,
  NEGOTIATE_128: 0x20000000,
  NEGOTIATE_KEY_EXCH: 0x40000000,
  NEGOTIATE_56: 0x80000000,
} as const;
export type NtlmFlagName = keyof typeof NtlmFlag;

/** AV_PAIR ids (MS-NLMP §2.2.2.1). */
export const AvId = {
  MsvAvEOL: 0x0000,
  MsvAvNbComputerName: 0x0001,
  MsvAvNbDomainName: 0x0002,
  MsvAvDnsComputerName: 0x0003,
  MsvAvDnsDomainName: 0x0004,
  MsvAvDnsTreeName: 0x0005,
  MsvAvFlags: 0x0006,
  MsvAvTimestamp: 0x0007,
  MsvAvSingleHost: 0x0008,
  MsvAvTargetName: 0x0009,
  MsvAvChannelBindings: 0x000a,
} as const;

/** MsvAvFlags bit: the AUTHENTICATE message carries a MIC (MS-NLMP §2.2.2.1). */
export const MSV_AV_FLAG_MIC_PRESENT = 0x00000002;

/** The 8-byte VERSION structure (MS-NLMP §2.2.2.10). Debug data only. */
export interface NtlmVersion {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  readonly ntlmRevision: number;
}

/** One AV_PAIR (MS-NLMP §2.2.2.1); `value` is a view into the message it was read from. */
export interface AvPair {
  readonly id: number;
  readonly value: Uint8Array;
}

/** Channel-binding state from `MsvAvChannelBindings`: absent, all-zero (unbound), or a hash. */
export type ChannelBindingState = 'absent' | 'zero' | 'present';

/** What the AV pairs of a CHALLENGE's TargetInfo or an NTLMv2 client challenge say. */
export interface NtlmAvInfo {
  readonly nbComputerName?: string;
  readonly nbDomainName?: string;
  readonly dnsComputerName?: string;
  readonly dnsDomainName?: string;
  readonly dnsTreeName?: string;
  /** MsvAvFlags, if present. */
  readonly avFlags?: number;
  readonly hasTimestamp: boolean;
  /** MsvAvTargetName: the SPN the client aimed at, e.g. `HTTP/relay.corp.test`. */
  readonly targetName?: string;
  readonly channelBindings: ChannelBindingState;
  /** Every pair, in order, without MsvAvEOL; duplicates kept (the summary above takes the first). */
  readonly pairs: readonly AvPair[];
  /** Whether the list ended with MsvAvEOL, as MS-NLMP §2.2.2.1 requires, or only with the bytes. */
  readonly terminated: boolean;
}

interface NtlmCommon {
  readonly flags: number;
  readonly flagNames: readonly NtlmFlagName[];
  /** NEGOTIATE_VERSION is set and the 8-byte Version field is there (gss-ntlmssp needs it). */
  readonly hasVersion: boolean;
  readonly version?: NtlmVersion;
}

/** NEGOTIATE_MESSAGE (type 1). */
export interface NtlmNegotiate extends NtlmCommon {
  readonly messageType: 'negotiate';
  /** OEM domain the client supplied (rare; NEGOTIATE_OEM_DOMAIN_SUPPLIED). */
  readonly domain?: string;
  /** OEM workstation the client supplied (NEGOTIATE_OEM_WORKSTATION_SUPPLIED). */
  readonly workstation?: string;
}

/**
 * CHALLENGE_MESSAGE (type 2). The ServerChallenge itself is deliberately not returned: it sits
 * at the fixed offset {@link SERVER_CHALLENGE_OFFSET}, where only the NTLM client reads it.
 */
export interface NtlmChallenge extends NtlmCommon {
  readonly messageType: 'challenge';
  readonly targetName?: string;
  readonly targetInfo?: NtlmAvInfo;
}

/**
 * How the client answered: NTLMv2 (NtChallengeResponse longer than 24 bytes), NTLMv1 (exactly
 * 24), anonymous (MS-NLMP §3.2.5.1.2), LM only, or something else.
 */
export type NtlmResponseKind = 'ntlmv2' | 'ntlmv1' | 'anonymous' | 'lm-only' | 'unknown';

/** AUTHENTICATE_MESSAGE (type 3). */
export interface NtlmAuthenticate extends NtlmCommon {
  readonly messageType: 'authenticate';
  /** Strings were UTF-16LE (NEGOTIATE_UNICODE), else OEM (read as Latin-1). */
  readonly unicode: boolean;
  readonly user: string;
  readonly domain: string;
  readonly workstation: string;
  readonly response: NtlmResponseKind;
  readonly ntResponseLength: number;
  readonly lmResponseLength: number;
  readonly anonymous: boolean;
  /** MsvAvFlags has MIC-present (0x2) in the NTLMv2 client challenge. */
  readonly hasMic: boolean;
  /** MsvAvChannelBindings in the NTLMv2 client challenge (Extended Protection). */
  readonly channelBindings: ChannelBindingState;
  /** MsvAvTargetName: the SPN the client computed its response for. */
  readonly targetName?: string;
  readonly hasSessionKey: boolean;
  /** The AV pairs of the NTLMv2 client challenge (absent for v1 and anonymous). */
  readonly clientAvInfo?: NtlmAvInfo;
}

export type NtlmMessage = NtlmNegotiate | NtlmChallenge | NtlmAuthenticate;

function fail(reason: ParseReason<'ntlm'>, offset?: number): never {
  throw new ProtocolParseError('ntlm', reason, offset);
}

/** Whether `bytes` starts with the `NTLMSSP\0` signature. */
export function isNtlmMessage(bytes: Uint8Array): boolean {
  if (bytes.length < NTLMSSP_SIGNATURE.length) return false;
  return NTLMSSP_SIGNATURE.every((b, i) => bytes[i] === b);
}

class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(at: number): number {
    if (at + 1 > this.bytes.length) fail('truncated', at);
    return this.view.getUint8(at);
  }
  u16(at: number): number {
    if (at + 2 > this.bytes.length) fail('truncated', at);
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    if (at + 4 > this.bytes.length) fail('truncated', at);
    return this.view.getUint32(at, true);
  }
  /** A Len/MaxLen/Offset field (MS-NLMP §2.2.1): the payload it points to, bounds-checked. */
  field(at: number): Uint8Array {
    const len = this.u16(at);
    const offset = this.u32(at + 4);
    if (len === 0) return new Uint8Array(0);
    if (offset > this.bytes.length || len > this.bytes.length - offset) fail('field-out-of-bounds', at);
    return this.bytes.subarray(offset, offset + len);
  }
}

const utf16 = new TextDecoder('utf-16le');

function decodeUtf16(bytes: Uint8Array, at: number): string {
  if (bytes.length % 2 !== 0) fail('odd-utf16-length', at);
  return utf16.decode(bytes);
}

/** OEM strings: the code page is unknowable here, Latin-1 keeps ASCII exact and never throws. */
function decodeOem(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function flagNames(flags: number): NtlmFlagName[] {
  return (Object.keys(NtlmFlag) as NtlmFlagName[]).filter((n) => (flags & NtlmFlag[n]) >>> 0 !== 0);
}

/** The fields every message type shares. */
function common(flags: number, version: NtlmVersion | undefined): NtlmCommon {
  return {
    flags,
    flagNames: flagNames(flags),
    hasVersion: version !== undefined,
    ...(version === undefined ? {} : { version }),
  };
}

/**
 * The VERSION field, if it is really there. The flag alone is not enough: curl echoes the
 * server's NEGOTIATE_VERSION flag in its AUTHENTICATE but starts the payload right where the
 * Version would be. So the 8 bytes must also end before the first payload field.
 *
 * @param fields - offsets of the message's Len/MaxLen/Offset fields.
 */
function readVersion(
  r: Reader,
  at: number,
  flags: number,
  fields: readonly number[],
): NtlmVersion | undefined {
  if ((flags & NtlmFlag.NEGOTIATE_VERSION) === 0 || at + 8 > r.bytes.length) return undefined;
  for (const f of fields) {
    if (r.u16(f) > 0 && r.u32(f + 4) < at + 8) return undefined;
  }
  return { major: r.u8(at), minor: r.u8(at + 1), build: r.u16(at + 2), ntlmRevision: r.u8(at + 7) };
}

/** Where each AvId's string lands in {@link NtlmAvInfo}. */
const AV_STRINGS: ReadonlyMap<number, keyof NtlmAvInfo> = new Map([
  [AvId.MsvAvNbComputerName, 'nbComputerName'],
  [AvId.MsvAvNbDomainName, 'nbDomainName'],
  [AvId.MsvAvDnsComputerName, 'dnsComputerName'],
  [AvId.MsvAvDnsDomainName, 'dnsDomainName'],
  [AvId.MsvAvDnsTreeName, 'dnsTreeName'],
  [AvId.MsvAvTargetName, 'targetName'],
]);

/**
 * Parse a list of AV_PAIRs (MS-NLMP §2.2.2.1) up to MsvAvEOL.
 *
 * §2.2.2.1 says MsvAvEOL "MUST be present in the AV pair list" and is the last item. This
 * reader still ends the list at the end of `bytes` when MsvAvEOL is missing, so the relay can
 * diagnose what a sloppy client sent, and records that in `terminated`; the NTLM client, which
 * must hash the list exactly, refuses such a list ({@link checkClientChallenge}). Bytes after
 * MsvAvEOL are not part of the list (an NTLMv2_CLIENT_CHALLENGE has Z(4) there).
 *
 * @throws `ntlm`/`bad-av-pair` on a pair that runs past the end, a MsvAvFlags that is not 4
 *   bytes, or a UTF-16 name of odd length (`odd-utf16-length`).
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/83f5e789-660d-4781-8491-5f8c6641f75e
 */
export function parseAvPairs(bytes: Uint8Array): NtlmAvInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const info: {
    -readonly [K in keyof NtlmAvInfo]: NtlmAvInfo[K];
  } = { hasTimestamp: false, channelBindings: 'absent', pairs: [], terminated: false };
  const pairs: AvPair[] = [];
  const seen = new Set<number>();
  let p = 0;
  while (p + 4 <= bytes.length) {
    const id = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    p += 4;
    if (id === AvId.MsvAvEOL) {
      info.terminated = true;
      break;
    }
    if (len > bytes.length - p) fail('bad-av-pair', p - 4);
    const value = bytes.subarray(p, p + len);
    pairs.push({ id, value });
    p += len;
    if (seen.has(id)) continue; // the first occurrence wins
    seen.add(id);
    const field = AV_STRINGS.get(id);
    if (field !== undefined) {
      (info as Record<string, unknown>)[field] = decodeUtf16(value, p - len);
    } else if (id === AvId.MsvAvFlags) {
      if (len !== 4) fail('bad-av-pair', p - len - 4);
      info.avFlags = new DataView(value.buffer, value.byteOffset, 4).getUint32(0, true);
    } else if (id === AvId.MsvAvTimestamp) {
      info.hasTimestamp = true;
    } else if (id === AvId.MsvAvChannelBindings) {
      // A 16-byte MD5 of gss_channel_bindings_struct; all zero means "no bindings".
      info.channelBindings = value.length > 0 && value.some((b) => b !== 0) ? 'present' : 'zero';
    }
  }
  info.pairs = pairs;
  return info;
}

function parseNegotiate(r: Reader): NtlmNegotiate {
  const flags = r.u32(12);
  // Old clients end the message after the flags; the domain/workstation fields are optional.
  const hasFields = r.bytes.length >= 32;
  const version = hasFields ? readVersion(r, 32, flags, [16, 24]) : undefined;
  const domain =
    hasFields && (flags & NtlmFlag.NEGOTIATE_OEM_DOMAIN_SUPPLIED) !== 0 ? decodeOem(r.field(16)) : undefined;
  const workstation =
    hasFields && (flags & NtlmFlag.NEGOTIATE_OEM_WORKSTATION_SUPPLIED) !== 0
      ? decodeOem(r.field(24))
      : undefined;
  return {
    messageType: 'negotiate',
    ...common(flags, version),
    ...(domain === undefined ? {} : { domain }),
    ...(workstation === undefined ? {} : { workstation }),
  };
}

/** ServerChallenge: 8 bytes at this offset of a CHALLENGE_MESSAGE (MS-NLMP §2.2.1.2). */
export const SERVER_CHALLENGE_OFFSET = 24;

/** Generous: a real CHALLENGE is a few hundred bytes; anything this big is not one. */
export const MAX_CHALLENGE_BYTES = 64 * 1024;

function readChallenge(r: Reader): NtlmChallenge {
  const flags = r.u32(20);
  r.u32(28); // the 8-byte ServerChallenge must be there; we do not return it
  const unicode = (flags & NtlmFlag.NEGOTIATE_UNICODE) !== 0;
  const nameBytes = r.field(12);
  const targetName =
    nameBytes.length === 0 ? undefined : unicode ? decodeUtf16(nameBytes, 12) : decodeOem(nameBytes);
  // TargetInfoFields (40..47) came with NTLMv2, in a header of 48+ bytes. An older server's
  // 40-byte header has its payload there instead, so a TargetName that starts before 48 means
  // those bytes are not fields.
  const hasInfo = r.bytes.length >= 48 && (nameBytes.length === 0 || r.u32(16) >= 48);
  const infoBytes = hasInfo ? r.field(40) : new Uint8Array(0);
  const targetInfo = infoBytes.length > 0 ? parseAvPairs(infoBytes) : undefined;
  const version = hasInfo ? readVersion(r, 48, flags, [12, 40]) : undefined;
  return {
    messageType: 'challenge',
    ...common(flags, version),
    ...(targetName === undefined ? {} : { targetName }),
    ...(targetInfo === undefined ? {} : { targetInfo }),
  };
}

/**
 * What an NTLMv2 client needs of a CHALLENGE beyond its being well-formed (MS-NLMP §3.1.5.1.2):
 * Unicode and NTLM negotiated, and a TargetInfo it can hash back exactly (ending with
 * MsvAvEOL, an 8-byte MsvAvTimestamp). The relay never asks this: it only inspects.
 *
 * @throws {@link ProtocolParseError} (`ntlm`): `challenge-no-unicode`, `challenge-no-ntlm`,
 *   `av-pairs-unterminated`, `bad-av-pair`.
 */
export function checkClientChallenge(challenge: NtlmChallenge): void {
  if ((challenge.flags & NtlmFlag.NEGOTIATE_UNICODE) === 0) fail('challenge-no-unicode');
  if ((challenge.flags & NtlmFlag.NEGOTIATE_NTLM) === 0) fail('challenge-no-ntlm');
  const info = challenge.targetInfo;
  if (info === undefined) return;
  if (!info.terminated) fail('av-pairs-unterminated');
  const timestamp = info.pairs.find((p) => p.id === AvId.MsvAvTimestamp);
  if (timestamp !== undefined && timestamp.value.length !== 8) fail('bad-av-pair');
}

/**
 * Parse a CHALLENGE_MESSAGE (MS-NLMP §2.2.1.2). `strict` adds what the NTLM client needs
 * ({@link checkClientChallenge}) and a size limit ({@link MAX_CHALLENGE_BYTES}).
 *
 * @throws {@link ProtocolParseError} (`ntlm`): what {@link parseNtlmMessage} throws,
 *   `not-a-challenge` for another message type; strict: `too-large` and the client checks.
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/801a4681-8809-4be9-ab0d-61dcfe762786
 */
export function parseChallenge(
  bytes: Uint8Array,
  options: { readonly strict?: boolean } = {},
): NtlmChallenge {
  if (options.strict === true && bytes.length > MAX_CHALLENGE_BYTES) fail('too-large');
  const message = parseNtlmMessage(bytes);
  if (message.messageType !== 'challenge') return fail('not-a-challenge', 8);
  if (options.strict === true) checkClientChallenge(message);
  return message;
}

/** NTLMv2 response: NTProofStr (16) then NTLMv2_CLIENT_CHALLENGE, whose AV pairs start at +28. */
const NTLMV2_AV_PAIRS_OFFSET = 16 + 28;

function parseAuthenticate(r: Reader): NtlmAuthenticate {
  const lm = r.field(12);
  const nt = r.field(20);
  const flags = r.u32(60);
  const unicode = (flags & NtlmFlag.NEGOTIATE_UNICODE) !== 0;
  const text = (b: Uint8Array, at: number): string => (unicode ? decodeUtf16(b, at) : decodeOem(b));
  const domain = text(r.field(28), 28);
  const user = text(r.field(36), 36);
  const workstation = text(r.field(44), 44);
  const hasSessionKey = r.field(52).length > 0;
  const version = readVersion(r, 64, flags, [12, 20, 28, 36, 44, 52]);

  // MS-NLMP §3.2.5.1.2: empty user, empty NT response and an empty or Z(1) LM response.
  const anonymous =
    user.length === 0 && nt.length === 0 && (lm.length === 0 || (lm.length === 1 && lm[0] === 0));
  let response: NtlmResponseKind;
  if (anonymous) response = 'anonymous';
  else if (nt.length > 24) response = 'ntlmv2';
  else if (nt.length === 24) response = 'ntlmv1';
  else if (nt.length === 0 && lm.length === 24) response = 'lm-only';
  else response = 'unknown';

  let clientAvInfo: NtlmAvInfo | undefined;
  if (response === 'ntlmv2') {
    if (nt.length < NTLMV2_AV_PAIRS_OFFSET) fail('short-ntlmv2-response', 20);
    // RespType and HiRespType are both 1 in every NTLMv2 client challenge.
    if (nt[16] !== 1 || nt[17] !== 1) fail('bad-ntlmv2-response', 20);
    clientAvInfo = parseAvPairs(nt.subarray(NTLMV2_AV_PAIRS_OFFSET));
  }
  const avFlags = clientAvInfo?.avFlags ?? 0;
  return {
    messageType: 'authenticate',
    ...common(flags, version),
    unicode,
    user,
    domain,
    workstation,
    response,
    ntResponseLength: nt.length,
    lmResponseLength: lm.length,
    anonymous,
    hasMic: (avFlags & MSV_AV_FLAG_MIC_PRESENT) !== 0,
    channelBindings: clientAvInfo?.channelBindings ?? 'absent',
    ...(clientAvInfo?.targetName === undefined ? {} : { targetName: clientAvInfo.targetName }),
    hasSessionKey,
    ...(clientAvInfo === undefined ? {} : { clientAvInfo }),
  };
}

/**
 * Parse an NTLM message (MS-NLMP §2.2.1).
 *
 * @throws {@link ProtocolParseError} (`ntlm`): `bad-signature`, `truncated`,
 *   `unknown-message-type`, `field-out-of-bounds`, `odd-utf16-length`, `bad-av-pair`,
 *   `short-ntlmv2-response`, `bad-ntlmv2-response`.
 */
export function parseNtlmMessage(bytes: Uint8Array): NtlmMessage {
  if (!isNtlmMessage(bytes)) fail('bad-signature', 0);
  const r = new Reader(bytes);
  const type = r.u32(8);
  switch (type) {
    case 1:
      r.u32(12);
      return parseNegotiate(r);
    case 2:
      if (bytes.length < 32) fail('truncated', bytes.length);
      return readChallenge(r);
    case 3:
      if (bytes.length < 64) fail('truncated', bytes.length);
      return parseAuthenticate(r);
    default:
      return fail('unknown-message-type', 8);
  }
}
