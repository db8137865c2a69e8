/**
 * Named states of the pane for `npm run dev` (`?state=NAME`) and the component tests: every
 * card status and every wizard outcome, without a backend.
 */
import type { ErrorCode } from '../../protocol/errors.ts';
import { OfficeError, OfficeErrorCodes } from '../office/host.ts';
import type { FakeOfficeHostOptions } from '../office/fake-host.ts';
import { DIAGNOSE_BASIC_ONLY, type MockBackendOptions } from './mock-backend.ts';

export interface Scenario {
  readonly label: string;
  readonly office?: FakeOfficeHostOptions;
  readonly backend?: MockBackendOptions;
}

const failing = (error: ErrorCode, details: Record<string, unknown> = {}): MockBackendOptions => ({
  iwa: { error, details },
});

/** The wizard outcomes reachable from a failed IWA attempt. */
export const IWA_FAILURE_SCENARIOS: Record<string, Scenario> = {
  'outcome-CAS_NO_NEGOTIATE': {
    label: 'Outcome: Exchange offers no Negotiate (Basic only)',
    backend: { ...failing('CAS_NO_NEGOTIATE', { offered: ['Basic'] }), diagnose: DIAGNOSE_BASIC_ONLY },
  },
  'outcome-AUTH_REJECTED': { label: 'Outcome: credentials rejected', backend: failing('AUTH_REJECTED') },
  'outcome-EXTENDED_PROTECTION_SUSPECTED': {
    label: 'Outcome: Extended Protection',
    backend: failing('EXTENDED_PROTECTION_SUSPECTED'),
  },
  'outcome-IDENTITY_MISMATCH': {
    label: 'Outcome: Windows user ≠ Outlook mailbox',
    office: { mailbox: 'bob@corp.test' },
    backend: failing('IDENTITY_MISMATCH', { claimed: 'bob@corp.test', proven: 'alice@corp.test' }),
  },
  'outcome-CAS_UNREACHABLE': { label: 'Outcome: CAS unreachable', backend: failing('CAS_UNREACHABLE') },
  'outcome-CAS_TLS_UNTRUSTED': {
    label: 'Outcome: CAS certificate untrusted',
    backend: failing('CAS_TLS_UNTRUSTED'),
  },
  'outcome-RATE_LIMITED': { label: 'Outcome: rate limited', backend: failing('RATE_LIMITED') },
  'outcome-HANDSHAKE_INVALID': { label: 'Outcome: handshake invalid', backend: failing('HANDSHAKE_INVALID') },
  'outcome-BROWSER_NO_CREDENTIALS': {
    label: 'Outcome: browser offers no Windows credentials',
    backend: { iwa: { negotiate: true } },
  },
  'outcome-NETWORK_FAILURE': { label: 'Outcome: network failure', backend: { iwa: { network: true } } },
};

export const SCENARIOS: Record<string, Scenario> = {
  'iwa-kerberos': { label: 'Signed in silently: IWA (Kerberos)' },
  'iwa-ntlm': { label: 'Signed in silently: IWA (NTLM)', backend: { iwa: { ok: true, mechanism: 'ntlm' } } },
  'identity-token': {
    label: 'Signed in silently: identity token (IWA failed)',
    office: { identityToken: 'dev-identity-token' },
    backend: { iwa: { error: 'AUTH_REJECTED' }, identityToken: { ok: true } },
  },
  ...IWA_FAILURE_SCENARIOS,
  'outcome-PROFILE_NOT_FOUND': {
    label: 'Outcome: no profile',
    backend: { methods: { error: 'PROFILE_NOT_FOUND' } },
  },
  'outcome-METHOD_DISABLED': {
    label: 'Outcome: IWA disabled by admin',
    backend: {
      methods: [
        { method: 'iwa', enabled: false },
        { method: 'identity-token', enabled: false },
        { method: 'password', enabled: true },
      ],
    },
  },
  'outcome-IDENTITY_TOKEN_UNBOUND': {
    label: 'Outcome: identity token not bound yet',
    office: { identityToken: 'dev-identity-token' },
    backend: {
      methods: [
        { method: 'iwa', enabled: false },
        { method: 'identity-token', enabled: true },
        { method: 'password', enabled: true },
      ],
    },
  },
  office365: {
    label: 'Office 365 mailbox (accountType)',
    office: {
      mailbox: 'carol@contoso.onmicrosoft.com',
      accountType: 'office365',
      ewsUrl: 'https://outlook.office365.com/EWS/Exchange.asmx',
    },
  },
  'office365-ews': {
    label: 'Office 365 mailbox (ewsUrl only, Mailbox 1.5)',
    office: { sets: { Mailbox: '1.5' }, ewsUrl: 'https://outlook.office365.com/EWS/Exchange.asmx' },
  },
  'launched-for-help': {
    label: 'Opened from the “Fix sign-in” notification',
    office: { launchContext: JSON.stringify({ view: 'wizard' }) },
    backend: failing('AUTH_REJECTED'),
  },
  'old-outlook': {
    label: 'Mailbox 1.5 client (no InsightMessage)',
    office: { sets: { Mailbox: '1.5' } },
    backend: failing('AUTH_REJECTED'),
  },
  dark: { label: 'Dark Office theme', office: { theme: { isDark: true }, sets: { Mailbox: '1.14' } } },
  slow: { label: 'Slow start (progress)', office: { readyDelayMs: 1500 }, backend: { latencyMs: 1500 } },
  'not-in-outlook': {
    label: 'Opened outside Outlook',
    office: { readyError: new OfficeError('Office.onReady', OfficeErrorCodes.notInOutlook, 'NotInOutlook') },
  },
};
