import type { EffectiveProfile, Profile } from '../domain.ts';

/**
 * Orders candidates that matched at the same level: higher precedence first, then name, so
 * the answer never depends on the order the database returned the rows in.
 */
function byPrecedenceThenName(a: Profile, b: Profile): number {
  return b.precedence - a.precedence || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Says why the winner beat the runner-up, when there was one. */
function tieNote(winner: Profile, rest: readonly Profile[]): string {
  const runnerUp = rest[0];
  if (runnerUp === undefined) return '';
  const others = rest.length === 1 ? `profile ${runnerUp.name}` : `${rest.length} other profiles`;
  return winner.precedence === runnerUp.precedence
    ? ` (also matched by ${others}; equal precedence ${winner.precedence}, first by name wins)`
    : ` (also matched by ${others}; precedence ${winner.precedence} > ${runnerUp.precedence})`;
}

/**
 * The effective authentication profile of a mailbox (docs/architecture.md §5): a profile that lists the
 * mailbox explicitly beats one that lists its domain, which beats the default profile. Ties
 * at a level go to the higher precedence, then to the name. Pure; the mailbox is compared in
 * lower case. Returns null when nothing applies (`PROFILE_NOT_FOUND` for the caller).
 *
 * @example resolveEffectiveProfile(profiles, 'bob@corp.test')?.reason
 *   // "domain corp.test matched profile lab"
 */
export function resolveEffectiveProfile(
  profiles: readonly Profile[],
  mailbox: string,
): EffectiveProfile | null {
  const address = mailbox.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : address.slice(at + 1);

  const levels = [
    {
      match: 'mailbox' as const,
      candidates: profiles.filter((p) => p.mailboxes.includes(address)),
      reason: (p: Profile) => `mailbox ${address} is listed in profile ${p.name}`,
    },
    {
      match: 'domain' as const,
      candidates: domain === '' ? [] : profiles.filter((p) => p.domains.includes(domain)),
      reason: (p: Profile) => `domain ${domain} matched profile ${p.name}`,
    },
    {
      match: 'default' as const,
      candidates: profiles.filter((p) => p.isDefault),
      reason: (p: Profile) => `no mailbox or domain match; default profile fallback to profile ${p.name}`,
    },
  ];

  for (const level of levels) {
    const [winner, ...rest] = [...level.candidates].sort(byPrecedenceThenName);
    if (winner !== undefined) {
      return { profile: winner, match: level.match, reason: level.reason(winner) + tieNote(winner, rest) };
    }
  }
  return null;
}
