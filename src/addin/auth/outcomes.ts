import type { Failure, OutcomeCode } from '../api/failure.ts';

/** Who can fix a problem. */
export type Fixer = 'you' | 'admin' | 'you-then-admin' | 'nobody';

export const FIXER_TEXT: Record<Fixer, string> = {
  you: 'You',
  admin: 'Your IT admin',
  'you-then-admin': 'You first; your IT admin if that does not help',
  nobody: 'Nobody: this is how your mailbox is set up',
};

/** The explanation of one outcome, in plain words. */
export interface Explanation {
  readonly title: string;
  /** What happened. */
  readonly what: string;
  readonly who: Fixer;
  /** The exact next step. */
  readonly next: string;
}

/** Facts an explanation may quote. */
export interface ExplainContext {
  /** The Outlook mailbox. */
  readonly mailbox: string;
  /** Our own host name, as the browser must trust it for Windows authentication. */
  readonly site: string;
}

type Explain = (f: Failure, ctx: ExplainContext) => Explanation;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): string | undefined =>
  Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') || undefined : text(v);

const ANOTHER_WAY = 'Meanwhile, sign in another way if one is offered below.';

const generic: Explain = (f) => ({
  title: 'Something went wrong',
  what: `The sign-in service reported a problem (code ${f.code}${f.status ? `, HTTP ${f.status}` : ''}).`,
  who: 'admin',
  next: `Try again later. If it keeps happening, tell your IT admin the code ${f.code}.`,
});

/**
 * The one table of explanations, keyed by outcome code. Codes not listed here get a generic
 * explanation that names the code.
 */
