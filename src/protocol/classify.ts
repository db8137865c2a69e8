/**
 * Pure classification of the CAS's answers into the relay's next step or a stable error code.
 * The relay does the I/O; these functions only read what came back (the `processXResponse`
 * half of oauth4webapi's pairs). None of them throws: every outcome, errors included, is a
 * value, so the relay has one `switch` per step.
 *
 * The contract, step by step (docs/architecture.md §2):
 *
 * | step | CAS answer | outcome |
 * |---|---|---|
 * | anonymous probe | 401 offering `Negotiate` | `offer` (all scheme names) |
 * | | 401 without `Negotiate` | `CAS_NO_NEGOTIATE` `{offered}` (scheme names only) |
 * | | 2xx | `CAS_PROTOCOL_ERROR` `no-authentication-required` |
 * | any | 3xx | `CAS_PROTOCOL_ERROR` `redirect` (redirects are never followed) |
 * | any | 5xx, SOAP fault | `CAS_PROTOCOL_ERROR` `soap-fault` `{faultCode, responseCode}` |
 * | any | other 5xx / 4xx | `CAS_PROTOCOL_ERROR` `server-error` / `unexpected-status` |
 * | any | malformed `WWW-Authenticate` | `CAS_PROTOCOL_ERROR` `www-authenticate-…` |
 * | handshake leg | 401 `Negotiate <token>` (not a rejection) | `continue` with the token |
 * | | 401 without `Negotiate` (whatever the client sent) | `CAS_NO_NEGOTIATE` `{offered}` |
 * | | 401 bare `Negotiate`, a SPNEGO reject, a KRB-ERROR | `AUTH_REJECTED` `{mechanism, hint}` with a remedy for that mechanism, or `EXTENDED_PROTECTION_SUSPECTED` when the client's NTLM AUTHENTICATE carried channel bindings, or a Kerberos ticket was refused while our certificate and the CAS's differ (`likelyCauses`, most likely first) |
 * | | 2xx | `authenticated`, with the mutual-auth token if the CAS sent one |
 * | GetFolder / ConvertId | 200 + Success | the folder id / the AlternateId |
 * | | 200 + Error/Warning | `CAS_PROTOCOL_ERROR` `ews-error` `{responseCode}` |
 * | | 401 | `CAS_PROTOCOL_ERROR` `identity-probe-unauthenticated` |
 * | identity | proven ≠ claimed (case-insensitive) | `IDENTITY_MISMATCH` `{claimed, proven}` |
 * | | no Mailbox / our placeholder echoed | `CAS_PROTOCOL_ERROR` `no-proven-mailbox` / `placeholder-echoed` |
 *
 * Error details never hold a token, a challenge or base64: only scheme names, mechanism,
 * names an NTLM AUTHENTICATE shows in clear (user, domain, workstation), a Kerberos ticket's
 * realm/SPN/kvno, EWS response codes and a `hint`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4559#section-5 (the 401 / 200 exchange)
 * @see https://www.rfc-editor.org/rfc/rfc7235#section-3.1
 * @module
 */

import type { EndPointMatch } from './channel-binding.ts';
import { IwaError, type ErrorCode } from './errors.ts';
import {
  EWS_PLACEHOLDER_MAILBOX,
  findSoapFault,
  parseConvertIdResponse,
  parseGetFolderResponse,
  type AlternateIdValue,
  type EwsError,
  type EwsResult,
  type FolderIdValue,
  type ServerVersionInfo,
} from './ews.ts';
import { findChallenge, negotiateToken, parseWwwAuthenticate, type AuthChallenge } from './http-auth.ts';
import { isSmtpAddress, normaliseMailbox } from './mailbox.ts';
import {
  inspectNegotiateToken,
  isRejectionToken,
  type NegotiateMechanism,
  type NegotiateTokenInfo,
} from './negotiate.ts';
import { ProtocolParseError, toIwaError } from './parse-error.ts';

