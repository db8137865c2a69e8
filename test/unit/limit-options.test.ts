/**
 * The `serve` flags of the sign-in limits: every one reads its `OUTLOOK_IWA_*` variable too,
 * the defaults are the limits' built-in values, and a bad value names the flag and the variable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseLimitFlags, type LimitFlags } from '../../src/backend/cli/limit-options.ts';
import { serveCommand } from '../../src/backend/cli/serve.ts';
import { formatAudit } from '../../src/backend/cli/audit.ts';
import { DEFAULT_LIMIT_CAPACITY } from '../../src/backend/limits/store.ts';
import { DEFAULT_PASSWORD_LIMITS } from '../../src/backend/password/sign-in.ts';
import { DEFAULT_RELAY_LIMITS } from '../../src/backend/relay/relay.ts';
import { DEFAULT_IDENTITY_TOKEN_FAILURES } from '../../src/backend/routes/auth.ts';

/** The flags `serve` would run with, without running it. */
async function flagsOf(argv: readonly string[]): Promise<LimitFlags> {
  let seen: LimitFlags | undefined;
  const command = serveCommand().action((flags: LimitFlags) => {
    seen = flags;
  });
  await command.parseAsync(argv, { from: 'user' });
  if (seen === undefined) throw new Error('no action');
  return seen;
}

describe('limit flags', () => {
  afterEach(() => {
    delete process.env.OUTLOOK_IWA_ACCOUNT_FAILURES;
  });

  it("default to today's limits", async () => {
    const limits = parseLimitFlags(await flagsOf([]));
    expect(limits.relay).toEqual({
      perAddress: DEFAULT_RELAY_LIMITS.perAddress,
      perMailbox: DEFAULT_RELAY_LIMITS.perMailbox,
      maxHandshakes: DEFAULT_RELAY_LIMITS.maxHandshakes,
      maxHandshakesPerAddress: DEFAULT_RELAY_LIMITS.maxHandshakesPerAddress,
      handshakeTtlMs: DEFAULT_RELAY_LIMITS.handshakeTtlMs,
      accountBackoff: DEFAULT_PASSWORD_LIMITS.accountBackoff,
      addressBackoff: DEFAULT_PASSWORD_LIMITS.addressBackoff,
    });
    expect(limits.password).toEqual({
      perAddress: DEFAULT_PASSWORD_LIMITS.perAddress,
      maxInFlight: DEFAULT_PASSWORD_LIMITS.maxInFlight,
      accountBackoff: DEFAULT_PASSWORD_LIMITS.accountBackoff,
      addressBackoff: DEFAULT_PASSWORD_LIMITS.addressBackoff,
    });
    expect(limits.identityTokenFailures).toEqual(DEFAULT_IDENTITY_TOKEN_FAILURES);
    expect(limits.capacity).toEqual(DEFAULT_LIMIT_CAPACITY);
  });

  it('read flags and OUTLOOK_IWA_* variables; the account budget is one for both paths', async () => {
    process.env.OUTLOOK_IWA_ACCOUNT_FAILURES = '3';
    const limits = parseLimitFlags(
      await flagsOf([
        '--iwa-mailbox-failures',
        '5/2',
        '--max-handshakes-per-address',
        '7',
        '--account-free-failures',
        '1',
      ]),
    );
    expect(limits.relay.accountBackoff).toMatchObject({ holdAfterFailures: 3, freeFailures: 1 });
    expect(limits.password.accountBackoff).toBe(limits.relay.accountBackoff);
    expect(limits.relay.perMailbox).toEqual({ burst: 5, perMinute: 2 });
    expect(limits.relay.maxHandshakesPerAddress).toBe(7);
  });

  it('are listed in --help', () => {
    const help = serveCommand().helpInformation();
    for (const flag of [
      '--account-failures',
      '--iwa-mailbox-failures',
      '--max-handshakes-per-address',
      '--limit-keys',
    ]) {
      expect(help).toContain(flag);
    }
  });

  it.each([
    [['--account-failures', '0'], '--account-failures', 'OUTLOOK_IWA_ACCOUNT_FAILURES'],
    [['--iwa-address-rate', '60'], '--iwa-address-rate', 'OUTLOOK_IWA_IWA_ADDRESS_RATE'],
    [['--account-free-failures', '9'], '--account-free-failures', 'OUTLOOK_IWA_ACCOUNT_FREE_FAILURES'],
  ])('%j is CONFIG_INVALID naming %s and %s', async (argv, flag, env) => {
    const flags = await flagsOf(argv);
    let error: unknown;
    try {
      parseLimitFlags(flags);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', details: { flag, env } });
  });
});

describe('audit for humans', () => {
  it('shows the account an NTLM attempt named', () => {
    const row = {
      at: new Date('2030-01-01T09:00:00Z'),
      clientAddress: '127.0.0.2',
      claimedMailbox: 'm1@corp.test',
      provenMailbox: null,
      method: 'iwa',
      mechanism: 'ntlm',
      outcome: 'failure',
      reason: 'AUTH_REJECTED',
      profile: 'lab',
    } as const;
    const text = formatAudit([{ ...row, account: 'CORP\\alice' }, row]);
    expect(text.split('\n')[0]).toMatch(/ACCOUNT$/);
    expect(text.split('\n')[2]).toMatch(/CORP\\alice$/);
    expect(text.split('\n')[3]).toMatch(/ -$/);
  });
});