export const EXPLANATIONS: Partial<Record<OutcomeCode, Explain>> = {
  CAS_NO_NEGOTIATE: (f) => {
    const offered = list(f.details.offered);
    return {
      title: 'Exchange does not offer Windows sign-in',
      what: `Your organisation's Exchange server has Windows authentication turned off for Exchange Web Services${offered ? ` (it offers only: ${offered})` : ''}.`,
      who: 'admin',
      next: `Ask your Exchange admin to enable Windows Authentication (Negotiate) on the EWS virtual directory in IIS. ${ANOTHER_WAY}`,
    };
  },
  AUTH_REJECTED: () => ({
    title: 'Exchange did not accept your Windows sign-in',
    what: 'Exchange refused the credentials Windows sent. Usually this PC is not joined to your organisation’s domain, you are signed in to Windows with a local account, or your account is locked or disabled.',
    who: 'you-then-admin',
    next: 'Sign in to Windows with your work account on a PC in your organisation’s domain, then choose Try again. If that is already the case, ask your IT admin to check your account.',
  }),
  EXTENDED_PROTECTION_SUSPECTED: () => ({
    title: 'Exchange’s Extended Protection blocked the sign-in',
    what: 'Exchange checks that a Windows sign-in was made for its own certificate (Extended Protection). Our sign-in service uses a different certificate, so Exchange refused it.',
    who: 'admin',
    next: `Ask your Exchange admin to serve the sign-in service with the Exchange server’s certificate, or to turn Extended Protection off on the EWS front-end virtual directory. ${ANOTHER_WAY}`,
  }),
  IDENTITY_MISMATCH: (f, ctx) => {
    const claimed = text(f.details.claimed) ?? ctx.mailbox;
    const proven = text(f.details.proven);
    return {
      title: 'You are signed in to Windows as someone else',
      what: `Windows proved the mailbox ${proven ?? 'of a different user'}, but Outlook is open for ${claimed}.`,
      who: 'you',
      next: `Sign in to Windows as the owner of ${claimed}, or sign in below with the password of ${claimed}.`,
    };
  },
  CAS_UNREACHABLE: () => ({
    title: 'The Exchange server cannot be reached',
    what: 'Our sign-in service could not connect to your organisation’s Exchange server.',
    who: 'admin',
    next: 'Ask your IT admin to check the Exchange address in the authentication profile, DNS, and the firewall between the sign-in service and Exchange. Then try again.',
  }),
  CAS_TLS_UNTRUSTED: () => ({
    title: 'Exchange’s certificate is not trusted',
    what: 'The sign-in service could not verify the Exchange server’s certificate, so it stopped to keep you safe.',
    who: 'admin',
    next: 'Ask your IT admin to add the certificate authority that issued Exchange’s certificate to the authentication profile, or to renew the certificate.',
  }),
  CAS_PROTOCOL_ERROR: () => ({
    title: 'Exchange answered in an unexpected way',
    what: 'The sign-in service reached Exchange, but the answer was not what Exchange Web Services sends.',
    who: 'admin',
    next: 'Ask your IT admin to check that the profile’s Exchange URL ends in /EWS/Exchange.asmx and that no proxy rewrites it.',
  }),
  PROFILE_NOT_FOUND: (_f, ctx) => ({
    title: 'Sign-in is not set up for your mailbox',
    what: `No authentication profile covers ${ctx.mailbox}.`,
    who: 'admin',
    next: 'Ask your IT admin to create a default authentication profile, or one that includes your email domain.',
  }),
  METHOD_DISABLED: () => ({
    title: 'This sign-in method is turned off for you',
    what: 'Your admin has not enabled this sign-in method in your authentication profile.',
    who: 'admin',
    next: `Ask your IT admin to enable it, or use another method below.`,
  }),
  RATE_LIMITED: () => ({
    title: 'Too many sign-in attempts',
    what: 'To protect your account from lock-out, the sign-in service is pausing attempts for your mailbox or this computer.',
    who: 'you',
    next: 'Wait a few minutes, then choose Try again once.',
  }),
  HANDSHAKE_INVALID: () => ({
    title: 'The Windows sign-in was interrupted',
    what: 'The sign-in exchange between Outlook and our service did not complete in order. A proxy or load balancer that mixes up connections can cause this.',
    who: 'you-then-admin',
    next: 'Choose Try again once. If it happens again, ask your IT admin to reach the sign-in service over HTTP/1.1 with connection affinity (no connection-sharing proxy).',
  }),
  HANDSHAKE_CAPACITY: () => ({
    title: 'The sign-in service is busy',
    what: 'Too many people are signing in at this moment.',
    who: 'you',
    next: 'Wait a minute, then choose Try again.',
  }),
  REQUEST_TOO_LARGE: () => ({
    title: 'Your Windows sign-in was too large',
    what: 'The sign-in sent by Windows was larger than the sign-in service accepts. Very large Kerberos tickets (many group memberships) cause this.',
    who: 'admin',
    next: 'Ask your IT admin to raise the header size limit of the sign-in service and any proxy in front of it.',
  }),
  BROWSER_NO_CREDENTIALS: (_f, ctx) => ({
    title: 'Windows did not send your sign-in',
    what: `Outlook’s browser was asked for your Windows sign-in but did not offer it. Browsers only do that for sites trusted for Windows authentication, and ${ctx.site} is not one yet.`,
    who: 'admin',
    next: `Ask your IT admin to add ${ctx.site} to the Local intranet zone (Group Policy “Site to Zone Assignment List”) and to the AuthServerAllowlist policy for Microsoft Edge WebView2, then restart Outlook.`,
  }),
  NETWORK_FAILURE: (_f, ctx) => ({
    title: 'No connection to the sign-in service',
    what: `Outlook could not reach the sign-in service at ${ctx.site}.`,
    who: 'you-then-admin',
    next: 'Check that you are connected to your organisation’s network or VPN, then choose Try again. If colleagues have the same problem, tell your IT admin.',
  }),
  UNEXPECTED_RESPONSE: (f) => ({
    title: 'The sign-in service answered unexpectedly',
    what: `The answer could not be read${f.status ? ` (HTTP ${f.status})` : ''}. A proxy between Outlook and the service may have changed it.`,
    who: 'admin',
    next: 'Try again later. If it keeps happening, tell your IT admin.',
  }),
  OFFICE_365: (_f, ctx) => ({
    title: 'Office 365 mailboxes cannot use Windows sign-in',
    what: `${ctx.mailbox} is in Office 365 (Exchange Online). Windows sign-in here works only with your organisation’s own Exchange servers.`,
    who: 'nobody',
    next: 'Use another sign-in method below if your admin has enabled one.',
  }),
  CONSUMER_ACCOUNT: (_f, ctx) => ({
    title: 'This is not a work mailbox',
    what: `${ctx.mailbox} is a personal Outlook.com or Gmail account. These sign-in methods are for your organisation’s Exchange mailbox.`,
    who: 'nobody',
    next: 'Open Outlook with your work mailbox and try again.',
  }),
  HOST_TOKEN_UNAVAILABLE: () => ({
    title: 'Outlook did not provide an identity token',
    what: 'This version of Outlook, or your Exchange server, did not hand out an Exchange identity token.',
    who: 'admin',
    next: 'Use Windows sign-in or your password instead. Admins: identity tokens need Exchange 2013 or later.',
  }),
  IDENTITY_TOKEN_UNBOUND: () => ({
    title: 'Sign in once with Windows or your password first',
    what: 'Outlook’s identity token is not linked to your mailbox yet. It is linked the first time you sign in with Windows sign-in or your password.',
    who: 'you',
    next: 'Sign in once with Windows sign-in or your password. After that, this method signs you in silently.',
  }),
  IDENTITY_TOKEN_INVALID: (f) => {
    const reason = text(f.details.reason);
    return {
      title: 'Outlook’s identity token was refused',
      what: `The sign-in service could not validate Outlook’s identity token${reason ? ` (failed check: ${reason})` : ''}.`,
      who: 'admin',
      next: 'Use another sign-in method. Admins: check that the profile trusts your Exchange server and that server clocks are in sync.',
    };
  },
  SESSION_INVALID: () => ({
    title: 'Your session has ended',
    what: 'Your session expired or was signed out.',
    who: 'you',
    next: 'Sign in again.',
  }),
  MAILBOX_INVALID: () => ({
    title: 'Outlook gave an unusable mailbox address',
    what: 'The address Outlook reported for your mailbox is not a valid email address.',
    who: 'admin',
    next: 'Tell your IT admin; the Outlook profile may be set up incorrectly.',
  }),
};

/** Explains a failure from its code. */
export function explain(failure: Failure, ctx: ExplainContext): Explanation {
  return (EXPLANATIONS[failure.code] ?? generic)(failure, ctx);
}