/** What the relay saw from the CAS. */
export interface CasAnswer {
  readonly status: number;
  /** Every `WWW-Authenticate` value, in order (an empty array when there was none). */
  readonly wwwAuthenticate: readonly string[];
  /** The response body as text, when it was read; used to recognise SOAP faults. */
  readonly body?: string;
}

/** An error outcome. */
export interface ErrorOutcome {
  readonly kind: 'error';
  readonly error: IwaError;
}

function error(code: ErrorCode, details: Record<string, unknown>): ErrorOutcome {
  return { kind: 'error', error: new IwaError(code, details) };
}

function casProtocolError(reason: string, details: Record<string, unknown> = {}): ErrorOutcome {
  return error('CAS_PROTOCOL_ERROR', { reason, ...details });
}

function parseChallenges(answer: CasAnswer): AuthChallenge[] | ErrorOutcome {
  try {
    return parseWwwAuthenticate(answer.wwwAuthenticate);
  } catch (err) {
    return { kind: 'error', error: toIwaError(err, 'CAS_PROTOCOL_ERROR') };
  }
}

/** The outcome for a status that no step expects, SOAP faults recognised. */
function unexpectedStatus(answer: CasAnswer): ErrorOutcome {
  const { status } = answer;
  if (status >= 300 && status < 400) return casProtocolError('redirect', { status });
  if (status >= 500) {
    const fault = answer.body === undefined ? undefined : findSoapFault(answer.body);
    if (fault !== undefined) {
      return casProtocolError('soap-fault', {
        status,
        faultCode: fault.faultCode,
        ...(fault.responseCode === undefined ? {} : { responseCode: fault.responseCode }),
      });
    }
    return casProtocolError('server-error', { status });
  }
  if (status === 403) return casProtocolError('forbidden', { status });
  if (status === 404) return casProtocolError('not-found', { status });
  return casProtocolError('unexpected-status', { status });
}

// ---------------------------------------------------------------------------------------------
// The anonymous probe
// ---------------------------------------------------------------------------------------------

/** The probe found Negotiate among the offered schemes. */
export interface OfferOutcome {
  readonly kind: 'offer';
  /** Every scheme the CAS offered, as sent (e.g. `["Negotiate", "NTLM"]`). */
  readonly schemes: readonly string[];
}

/**
 * Classify the answer to the anonymous probe (an EWS POST without `Authorization`). Windows
 * authentication must answer 401 and offer `Negotiate`.
 */
export function classifyProbe(answer: CasAnswer): OfferOutcome | ErrorOutcome {
  if (answer.status >= 200 && answer.status < 300) return casProtocolError('no-authentication-required');
  if (answer.status !== 401) return unexpectedStatus(answer);
  const challenges = parseChallenges(answer);
  if (!Array.isArray(challenges)) return challenges;
  const schemes = challenges.map((c) => c.scheme);
  if (findChallenge(challenges, 'Negotiate') === undefined) {
    return error('CAS_NO_NEGOTIATE', { offered: schemes });
  }
  return { kind: 'offer', schemes };
}

// ---------------------------------------------------------------------------------------------
// Handshake legs
// ---------------------------------------------------------------------------------------------

/** Why a refusal probably happened, read from the client's token. Stable strings. */
export type RefusalHint =
  /** An NTLM AUTHENTICATE with no user and no response: Windows had no credentials to offer. */
  | 'anonymous'
  /** domain == workstation: a local account, the PC is probably not in the domain. */
  | 'local-account'
  /** The client answered with NTLMv1, which domain policy usually refuses. */
  | 'ntlmv1'
  /** The CAS refused a Kerberos ticket; `likelyCauses` orders the reasons by the evidence. */
  | 'kerberos-ticket-refused'
  /** The client's NTLM AUTHENTICATE was bound to a TLS channel (Extended Protection). */
  | 'channel-binding'
  /** The CAS refused the first NTLM message (gss-ntlmssp refuses one without a Version). */
  | 'ntlm-negotiate-refused'
  /** Credentials were refused and the token shows nothing unusual: wrong password, disabled… */
  | 'credentials-refused';

