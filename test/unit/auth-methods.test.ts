import { describe, expect, it } from 'vitest';
import { methodsView } from '../../src/backend/routes/auth.ts';
import { lookupWithOverrides, parseResolveOverrides } from '../../src/backend/resolve.ts';
import { methodsResponse } from '../../src/contract/api.ts';
import { IwaError } from '../../src/protocol/errors.ts';

describe('methodsView', () => {
  it.each([
    {
      description: 'all three, profile order kept',
      methods: ['password', 'iwa', 'identity-token'] as const,
      expected: [
        { method: 'password', enabled: true },
        { method: 'iwa', enabled: true },
        { method: 'identity-token', enabled: true },
      ],
    },
    {
      description: 'disabled methods follow, in catalogue order',
      methods: ['identity-token'] as const,
      expected: [
        { method: 'identity-token', enabled: true },
        { method: 'iwa', enabled: false },
        { method: 'password', enabled: false },
      ],
    },
  ])('$description', ({ methods, expected }) => {
    expect(methodsView({ methods })).toEqual(expected);
    // The pane reads it with the contract and keeps the order: silent sign-in follows it.
    const parsed = methodsResponse.safeParse({ mailbox: 'a@corp.test', methods: methodsView({ methods }) });
    expect(parsed.success && parsed.data.methods).toEqual(expected);
  });
});

describe('--resolve', () => {
  it('parses HOST:IP pairs, lower-casing names and accepting IPv6', () => {
    expect([...parseResolveOverrides('CAS.corp.test:127.0.0.1, relay.corp.test:[::1]')]).toEqual([
      ['cas.corp.test', '127.0.0.1'],
      ['relay.corp.test', '::1'],
    ]);
    expect(parseResolveOverrides(undefined).size).toBe(0);
  });

  it.each(['cas.corp.test', 'cas.corp.test:not-an-ip', ':127.0.0.1', 'cas:1.2.3'])(
    'refuses %s naming the flag',
    (text) => {
      const err = (() => {
        try {
          parseResolveOverrides(text);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(IwaError);
      expect((err as IwaError).details).toMatchObject({ flag: '--resolve' });
    },
  );

  it('answers pinned names itself, in both lookup shapes', async () => {
    const lookup = lookupWithOverrides(new Map([['cas.corp.test', '127.0.0.1']]));
    expect(lookup).toBeDefined();
    const one = await new Promise((resolve) => {
      lookup?.('CAS.corp.test', {}, (_err, address, family) => {
        resolve({ address, family });
      });
    });
    expect(one).toEqual({ address: '127.0.0.1', family: 4 });
    const all = await new Promise((resolve) => {
      lookup?.('cas.corp.test', { all: true }, (_err, address) => {
        resolve(address);
      });
    });
    expect(all).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(lookupWithOverrides(new Map())).toBeUndefined();
  });
});
