/**
 * Read-only inspection of the Kerberos messages that travel inside Negotiate: the krb5 GSS
 * token framing (RFC 4121 §4.1, TOK_ID 01 00 / 02 00 / 03 00) around an AP-REQ, AP-REP or
 * KRB-ERROR (RFC 4120 §5.5.1, §5.5.2, §5.9.1).
 *
 * Only clear-text metadata is read, for diagnosis: the ticket's realm and service principal
 * (is the browser asking for `HTTP/relay…`?), its encryption type and key version (does the CAS
 * hold that key?), and a KRB-ERROR's code. Encrypted parts are never returned.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4121#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc4120#section-5.5.1
 * @see https://www.rfc-editor.org/rfc/rfc4120#section-5.9.1
 * @module
 */

import {
  TagClass,
  UniversalTag,
  children,
  decodeInt32,
  decodeLatin1,
  decodeSmallUint,
  explicitInner,
  isTag,
  readElement,
  type DerElement,
} from './der.ts';
import { ProtocolParseError, type ParseReason } from './parse-error.ts';

/** What a krb5 GSS token carries, by TOK_ID (RFC 4121 §4.1). */
export type KerberosTokenKind = 'ap-req' | 'ap-rep' | 'error';

/** Clear-text facts of a Kerberos AP-REQ, AP-REP or KRB-ERROR. */
export interface KerberosInfo {
  readonly kind: KerberosTokenKind;
  /** AP-REQ: the ticket's realm. KRB-ERROR: the service realm. */
  readonly realm?: string;
  /** AP-REQ: the ticket's service principal, e.g. `HTTP/relay.corp.test`. KRB-ERROR: sname. */
  readonly servicePrincipal?: string;
  /** AP-REQ: the ticket's encryption type (RFC 3961 etype number, 18 = aes256-cts-hmac-sha1-96). */
  readonly ticketEtype?: number;
  /** AP-REQ: the service key version the ticket was encrypted with, if sent. */
  readonly ticketKvno?: number;
  /** AP-REQ: the client asked for mutual authentication (ap-options bit 2). */
  readonly mutualRequired?: boolean;
  /** KRB-ERROR: error-code (RFC 4120 §7.5.9) and its name when we know it. */
  readonly errorCode?: number;
  readonly errorName?: string;
}

/** Some RFC 4120 §7.5.9 error codes an acceptor sends back; enough to name the usual causes. */
export const KRB_ERROR_NAMES: Readonly<Record<number, string>> = {
  31: 'KRB_AP_ERR_BAD_INTEGRITY',
  32: 'KRB_AP_ERR_TKT_EXPIRED',
  33: 'KRB_AP_ERR_TKT_NYV',
  34: 'KRB_AP_ERR_REPEAT',
  35: 'KRB_AP_ERR_NOT_US',
  36: 'KRB_AP_ERR_BADMATCH',
  37: 'KRB_AP_ERR_SKEW',
  38: 'KRB_AP_ERR_BADADDR',
  39: 'KRB_AP_ERR_BADVERSION',
  40: 'KRB_AP_ERR_MSG_TYPE',
  41: 'KRB_AP_ERR_MODIFIED',
  42: 'KRB_AP_ERR_BADORDER',
  44: 'KRB_AP_ERR_BADKEYVER',
  45: 'KRB_AP_ERR_NOKEY',
  46: 'KRB_AP_ERR_MUT_FAIL',
  47: 'KRB_AP_ERR_BADDIRECTION',
  48: 'KRB_AP_ERR_METHOD',
  49: 'KRB_AP_ERR_BADSEQ',
  50: 'KRB_AP_ERR_INAPP_CKSUM',
  52: 'KRB_ERR_RESPONSE_TOO_BIG',
  60: 'KRB_ERR_GENERIC',
};

function fail(reason: ParseReason<'kerberos'>, offset?: number): never {
  throw new ProtocolParseError('kerberos', reason, offset);
}

/** The context-tagged fields `[n]` of a SEQUENCE, by n; the first occurrence wins. */
function fields(bytes: Uint8Array, seq: DerElement): Map<number, DerElement> {
  if (!isTag(seq, TagClass.universal, UniversalTag.sequence, true)) fail('expected-sequence', seq.start);
  const out = new Map<number, DerElement>();
  for (const el of children(bytes, seq)) {
    if (el.tagClass !== TagClass.context || !el.constructed) fail('unexpected-tag', el.start);
    if (!out.has(el.tagNumber)) out.set(el.tagNumber, explicitInner(bytes, el));
  }
  return out;
}

