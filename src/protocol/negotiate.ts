/**
 * One entry point to look inside any token carried by the HTTP `Negotiate` scheme (RFC 4559):
 * SPNEGO (RFC 4178) with Kerberos or NTLM inside, a raw krb5 GSS token (RFC 4121 §4.1), or a
 * raw `NTLMSSP` message (MS-NLMP), as Windows and browsers send all three under `Negotiate`.
 *
 * The relay uses it to learn the mechanism (for the audit trail) and, when the CAS refuses, to
 * say why (local account, anonymous, NTLMv1, channel binding, the ticket's SPN). The result
 * holds no secret bytes.
 *
 * Any malformed input throws {@link ProtocolParseError} and nothing else. A well-formed GSS
 * token of a mechanism we do not know is *not* an error: it comes back as `unknown`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4559#section-4
 * @see https://www.rfc-editor.org/rfc/rfc4178#section-4.2
 * @see https://www.rfc-editor.org/rfc/rfc4121#section-4.1
 * @see https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/907f519d-6217-45b1-b421-dca10fc8af0d
 * @module
 */

import { MAX_NEGOTIATE_TOKEN_BYTES } from './http-auth.ts';
import { inspectKerberosToken, type KerberosInfo } from './kerberos.ts';
import { isNtlmMessage, parseNtlmMessage, type NtlmMessage } from './ntlm.ts';
import { ProtocolParseError, type ParseReason } from './parse-error.ts';
import {
  MechOid,
  mechName,
  parseNegotiationToken,
  readGssFraming,
  type NegState,
  type Span,
} from './spnego.ts';

/** The authentication mechanism a token carries. */
export type NegotiateMechanism = 'kerberos' | 'ntlm' | 'unknown';

/** What the token is, mechanism message first. */
export type NegotiateTokenKind =
  | 'ntlm-negotiate'
  | 'ntlm-challenge'
  | 'ntlm-authenticate'
  | 'kerberos-ap-req'
  | 'kerberos-ap-rep'
  | 'kerberos-error'
  /** A SPNEGO token with no inner mechanism token (e.g. a bare accept or reject). */
  | 'spnego-only'
  /** A well-formed GSS token of a mechanism we do not inspect (e.g. NegoEx). */
  | 'unknown';

/** SPNEGO facts, when the token was SPNEGO. */
export type SpnegoInfo =
  | {
      readonly token: 'init';
      readonly mechTypes: readonly string[];
      /** Short names of mechTypes, in the client's order of preference. */
      readonly mechNames: readonly string[];
      readonly hasMechToken: boolean;
      readonly hasMechListMic: boolean;
      readonly hasNegHints: boolean;
    }
  | {
      readonly token: 'resp';
      readonly negState?: NegState;
      readonly supportedMech?: string;
      readonly hasResponseToken: boolean;
      readonly hasMechListMic: boolean;
    };

/** Everything {@link inspectNegotiateToken} learns. */
export interface NegotiateTokenInfo {
  readonly mechanism: NegotiateMechanism;
  readonly kind: NegotiateTokenKind;
  /** `spnego`: RFC 4178. `gss`: a mechanism's own GSS token (raw krb5). `raw`: bare NTLMSSP. */
  readonly framing: 'spnego' | 'gss' | 'raw';
  /** The mechanism OID of the innermost GSS framing, when there was one. */
  readonly mechOid?: string;
  readonly spnego?: SpnegoInfo;
  readonly ntlm?: NtlmMessage;
  /** Where the NTLM message sits in the token (all of it when raw), for the NTLM client. */
  readonly ntlmMessage?: Span;
  readonly kerberos?: KerberosInfo;
  readonly size: number;
}

function fail(reason: ParseReason<'negotiate'>, offset?: number): never {
  throw new ProtocolParseError('negotiate', reason, offset);
}

const KRB5_OIDS: ReadonlySet<string> = new Set([MechOid.krb5, MechOid.msKrb5]);

function mechanismOfOid(oid: string | undefined): NegotiateMechanism {
  if (oid === undefined) return 'unknown';
  if (KRB5_OIDS.has(oid)) return 'kerberos';
  if (oid === MechOid.ntlmssp) return 'ntlm';
  return 'unknown';
}

interface MechFacts {
  mechanism: NegotiateMechanism;
  kind: NegotiateTokenKind;
  mechOid?: string;
  ntlm?: NtlmMessage;
  ntlmMessage?: Span;
  kerberos?: KerberosInfo;
}

function ntlmFacts(message: Uint8Array, span: Span): MechFacts {
  const ntlm = parseNtlmMessage(message);
  return { mechanism: 'ntlm', kind: `ntlm-${ntlm.messageType}`, ntlm, ntlmMessage: span };
}

/** A mechanism token: raw NTLMSSP, or GSS-framed krb5 (or something we only name). */
function inspectMechToken(bytes: Uint8Array, span: Span): MechFacts {
  const sub = bytes.subarray(span.start, span.end);
  if (isNtlmMessage(sub)) return ntlmFacts(sub, span);
  if (sub[0] !== 0x60) return fail('unrecognised-token', span.start);
  const framed = readGssFraming(bytes, span.start, span.end);
  // SPNEGO inside SPNEGO is not a thing; refusing it also bounds the nesting depth to one.
  if (framed.mech === MechOid.spnego) fail('nested-spnego', span.start);
  if (KRB5_OIDS.has(framed.mech)) {
    const kerberos = inspectKerberosToken(bytes, framed.inner.start, framed.inner.end);
    if (kerberos === undefined) return { mechanism: 'kerberos', kind: 'unknown', mechOid: framed.mech };
    const kind =
      kerberos.kind === 'ap-req'
        ? 'kerberos-ap-req'
        : kerberos.kind === 'ap-rep'
          ? 'kerberos-ap-rep'
          : 'kerberos-error';
    return { mechanism: 'kerberos', kind, mechOid: framed.mech, kerberos };
  }
  return { mechanism: mechanismOfOid(framed.mech), kind: 'unknown', mechOid: framed.mech };
}

