/**
 * SPNEGO structures (RFC 4178 §4.2; Microsoft's NegTokenInit2 from MS-SPNG §2.2.1) and the GSS
 * InitialContextToken framing around them (RFC 2743 §3.1).
 *
 * This module only takes tokens apart: it returns mechanism OIDs, the negotiation state, and
 * where the inner mechanism token sits, so that `negotiate.ts` can look inside it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4178#section-4.2
 * @see https://www.rfc-editor.org/rfc/rfc2743#section-3.1
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-spng/8e71cf53-e867-4b79-b5b5-38c92be3d472 (NegTokenInit2)
 * @module
 */

import {
  TagClass,
  UniversalTag,
  children,
  decodeOid,
  decodeSmallUint,
  encodeElement,
  encodeOid,
  explicitInner,
  isTag,
  readElement,
  type DerElement,
} from './der.ts';
import { ProtocolParseError, type ParseReason } from './parse-error.ts';

/** Mechanism OIDs we name. */
export const MechOid = {
  spnego: '1.3.6.1.5.5.2',
  krb5: '1.2.840.113554.1.2.2',
  /** Windows 2000's mis-encoded krb5 OID, still listed first by Windows clients. */
  msKrb5: '1.2.840.48018.1.2.2',
  /** The old "user to user" krb5 OID some stacks list. */
  krb5U2u: '1.2.840.113554.1.2.2.3',
  ntlmssp: '1.3.6.1.4.1.311.2.2.10',
  negoex: '1.3.6.1.4.1.311.2.2.30',
} as const;

/** A short name of a mechanism, for logs and diagnosis. */
export type MechName = 'krb5' | 'ms-krb5' | 'krb5-u2u' | 'ntlmssp' | 'negoex' | 'spnego' | 'unknown';

const MECH_NAMES: ReadonlyMap<string, MechName> = new Map([
  [MechOid.krb5, 'krb5'],
  [MechOid.msKrb5, 'ms-krb5'],
  [MechOid.krb5U2u, 'krb5-u2u'],
  [MechOid.ntlmssp, 'ntlmssp'],
  [MechOid.negoex, 'negoex'],
  [MechOid.spnego, 'spnego'],
]);

/** A short name for a mechanism OID, for logs and diagnosis. */
export function mechName(oid: string): MechName {
  return MECH_NAMES.get(oid) ?? 'unknown';
}

/** RFC 4178 §4.2.2 negState. */
export type NegState = 'accept-completed' | 'accept-incomplete' | 'reject' | 'request-mic';
const NEG_STATES: readonly NegState[] = ['accept-completed', 'accept-incomplete', 'reject', 'request-mic'];

/** Where an inner token sits in the outer buffer (no copy). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A NegTokenInit (or Microsoft's NegTokenInit2). */
export interface NegTokenInit {
  readonly type: 'init';
  readonly mechTypes: readonly string[];
  readonly reqFlags?: number;
  readonly mechToken?: Span;
  readonly hasMechListMic: boolean;
  /** NegTokenInit2's negHints were present (sent by Windows servers, not by clients). */
  readonly hasNegHints: boolean;
}

/** A NegTokenResp. */
export interface NegTokenResp {
  readonly type: 'resp';
  readonly negState?: NegState;
  readonly supportedMech?: string;
  readonly responseToken?: Span;
  readonly hasMechListMic: boolean;
  /** Where the mechListMIC sits, when there is one. */
  readonly mechListMic?: Span;
}

export type NegotiationToken = NegTokenInit | NegTokenResp;

/** A GSS InitialContextToken: `[APPLICATION 0] { thisMech OID, innerContextToken ANY }`. */
export interface GssFramed {
  readonly mech: string;
  /** Where innerContextToken starts and ends. */
  readonly inner: Span;
}

function fail(reason: ParseReason<'spnego'>, offset?: number): never {
  throw new ProtocolParseError('spnego', reason, offset);
}

