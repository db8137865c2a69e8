/** Effective-profile resolution: a pure function, tested from a table (docs/architecture.md §8.1). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveEffectiveProfile } from '../../src/backend/profiles/resolve.ts';
import type { Profile } from '../../src/backend/domain.ts';

const T = new Date('2030-01-01T00:00:00Z');

function profile(name: string, over: Partial<Profile> = {}): Profile {
  return {
    name,
    description: '',
    methods: ['iwa'],
    casUrl: 'https://cas.corp.test/EWS/Exchange.asmx',
    casCa: null,
    sessionTtlSeconds: 28800,
    idleTtlSeconds: 3600,
    isDefault: false,
    domains: [],
    mailboxes: [],
    precedence: 0,
    createdAt: T,
    updatedAt: T,
    ...over,
  };
}

const fallback = profile('fallback', { isDefault: true });
const lab = profile('lab', { domains: ['corp.test'] });
const labHigh = profile('lab-high', { domains: ['corp.test'], precedence: 10 });
const labTwin = profile('a-lab', { domains: ['corp.test'] });
const vip = profile('vip', { mailboxes: ['ceo@corp.test'] });
const vipLow = profile('vip-low', { mailboxes: ['ceo@corp.test'], precedence: -1, isDefault: true });
const eu = profile('eu', { domains: ['eu.corp.test'] });

const vectors: {
  description: string;
  profiles: Profile[];
  mailbox: string;
  expected: { name: string; match: 'mailbox' | 'domain' | 'default'; reason: string } | null;
}[] = [
  {
    description: 'explicit mailbox beats domain and default',
    profiles: [fallback, lab, vip],
    mailbox: 'ceo@corp.test',
    expected: { name: 'vip', match: 'mailbox', reason: 'mailbox ceo@corp.test is listed in profile vip' },
  },
  {
    description: 'domain beats default',
    profiles: [fallback, lab, vip],
    mailbox: 'bob@corp.test',
    expected: { name: 'lab', match: 'domain', reason: 'domain corp.test matched profile lab' },
  },
  {
    description: 'default when nothing else matches',
    profiles: [fallback, lab, vip],
    mailbox: 'eve@other.test',
    expected: {
      name: 'fallback',
      match: 'default',
      reason: 'no mailbox or domain match; default profile fallback to profile fallback',
    },
  },
  {
    description: 'no profile at all',
    profiles: [lab, vip],
    mailbox: 'eve@other.test',
    expected: null,
  },
  {
    description: 'empty list',
    profiles: [],
    mailbox: 'a@corp.test',
    expected: null,
  },
  {
    description: 'case and surrounding space do not matter',
    profiles: [fallback, lab, vip],
    mailbox: '  CEO@Corp.TEST ',
    expected: { name: 'vip', match: 'mailbox', reason: 'mailbox ceo@corp.test is listed in profile vip' },
  },
  {
    description: 'higher precedence wins a tie at the domain level',
    profiles: [lab, labHigh, fallback],
    mailbox: 'bob@corp.test',
    expected: {
      name: 'lab-high',
      match: 'domain',
      reason: 'domain corp.test matched profile lab-high (also matched by profile lab; precedence 10 > 0)',
    },
  },
  {
    description: 'equal precedence goes to the first name',
    profiles: [lab, labTwin],
    mailbox: 'bob@corp.test',
    expected: {
      name: 'a-lab',
      match: 'domain',
      reason:
        'domain corp.test matched profile a-lab (also matched by profile lab; equal precedence 0, first by name wins)',
    },
  },
  {
    description: 'a mailbox match wins even with lower precedence than a domain match',
    profiles: [labHigh, vipLow],
    mailbox: 'ceo@corp.test',
    expected: {
      name: 'vip-low',
      match: 'mailbox',
      reason: 'mailbox ceo@corp.test is listed in profile vip-low',
    },
  },
  {
    description: 'a domain matches exactly, not its subdomains',
    profiles: [lab, fallback],
    mailbox: 'bob@eu.corp.test',
    expected: {
      name: 'fallback',
      match: 'default',
      reason: 'no mailbox or domain match; default profile fallback to profile fallback',
    },
  },
  {
    description: 'a subdomain has its own profile',
    profiles: [lab, eu],
    mailbox: 'bob@eu.corp.test',
    expected: { name: 'eu', match: 'domain', reason: 'domain eu.corp.test matched profile eu' },
  },
  {
    description: 'three profiles at one level say how many others matched',
    profiles: [lab, labTwin, labHigh],
    mailbox: 'x@corp.test',
    expected: {
      name: 'lab-high',
      match: 'domain',
      reason:
        'domain corp.test matched profile lab-high (also matched by 2 other profiles; precedence 10 > 0)',
    },
  },
  {
    description: 'not an address: only the default can apply',
    profiles: [lab, fallback],
    mailbox: 'corp.test',
    expected: {
      name: 'fallback',
      match: 'default',
      reason: 'no mailbox or domain match; default profile fallback to profile fallback',
    },
  },
];

describe('resolveEffectiveProfile', () => {
  it.each(vectors)('$description', ({ profiles, mailbox, expected }) => {
    const result = resolveEffectiveProfile(profiles, mailbox);
    if (expected === null) {
      expect(result).toBeNull();
    } else {
      expect({ name: result?.profile.name, match: result?.match, reason: result?.reason }).toEqual(expected);
    }
  });

  it('does not depend on the order of the profiles', () => {
    const all = [fallback, lab, labHigh, labTwin, vip, vipLow, eu];
    const mailboxes = ['ceo@corp.test', 'bob@corp.test', 'x@eu.corp.test', 'y@nowhere.test'];
    fc.assert(
      fc.property(fc.shuffledSubarray(all), fc.constantFrom(...mailboxes), (subset, mailbox) => {
        const forward = resolveEffectiveProfile(subset, mailbox);
        const backward = resolveEffectiveProfile([...subset].reverse(), mailbox);
        expect(backward).toEqual(forward);
      }),
    );
  });

  it('does not modify its input', () => {
    const input = Object.freeze([labTwin, lab, labHigh]);
    resolveEffectiveProfile(input, 'bob@corp.test');
    expect(input.map((p) => p.name)).toEqual(['a-lab', 'lab', 'lab-high']);
  });
});
