import type { Failure, OutcomeCode } from '../api/failure.ts';
import type { HostFacts } from '../office/host.ts';

/** Where the Outlook mailbox lives, as far as the client tells us. */
export type AccountKind = 'on-premises' | 'office365' | 'consumer' | 'unknown';

/** Exchange Online EWS hosts (worldwide and sovereign clouds). */
const EXCHANGE_ONLINE_HOSTS = [
  /(^|\.)outlook\.office365\.com$/,
  /(^|\.)outlook\.office\.com$/,
  /(^|\.)outlook\.office365\.us$/,
  /(^|\.)office365\.us$/,
  /(^|\.)partner\.outlook\.cn$/,
  /(^|\.)outlook\.office\.de$/,
];

/**
 * Classifies the mailbox's account: `userProfile.accountType` where the client has it
 * (Mailbox 1.6), else the `ewsUrl` host. Office 365 mailboxes cannot use IWA.
 *
 * @see https://learn.microsoft.com/javascript/api/outlook/office.userprofile#outlook-office-userprofile-accounttype-member
 */
export function classifyAccount(facts: Pick<HostFacts, 'accountType' | 'ewsHost'>): {
  readonly kind: AccountKind;
  readonly evidence: 'accountType' | 'ewsUrl' | 'none';
} {
  switch (facts.accountType) {
    case 'enterprise':
      return { kind: 'on-premises', evidence: 'accountType' };
    case 'office365':
      return { kind: 'office365', evidence: 'accountType' };
    case 'outlookCom':
    case 'gmail':
      return { kind: 'consumer', evidence: 'accountType' };
    default:
      break;
  }
  const host = facts.ewsHost;
  if (host) {
    if (EXCHANGE_ONLINE_HOSTS.some((re) => re.test(host))) return { kind: 'office365', evidence: 'ewsUrl' };
    if (/(^|\.)outlook\.com$/.test(host)) return { kind: 'consumer', evidence: 'ewsUrl' };
    return { kind: 'on-premises', evidence: 'ewsUrl' };
  }
  return { kind: 'unknown', evidence: 'none' };
}

/** The outcomes that rule every method out before anything is tried. */
export type AccountGate = 'OFFICE_365' | 'CONSUMER_ACCOUNT';

const GATES: Readonly<Partial<Record<AccountKind, AccountGate>>> = {
  office365: 'OFFICE_365',
  consumer: 'CONSUMER_ACCOUNT',
};

/**
 * The one Office 365 / consumer-account gate: the outcome that rules this account out, or
 * `undefined` if our methods may apply (on-premises, or unknown). Exchange Online mailboxes are
 * out of scope (docs/architecture.md §3).
 */
export function accountGate(kind: AccountKind): AccountGate | undefined {
  return GATES[kind];
}

/** The gate's outcome as a failure to explain, if the account is ruled out. */
export function accountGateFailure(kind: AccountKind): Failure | undefined {
  const code = accountGate(kind);
  return code === undefined ? undefined : { code, details: {} };
}

/** Whether an outcome is the account gate's (said as information: nobody can fix it). */
export function isAccountGate(code: OutcomeCode): code is AccountGate {
  return Object.values(GATES).includes(code as AccountGate);
}