/** Non-secret facts about the client's side, for the error detail and the audit trail. */
export interface ClientDiagnosis {
  readonly mechanism: NegotiateMechanism;
  readonly hint: RefusalHint;
  readonly user?: string;
  readonly domain?: string;
  readonly workstation?: string;
  /** Kerberos: the SPN the ticket was issued for, its realm and key version. */
  readonly servicePrincipal?: string;
  readonly realm?: string;
  readonly ticketKvno?: number;
  /** Kerberos: the KRB-ERROR the CAS answered with, by name or number. */
  readonly kerberosError?: string;
  /** NTLM NEGOTIATE: whether the 8-byte Version field was present. */
  readonly ntlmVersionPresent?: boolean;
  /** Kerberos: why the CAS probably refused the ticket, most likely first. */
  readonly likelyCauses?: readonly KerberosRefusalCause[];
}

/**
 * Why a CAS refuses a Kerberos ticket that the KDC issued. Stable strings.
 * - `relay-spn`: the ticket is for `HTTP/<our public host>`, and that SPN is not on the account
 *   the Exchange servers run as (or is on another account), so the CAS cannot decrypt it.
 * - `extended-protection`: our certificate and the CAS's differ, so a client that binds its
 *   token to the certificate it sees (Windows) is bound to ours, and EPA "Required" refuses.
 * - `clock-skew`: the authenticator's time is more than 5 minutes off the CAS's clock.
 */
export type KerberosRefusalCause = 'relay-spn' | 'extended-protection' | 'clock-skew';

/**
 * Orders the likely causes of a refused Kerberos ticket by the evidence at hand (RFC 4120
 * §7.5.9 error codes; docs/admin-guide.md "Extended Protection"): a KRB-ERROR is the CAS's own
 * word (skew → clock first; any other → the ticket and its SPN first); without one, certificates
 * that differ make EPA the likeliest (GSSAPI refuses a binding mismatch with no KRB-ERROR); a
 * missing relay SPN, then clock skew, follow.
 */
export function kerberosRefusalCauses(
  kerberosError: string | undefined,
  endPoints: EndPointMatch | undefined,
): KerberosRefusalCause[] {
  const epa: KerberosRefusalCause[] = endPoints === 'differ' ? ['extended-protection'] : [];
  if (kerberosError === 'KRB_AP_ERR_SKEW') return ['clock-skew', ...epa, 'relay-spn'];
  // Any other KRB-ERROR (a key it cannot use, an expired or replayed ticket…) is the CAS's own
  // word on the ticket, stronger than our guess: a channel-binding failure comes back without one.
  if (kerberosError !== undefined) return ['relay-spn', ...epa, 'clock-skew'];
  return [...epa, 'relay-spn', 'clock-skew'];
}

const REMEDY: Readonly<Record<RefusalHint, string>> = {
  anonymous:
    'Windows had no domain credentials to offer: sign in to Windows with a domain account, and add this site to the Local intranet zone.',
  'local-account':
    'The PC signed in with a local account (domain = workstation): sign in to Windows with a domain account on a domain-joined PC.',
  ntlmv1:
    'The client answered with NTLMv1: set LmCompatibilityLevel to 3 or higher on the client (NTLMv2 only).',
  'kerberos-ticket-refused':
    'Register the SPN HTTP/<public host of this backend> on the account the Exchange servers run as (setspn -S, on the ASA or computer account, and on no other account), and check that client, DC and CAS clocks agree within 5 minutes.',
  'channel-binding':
    "Serve the backend with the CAS's own certificate and key, or set Extended Protection on the EWS virtual directory to None (Accept still refuses Windows clients, which bind; admin guide, Extended Protection).",
  'ntlm-negotiate-refused':
    'The CAS refused the first NTLM message: check that NTLM is allowed on the CAS (domain policy).',
  'credentials-refused':
    'Check that the user account is enabled, not locked out, and that the PC is joined to the domain.',
};