/**
 * Read the RFC 2743 §3.1 framing at `start` (tag 0x60), which must fill `[start, end)`.
 *
 * @throws {@link ProtocolParseError} (`spnego`/`der`).
 */
export function readGssFraming(bytes: Uint8Array, start: number, end: number): GssFramed {
  const app = readElement(bytes, start, end);
  if (!isTag(app, TagClass.application, 0, true)) fail('not-gss-framed', start);
  if (app.end !== end) fail('trailing-data', app.end);
  const oidEl = readElement(bytes, app.contentStart, app.end);
  if (!isTag(oidEl, TagClass.universal, UniversalTag.oid, false)) fail('expected-mech-oid', oidEl.start);
  return { mech: decodeOid(bytes, oidEl), inner: { start: oidEl.end, end: app.end } };
}

function octets(bytes: Uint8Array, el: DerElement): Span {
  if (!isTag(el, TagClass.universal, UniversalTag.octetString, false))
    fail('expected-octet-string', el.start);
  return { start: el.contentStart, end: el.end };
}

function oid(bytes: Uint8Array, el: DerElement): string {
  if (!isTag(el, TagClass.universal, UniversalTag.oid, false)) fail('expected-oid', el.start);
  return decodeOid(bytes, el);
}

/** The `[n]` fields of a SEQUENCE, each field at most once and in ascending order. */
function taggedFields(bytes: Uint8Array, outer: DerElement): Map<number, DerElement> {
  const seq = explicitInner(bytes, outer);
  if (!isTag(seq, TagClass.universal, UniversalTag.sequence, true)) fail('expected-sequence', seq.start);
  const out = new Map<number, DerElement>();
  let last = -1;
  for (const el of children(bytes, seq)) {
    if (el.tagClass !== TagClass.context || !el.constructed) fail('unexpected-tag', el.start);
    if (el.tagNumber <= last) fail('field-order', el.start);
    last = el.tagNumber;
    out.set(el.tagNumber, explicitInner(bytes, el));
  }
  return out;
}

function parseInit(bytes: Uint8Array, el: DerElement): NegTokenInit {
  const f = taggedFields(bytes, el);
  const list = f.get(0);
  if (list === undefined) fail('missing-mech-types', el.start);
  if (!isTag(list, TagClass.universal, UniversalTag.sequence, true)) fail('expected-sequence', list.start);
  const mechTypes = children(bytes, list).map((m) => oid(bytes, m));
  if (mechTypes.length === 0) fail('empty-mech-types', list.start);
  const flagsEl = f.get(1);
  let reqFlags: number | undefined;
  if (flagsEl !== undefined) {
    if (!isTag(flagsEl, TagClass.universal, UniversalTag.bitString, false))
      fail('bad-req-flags', flagsEl.start);
    reqFlags = flagsEl.end - flagsEl.contentStart >= 2 ? (bytes[flagsEl.contentStart + 1] ?? 0) : 0;
  }
  const tokenEl = f.get(2);
  // [3] is mechListMIC (an OCTET STRING) in RFC 4178 and negHints (a SEQUENCE) in NegTokenInit2,
  // which then moves the MIC to [4]. Tell them apart by what is inside.
  const third = f.get(3);
  const hasNegHints = third !== undefined && isTag(third, TagClass.universal, UniversalTag.sequence, true);
  if (third !== undefined && !hasNegHints) octets(bytes, third);
  const fourth = f.get(4);
  if (fourth !== undefined) octets(bytes, fourth);
  const mic = hasNegHints ? fourth : (third ?? fourth);
  return {
    type: 'init',
    mechTypes,
    ...(reqFlags === undefined ? {} : { reqFlags }),
    ...(tokenEl === undefined ? {} : { mechToken: octets(bytes, tokenEl) }),
    hasMechListMic: mic !== undefined,
    hasNegHints,
  };
}

