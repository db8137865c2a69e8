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