/**
 * Read the likely cause of a refusal from the client's last token (and the CAS's rejection
 * token, if it sent one, and whether our certificate and the CAS's differ). Holds no secret:
 * see {@link ClientDiagnosis}.
 */
export function diagnoseRefusal(
  client: NegotiateTokenInfo | undefined,
  server?: NegotiateTokenInfo,
  endPoints?: EndPointMatch,
): ClientDiagnosis {
  const mechanism = client?.mechanism ?? 'unknown';
  const ntlm = client?.ntlm;
  if (ntlm?.messageType === 'authenticate') {
    const names = { user: ntlm.user, domain: ntlm.domain, workstation: ntlm.workstation };
    let hint: RefusalHint = 'credentials-refused';
    if (ntlm.anonymous) hint = 'anonymous';
    // Bound to the certificate the CAS itself presented (our own password sign-in, or a relay
    // serving the CAS's certificate): the binding matches, so it is not why the CAS said no.
    else if (ntlm.channelBindings === 'present' && endPoints !== 'same') hint = 'channel-binding';
    else if (ntlm.domain !== '' && ntlm.domain.toUpperCase() === ntlm.workstation.toUpperCase())
      hint = 'local-account';
    else if (ntlm.response === 'ntlmv1') hint = 'ntlmv1';
    return { mechanism, hint, ...names };
  }
  if (ntlm?.messageType === 'negotiate') {
    return { mechanism, hint: 'ntlm-negotiate-refused', ntlmVersionPresent: ntlm.hasVersion };
  }
  if (client?.kerberos?.kind === 'ap-req') {
    const k = client.kerberos;
    const krbError = server?.kerberos?.kind === 'error' ? server.kerberos : undefined;
    const kerberosError =
      krbError?.errorName ?? (krbError?.errorCode === undefined ? undefined : String(krbError.errorCode));
    const likelyCauses = kerberosRefusalCauses(kerberosError, endPoints);
    return {
      mechanism,
      hint: likelyCauses[0] === 'extended-protection' ? 'channel-binding' : 'kerberos-ticket-refused',
      likelyCauses,
      ...(k.servicePrincipal === undefined ? {} : { servicePrincipal: k.servicePrincipal }),
      ...(k.realm === undefined ? {} : { realm: k.realm }),
      ...(k.ticketKvno === undefined ? {} : { ticketKvno: k.ticketKvno }),
      ...(kerberosError === undefined ? {} : { kerberosError }),
    };
  }
  return { mechanism, hint: 'credentials-refused' };
}

/**
 * Whether a relayed NTLM AUTHENTICATE's `MsvAvTargetName` (MS-NLMP §2.2.2.1, §3.1.5.1.2) names
 * one of our own HTTP services: `HTTP/<host>` (a `:port` or `@REALM` suffix allowed) for one of
 * `hosts`, case-insensitive. None (or empty) passes: older clients send no target name, and
 * then only the CAS's own checks apply.
 */
export function ntlmTargetAllowed(
  targetName: string | undefined,
  hosts: readonly (string | undefined)[],
): boolean {
  if (targetName === undefined || targetName === '') return true;
  const m = /^([^/]+)\/([^:/@]+)(?::\d+)?(?:@[^/@]+)?$/.exec(targetName);
  if (m === null || m[1]?.toUpperCase() !== 'HTTP') return false;
  const host = (m[2] ?? '').toLowerCase().replace(/\.$/, '');
  return hosts.some((h) => h !== undefined && h.toLowerCase().replace(/\.$/, '') === host);
}

/** The CAS wants another leg: send its token to the browser in a 401. */
export interface ContinueOutcome {
  readonly kind: 'continue';
  readonly token: Uint8Array;
  /** The server token, inspected, when we could read it (undefined if not: it is forwarded anyway). */
  readonly serverToken?: NegotiateTokenInfo;
  /** Why the server token could not be read, for a caller that must read it (our NTLM client). */
  readonly serverTokenError?: ProtocolParseError;
}

