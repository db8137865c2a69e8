import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { IwaError } from '../../../src/protocol/errors.ts';
import { isSmtpAddress, normaliseMailbox, parseMailbox, sameMailbox } from '../../../src/protocol/mailbox.ts';

// Property tests run thousands of cases; give them room on a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

describe('isSmtpAddress', () => {
  const table: { description: string; input: unknown; expected: boolean }[] = [
    { description: 'plain', input: 'alice@corp.test', expected: true },
    { description: 'dots and plus in the local part', input: 'carol.smith+x@corp.test', expected: true },
    { description: 'atext specials', input: "o'brien!#$%&*=?^_`{|}~-@mail.corp.test", expected: true },
    { description: 'hyphenated domain label', input: 'a@my-corp.example', expected: true },
    { description: 'upper case', input: 'Alice@CORP.TEST', expected: true },
    { description: 'not a string', input: 42, expected: false },
    { description: 'empty', input: '', expected: false },
    { description: 'no @', input: 'alice', expected: false },
    { description: 'two @', input: 'a@b@corp.test', expected: false },
    { description: 'empty local part', input: '@corp.test', expected: false },
    { description: 'single-label domain', input: 'alice@localhost', expected: false },
    { description: 'leading dot', input: '.alice@corp.test', expected: false },
    { description: 'double dot', input: 'al..ice@corp.test', expected: false },
    { description: 'quoted local part', input: '"alice"@corp.test', expected: false },
    { description: 'space', input: 'al ice@corp.test', expected: false },
    { description: 'address literal', input: 'alice@[127.0.0.1]', expected: false },
    { description: 'IPv4-looking domain', input: 'alice@127.0.0.1', expected: false },
    { description: 'label starting with a hyphen', input: 'alice@-corp.test', expected: false },
    { description: 'non-ASCII', input: 'jöran@corp.test', expected: false },
    { description: 'CR LF', input: 'alice@corp.test\r\n', expected: false },
    { description: 'local part over 64', input: `${'a'.repeat(65)}@corp.test`, expected: false },
    {
      description: 'over 254 characters',
      input: `a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(70)}.test`,
      expected: false,
    },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(isSmtpAddress(input)).toBe(expected);
  });
});

describe('parseMailbox', () => {
  it('normalises case and surrounding space', () => {
    expect(parseMailbox('  Alice@Corp.Test ')).toBe('alice@corp.test');
  });

  const bad: { description: string; input: unknown; expected: string }[] = [
    { description: 'missing', input: undefined, expected: 'missing' },
    { description: 'blank', input: '   ', expected: 'missing' },
    { description: 'an array (repeated query parameter)', input: ['a@b.test'], expected: 'missing' },
    { description: 'not an address', input: 'alice', expected: 'not-smtp' },
  ];
  it.each(bad)('rejects $description with MAILBOX_INVALID', ({ input, expected }) => {
    let thrown: unknown;
    try {
      parseMailbox(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(IwaError);
    expect((thrown as IwaError).code).toBe('MAILBOX_INVALID');
    expect((thrown as IwaError).details).toEqual({ reason: expected });
  });

  it('never throws anything but IwaError MAILBOX_INVALID', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'binary' }), (s) => {
        try {
          expect(isSmtpAddress(parseMailbox(s))).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(IwaError);
          expect((err as IwaError).code).toBe('MAILBOX_INVALID');
        }
      }),
    );
  });

  it('compares case-insensitively', () => {
    expect(sameMailbox('Alice@corp.test', 'alice@CORP.TEST ')).toBe(true);
    expect(sameMailbox('alice@corp.test', 'bob@corp.test')).toBe(false);
    expect(normaliseMailbox(' X@Y.Z ')).toBe('x@y.z');
  });
});