function principalName(bytes: Uint8Array, el: DerElement | undefined): string | undefined {
  if (el === undefined) return undefined;
  const f = fields(bytes, el);
  const names = f.get(1);
  if (names === undefined || !isTag(names, TagClass.universal, UniversalTag.sequence, true)) {
    fail('bad-principal-name', el.start);
  }
  return children(bytes, names)
    .map((n) => decodeLatin1(bytes, n))
    .join('/');
}

function smallUint(bytes: Uint8Array, el: DerElement | undefined): number | undefined {
  return el === undefined ? undefined : decodeSmallUint(bytes, el);
}

function parseApReq(bytes: Uint8Array, app: DerElement): KerberosInfo {
  const f = fields(bytes, explicitInner(bytes, app));
  const ticketApp = f.get(3);
  if (ticketApp === undefined || !isTag(ticketApp, TagClass.application, 1, true))
    fail('bad-ticket', app.start);
  const ticket = fields(bytes, explicitInner(bytes, ticketApp));
  const realmEl = ticket.get(1);
  const encPart = ticket.get(3);
  const enc = encPart === undefined ? undefined : fields(bytes, encPart);
  const etypeEl = enc?.get(0);
  const options = f.get(2);
  let mutualRequired: boolean | undefined;
  if (options !== undefined && isTag(options, TagClass.universal, UniversalTag.bitString, false)) {
    // BIT STRING: one "unused bits" octet, then bit 0 is the MSB. mutual-required is bit 2.
    const firstBits = options.end - options.contentStart >= 2 ? (bytes[options.contentStart + 1] ?? 0) : 0;
    mutualRequired = (firstBits & 0x20) !== 0;
  }
  const servicePrincipal = principalName(bytes, ticket.get(2));
  const ticketKvno = smallUint(bytes, enc?.get(1));
  return {
    kind: 'ap-req',
    ...(realmEl === undefined ? {} : { realm: decodeLatin1(bytes, realmEl) }),
    ...(servicePrincipal === undefined ? {} : { servicePrincipal }),
    ...(etypeEl === undefined ? {} : { ticketEtype: decodeInt32(bytes, etypeEl) }),
    ...(ticketKvno === undefined ? {} : { ticketKvno }),
    ...(mutualRequired === undefined ? {} : { mutualRequired }),
  };
}

function parseKrbError(bytes: Uint8Array, app: DerElement): KerberosInfo {
  const f = fields(bytes, explicitInner(bytes, app));
  const codeEl = f.get(6);
  const errorCode = codeEl === undefined ? undefined : decodeInt32(bytes, codeEl);
  const realmEl = f.get(9);
  const servicePrincipal = principalName(bytes, f.get(10));
  const errorName = errorCode === undefined ? undefined : KRB_ERROR_NAMES[errorCode];
  return {
    kind: 'error',
    ...(realmEl === undefined ? {} : { realm: decodeLatin1(bytes, realmEl) }),
    ...(servicePrincipal === undefined ? {} : { servicePrincipal }),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(errorName === undefined ? {} : { errorName }),
  };
}

/**
 * Inspect the Kerberos message that follows a krb5 GSS token's TOK_ID.
 *
 * @param bytes - the whole token buffer.
 * @param offset - where the TOK_ID starts (right after the mechanism OID).
 * @param end - the end of the GSS token.
 * @returns `undefined` for a TOK_ID we do not inspect (per-message tokens).
 * @throws {@link ProtocolParseError} (`kerberos` or `der`) when the message is malformed, or
 *   its outer tag does not match the TOK_ID.
 */
export function inspectKerberosToken(
  bytes: Uint8Array,
  offset: number,
  end: number,
): KerberosInfo | undefined {
  if (offset + 2 > end) fail('truncated', offset);
  const tokId = ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
  const kind: KerberosTokenKind | undefined =
    tokId === 0x0100 ? 'ap-req' : tokId === 0x0200 ? 'ap-rep' : tokId === 0x0300 ? 'error' : undefined;
  if (kind === undefined) return undefined;
  const app = readElement(bytes, offset + 2, end);
  if (app.end !== end) fail('trailing-data', app.end);
  // RFC 4120: AP-REQ is [APPLICATION 14], AP-REP [APPLICATION 15], KRB-ERROR [APPLICATION 30].
  const expected = kind === 'ap-req' ? 14 : kind === 'ap-rep' ? 15 : 30;
  if (!isTag(app, TagClass.application, expected, true)) fail('unexpected-tag', app.start);
  if (kind === 'ap-req') return parseApReq(bytes, app);
  if (kind === 'error') return parseKrbError(bytes, app);
  fields(bytes, explicitInner(bytes, app)); // check the AP-REP's shape; its content is encrypted
  return { kind: 'ap-rep' };
}