/** The CAS accepted the handshake. */
export interface AuthenticatedOutcome {
  readonly kind: 'authenticated';
  /** The CAS's mutual-authentication token, to relay in `WWW-Authenticate: Negotiate …`. */
  readonly mutualToken?: Uint8Array;
  readonly serverToken?: NegotiateTokenInfo;
}

/** Input of {@link classifyLeg}. */
export interface LegAnswer extends CasAnswer {
  /** The client's token on this leg, inspected ({@link inspectNegotiateToken}). */
  readonly clientToken?: NegotiateTokenInfo;
  /**
   * Whether the certificate the client saw and the CAS's have the same RFC 5929
   * `tls-server-end-point`; undefined when unknown (e.g. the backend talks to the CAS itself).
   */
  readonly endPoints?: EndPointMatch;
}

function tryInspect(token: Uint8Array): { info?: NegotiateTokenInfo; error?: ProtocolParseError } {
  try {
    return { info: inspectNegotiateToken(token) };
  } catch (err) {
    // A server token we cannot read is still the browser's business: forward it untouched.
    return err instanceof ProtocolParseError ? { error: err } : {};
  }
}

/**
 * Classify the CAS's answer to one relayed handshake leg (EWS POST with
 * `Authorization: Negotiate <client token>`).
 */
export function classifyLeg(answer: LegAnswer): ContinueOutcome | AuthenticatedOutcome | ErrorOutcome {
  const { status } = answer;
  const is2xx = status >= 200 && status < 300;
  if (!is2xx && status !== 401) return unexpectedStatus(answer);
  const challenges = parseChallenges(answer);
  if (!Array.isArray(challenges)) return challenges;
  const negotiate = findChallenge(challenges, 'Negotiate');
  // A 401 that offers no Negotiate is not a refusal of this token: Windows authentication is
  // off (or never was on) for this URL, whatever the client sent (RFC 4559 §5).
  if (status === 401 && negotiate === undefined) {
    return error('CAS_NO_NEGOTIATE', { offered: challenges.map((c) => c.scheme) });
  }
  let token: Uint8Array | undefined;
  if (negotiate !== undefined) {
    try {
      token = negotiateToken(negotiate);
    } catch (err) {
      return { kind: 'error', error: toIwaError(err, 'CAS_PROTOCOL_ERROR') };
    }
  }
  const inspected = token === undefined ? {} : tryInspect(token);
  const serverToken = inspected.info;

  if (is2xx) {
    return {
      kind: 'authenticated',
      ...(token === undefined ? {} : { mutualToken: token }),
      ...(serverToken === undefined ? {} : { serverToken }),
    };
  }
  if (token !== undefined && !(serverToken !== undefined && isRejectionToken(serverToken))) {
    return {
      kind: 'continue',
      token,
      ...(serverToken === undefined ? {} : { serverToken }),
      ...(inspected.error === undefined ? {} : { serverTokenError: inspected.error }),
    };
  }
  // A bare `Negotiate` (or none, or an explicit rejection): the CAS said no.
  const diagnosis = diagnoseRefusal(answer.clientToken, serverToken, answer.endPoints);
  const code = diagnosis.hint === 'channel-binding' ? 'EXTENDED_PROTECTION_SUSPECTED' : 'AUTH_REJECTED';
  return { kind: 'error', error: new IwaError(code, { ...diagnosis }, undefined, REMEDY[diagnosis.hint]) };
}

// ---------------------------------------------------------------------------------------------
// The identity probe (GetFolder, then ConvertId)
// ---------------------------------------------------------------------------------------------

/** GetFolder succeeded: the caller's msgfolderroot EwsId. */
export interface FolderOutcome {
  readonly kind: 'folder';
  readonly folder: FolderIdValue;
  readonly serverVersion?: ServerVersionInfo;
}

/** ConvertId succeeded: the AlternateId, whose `mailbox` is the proven address. */
export interface ConvertedOutcome {
  readonly kind: 'converted';
  readonly alternateId: AlternateIdValue;
  readonly serverVersion?: ServerVersionInfo;
}

