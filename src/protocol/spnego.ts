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
  explicitInner,
  isTag,
  readElement,
  type DerElement,
} from './der.ts';
import { ProtocolParseError } from './parse-error.ts';

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

/** A short name for a mechanism OID, for logs and diagnosis. */
export function mechName(
  oid: string,
): 'krb5' | 'ms-krb5' | 'krb5-u2u' | 'ntlmssp' | 'negoex' | 'spnego' | 'unknown' {
  switch (oid) {
    case MechOid.krb5:
      return 'krb5';
    case MechOid.msKrb5:
      return 'ms-krb5';
    case MechOid.krb5U2u:
      return 'krb5-u2u';
    case MechOid.ntlmssp:
      return 'ntlmssp';
    case MechOid.negoex:
      return 'negoex';
    case MechOid.spnego:
      return 'spnego';
    default:
      return 'unknown';
  }
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
}

export type NegotiationToken = NegTokenInit | NegTokenResp;

/** A GSS InitialContextToken: `[APPLICATION 0] { thisMech OID, innerContextToken ANY }`. */
export interface GssFramed {
  readonly mech: string;
  /** Where innerContextToken starts and ends. */
  readonly inner: Span;
}

function fail(reason: string, offset?: number): never {
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
  if (micEl !== undefined) octets(bytes, micEl);
  return {
    type: 'resp',
    ...(negState === undefined ? {} : { negState }),
    ...(mechEl === undefined ? {} : { supportedMech: oid(bytes, mechEl) }),
    ...(tokenEl === undefined ? {} : { responseToken: octets(bytes, tokenEl) }),
    hasMechListMic: micEl !== undefined,
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