function result(
  size: number,
  framing: NegotiateTokenInfo['framing'],
  facts: MechFacts,
  spnego?: SpnegoInfo,
): NegotiateTokenInfo {
  return {
    mechanism: facts.mechanism,
    kind: facts.kind,
    framing,
    ...(facts.mechOid === undefined ? {} : { mechOid: facts.mechOid }),
    ...(spnego === undefined ? {} : { spnego }),
    ...(facts.ntlm === undefined ? {} : { ntlm: facts.ntlm }),
    ...(facts.ntlmMessage === undefined ? {} : { ntlmMessage: facts.ntlmMessage }),
    ...(facts.kerberos === undefined ? {} : { kerberos: facts.kerberos }),
    size,
  };
}

function inspectSpnego(bytes: Uint8Array, start: number, end: number): NegotiateTokenInfo {
  const tok = parseNegotiationToken(bytes, start, end);
  if (tok.type === 'init') {
    const spnego: SpnegoInfo = {
      token: 'init',
      mechTypes: tok.mechTypes,
      mechNames: tok.mechTypes.map(mechName),
      hasMechToken: tok.mechToken !== undefined,
      hasMechListMic: tok.hasMechListMic,
      hasNegHints: tok.hasNegHints,
    };
    if (tok.mechToken !== undefined) {
      const facts = inspectMechToken(bytes, tok.mechToken);
      // The optimistic token is for the first mechType; an unknown inner token (NegoEx) still
      // tells us what the client prefers.
      if (facts.mechanism === 'unknown') facts.mechanism = mechanismOfOid(tok.mechTypes[0]);
      return result(bytes.length, 'spnego', facts, spnego);
    }
    return result(
      bytes.length,
      'spnego',
      { mechanism: mechanismOfOid(tok.mechTypes[0]), kind: 'spnego-only' },
      spnego,
    );
  }
  const spnego: SpnegoInfo = {
    token: 'resp',
    ...(tok.negState === undefined ? {} : { negState: tok.negState }),
    ...(tok.supportedMech === undefined ? {} : { supportedMech: tok.supportedMech }),
    hasResponseToken: tok.responseToken !== undefined,
    hasMechListMic: tok.hasMechListMic,
  };
  if (tok.responseToken !== undefined && tok.responseToken.end > tok.responseToken.start) {
    const facts = inspectMechToken(bytes, tok.responseToken);
    if (facts.mechanism === 'unknown') facts.mechanism = mechanismOfOid(tok.supportedMech);
    return result(bytes.length, 'spnego', facts, spnego);
  }
  return result(
    bytes.length,
    'spnego',
    { mechanism: mechanismOfOid(tok.supportedMech), kind: 'spnego-only' },
    spnego,
  );
}

/**
 * Inspect a Negotiate token (the decoded base64 of `Authorization: Negotiate …` or
 * `WWW-Authenticate: Negotiate …`).
 *
 * Recognised forms:
 * - `60 …` GSS InitialContextToken with the SPNEGO OID: NegTokenInit, inner token inspected;
 * - `60 …` with a krb5 OID (standard or Microsoft's): raw Kerberos AP-REQ/AP-REP/KRB-ERROR;
 * - `a0 …` / `a1 …`: a NegotiationToken without framing (every SPNEGO token after the first);
 * - `NTLMSSP\0…`: a raw NTLM message.
 *
 * @throws {@link ProtocolParseError} for empty, oversize (`negotiate`/`too-large`, over
 *   {@link MAX_NEGOTIATE_TOKEN_BYTES}), unrecognised or malformed tokens. Nothing else.
 */
export function inspectNegotiateToken(bytes: Uint8Array): NegotiateTokenInfo {
  if (bytes.length === 0) fail('empty');
  if (bytes.length > MAX_NEGOTIATE_TOKEN_BYTES) fail('too-large');
  const first = bytes[0];
  if (isNtlmMessage(bytes))
    return result(bytes.length, 'raw', ntlmFacts(bytes, { start: 0, end: bytes.length }));
  if (first === 0x60) {
    const framed = readGssFraming(bytes, 0, bytes.length);
    if (framed.mech === MechOid.spnego) return inspectSpnego(bytes, framed.inner.start, framed.inner.end);
    return result(bytes.length, 'gss', inspectMechToken(bytes, { start: 0, end: bytes.length }));
  }
  if (first === 0xa0 || first === 0xa1) return inspectSpnego(bytes, 0, bytes.length);
  return fail('unrecognised-token', 0);
}

/**
 * Whether a client token completes the client's side: an NTLM AUTHENTICATE or a Kerberos
 * AP-REQ. After it, a bare `401 Negotiate` from the CAS is a refusal, not a next step.
 */
export function isFinalClientToken(info: NegotiateTokenInfo): boolean {
  return info.kind === 'ntlm-authenticate' || info.kind === 'kerberos-ap-req';
}

/** Whether a server token says "no": a SPNEGO `reject` or a Kerberos KRB-ERROR. */
export function isRejectionToken(info: NegotiateTokenInfo): boolean {
  return (
    (info.spnego?.token === 'resp' && info.spnego.negState === 'reject') || info.kind === 'kerberos-error'
  );
}