function parseResp(bytes: Uint8Array, el: DerElement): NegTokenResp {
  const f = taggedFields(bytes, el);
  const stateEl = f.get(0);
  let negState: NegState | undefined;
  if (stateEl !== undefined) {
    if (!isTag(stateEl, TagClass.universal, UniversalTag.enumerated, false))
      fail('bad-neg-state', stateEl.start);
    negState = NEG_STATES[decodeSmallUint(bytes, stateEl)];
    if (negState === undefined) fail('bad-neg-state', stateEl.start);
  }
  const mechEl = f.get(1);
  const tokenEl = f.get(2);
  const micEl = f.get(3);
  const mechListMic = micEl === undefined ? undefined : octets(bytes, micEl);
  return {
    type: 'resp',
    ...(negState === undefined ? {} : { negState }),
    ...(mechEl === undefined ? {} : { supportedMech: oid(bytes, mechEl) }),
    ...(tokenEl === undefined ? {} : { responseToken: octets(bytes, tokenEl) }),
    hasMechListMic: mechListMic !== undefined,
    ...(mechListMic === undefined ? {} : { mechListMic }),
  };
}

/**
 * Parse a NegotiationToken (`[0] NegTokenInit` or `[1] NegTokenResp`) that fills `[start, end)`.
 *
 * @throws {@link ProtocolParseError} (`spnego`/`der`).
 */
export function parseNegotiationToken(bytes: Uint8Array, start: number, end: number): NegotiationToken {
  const el = readElement(bytes, start, end);
  if (el.end !== end) fail('trailing-data', el.end);
  if (isTag(el, TagClass.context, 0, true)) return parseInit(bytes, el);
  if (isTag(el, TagClass.context, 1, true)) return parseResp(bytes, el);
  return fail('unknown-choice', start);
}

// ------------------------------------------------------------------------------------------
// Building: what an initiator sends (the password sign-in's NTLM client).
// ------------------------------------------------------------------------------------------

/**
 * The DER MechTypeList `SEQUENCE OF OID` (RFC 4178 §4.2.1). A mechListMIC is computed over
 * exactly these bytes (§5 a), so the caller keeps them.
 */
export function encodeMechTypeList(mechTypes: readonly string[]): Uint8Array {
  return encodeElement(0x30, ...mechTypes.map(encodeOid));
}

/**
 * A NegTokenInit with `mechTypes` (as encoded by {@link encodeMechTypeList}) and the optimistic
 * `mechToken`, inside the GSS InitialContextToken framing (RFC 4178 §4.2.1, RFC 2743 §3.1).
 */
export function encodeNegTokenInit(mechTypeList: Uint8Array, mechToken: Uint8Array): Uint8Array {
  const negTokenInit = encodeElement(
    0xa0,
    encodeElement(
      0x30,
      encodeElement(0xa0, mechTypeList),
      encodeElement(0xa2, encodeElement(0x04, mechToken)),
    ),
  );
  return encodeElement(0x60, encodeOid(MechOid.spnego), negTokenInit);
}

/** A NegTokenResp (RFC 4178 §4.2.2) with the fields given, in their `[n]` order. */
export function encodeNegTokenResp(fields: {
  readonly negState?: NegState;
  readonly responseToken?: Uint8Array;
  readonly mechListMic?: Uint8Array;
}): Uint8Array {
  const parts: Uint8Array[] = [];
  if (fields.negState !== undefined) {
    parts.push(encodeElement(0xa0, encodeElement(0x0a, Uint8Array.of(NEG_STATES.indexOf(fields.negState)))));
  }
  if (fields.responseToken !== undefined) {
    parts.push(encodeElement(0xa2, encodeElement(0x04, fields.responseToken)));
  }
  if (fields.mechListMic !== undefined)
    parts.push(encodeElement(0xa3, encodeElement(0x04, fields.mechListMic)));
  return encodeElement(0xa1, encodeElement(0x30, ...parts));
}