function ewsErrorOutcome(step: string, e: EwsError, status: number): ErrorOutcome {
  if (e.kind === 'fault') {
    return casProtocolError('soap-fault', {
      step,
      status,
      faultCode: e.faultCode,
      ...(e.responseCode === undefined ? {} : { responseCode: e.responseCode }),
    });
  }
  return casProtocolError('ews-error', {
    step,
    responseClass: e.responseClass,
    responseCode: e.responseCode,
  });
}

function classifyEws<T>(
  step: 'GetFolder' | 'ConvertId',
  answer: CasAnswer,
  parse: (xml: string) => EwsResult<T>,
): { ok: true; value: T; version: { readonly serverVersion?: ServerVersionInfo } } | ErrorOutcome {
  const { status } = answer;
  // The identity probe runs on the already-authenticated connection; a 401 means the CAS did
  // not keep that connection authenticated (or dropped it), so the probe cannot prove anyone.
  if (status === 401) return casProtocolError('identity-probe-unauthenticated', { step, status });
  if (status !== 200 && status !== 500) return unexpectedStatus(answer);
  if (answer.body === undefined || answer.body === '')
    return casProtocolError('empty-body', { step, status });
  let result: EwsResult<T>;
  try {
    result = parse(answer.body);
  } catch (err) {
    const e = toIwaError(err, 'CAS_PROTOCOL_ERROR');
    return error(e.code, { ...e.details, step, status });
  }
  if (!result.ok) return ewsErrorOutcome(step, result.error, status);
  if (status !== 200) return casProtocolError('unexpected-status', { step, status });
  return {
    ok: true,
    value: result.value,
    version: result.serverVersion === undefined ? {} : { serverVersion: result.serverVersion },
  };
}

/**
 * Classify the answer that carried the final handshake leg's `GetFolder` (msgfolderroot).
 *
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getfolder-operation
 */
export function classifyGetFolder(answer: CasAnswer): FolderOutcome | ErrorOutcome {
  const r = classifyEws('GetFolder', answer, parseGetFolderResponse);
  return 'kind' in r ? r : { kind: 'folder', folder: r.value, ...r.version };
}

/**
 * Classify the answer to `ConvertId` of that folder's EwsId.
 *
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/convertid-operation
 */
export function classifyConvertId(answer: CasAnswer): ConvertedOutcome | ErrorOutcome {
  const r = classifyEws('ConvertId', answer, parseConvertIdResponse);
  return 'kind' in r ? r : { kind: 'converted', alternateId: r.value, ...r.version };
}

/** The CAS proved the claimed mailbox. */
export interface ProvenOutcome {
  readonly kind: 'proven';
  /** The proven primary SMTP address, normalised (lower case). */
  readonly mailbox: string;
}

/**
 * Compare the mailbox ConvertId proved with the one the client claimed (case-insensitive).
 *
 * @returns `proven`, `IDENTITY_MISMATCH` `{claimed, proven}`, or `CAS_PROTOCOL_ERROR`
 *   `no-proven-mailbox` when the AlternateId carried no usable SMTP address, or
 *   `placeholder-echoed` when it carried our own placeholder back: a server that echoes the
 *   request's Mailbox proves nothing, and must never "prove" a client that claims the
 *   placeholder.
 */
export function classifyIdentity(converted: AlternateIdValue, claimed: string): ProvenOutcome | ErrorOutcome {
  const proven = converted.mailbox === undefined ? undefined : normaliseMailbox(converted.mailbox);
  if (proven === undefined || !isSmtpAddress(proven)) return casProtocolError('no-proven-mailbox');
  if (proven === normaliseMailbox(EWS_PLACEHOLDER_MAILBOX)) return casProtocolError('placeholder-echoed');
  const claim = normaliseMailbox(claimed);
  if (proven !== claim) return error('IDENTITY_MISMATCH', { claimed: claim, proven });
  return { kind: 'proven', mailbox: proven };
}
