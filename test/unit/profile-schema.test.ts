/** Profile validation pieces that need no database: URLs, PEM, durations, error shape. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  casUrlProblem,
  formatDuration,
  isDomain,
  parseDuration,
  parseProfileInput,
  parseProfilePatch,
  pemBundleProblem,
} from '../../src/backend/profiles/schema.ts';
import { IwaError } from '../../src/protocol/errors.ts';
import { BROKEN_CERT, CERT_WITH_KEY, TEST_CA_1, TEST_CA_BUNDLE } from '../db/fixtures.ts';

describe('casUrlProblem', () => {
  it.each([
    ['https://cas.corp.test/EWS/Exchange.asmx', null],
    ['https://cas.corp.test:8443/EWS/Exchange.asmx', null],
    ['https://10.0.0.5/EWS/Exchange.asmx', null],
    ['http://cas.corp.test/EWS/Exchange.asmx', /https/],
    ['ftp://cas.corp.test/', /https/],
    ['cas.corp.test/EWS', /valid URL/],
    ['', /valid URL/],
    ['https://user:pw@cas.corp.test/', /user name or password/],
    ['https://cas.corp.test/EWS#x', /fragment/],
  ])('%s', (url, expected) => {
    const problem = casUrlProblem(url);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('pemBundleProblem', () => {
  it.each([
    ['one certificate', TEST_CA_1, null],
    ['a bundle of two', TEST_CA_BUNDLE, null],
    ['CRLF line ends', TEST_CA_1.replaceAll('\n', '\r\n'), null],
    ['a certificate that does not parse', BROKEN_CERT, /certificate 1 of 1 is not a valid X.509/],
    ['a good and a broken one', `${TEST_CA_1}${BROKEN_CERT}`, /certificate 2 of 2/],
    ['a private key next to a certificate', CERT_WITH_KEY, /other than PEM certificates/],
    ['no PEM at all', 'hello', /no PEM certificate/],
    ['a truncated block', TEST_CA_1.slice(0, 200), /no PEM certificate/],
  ])('%s', (_, pem, expected) => {
    const problem = pemBundleProblem(pem);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('isDomain', () => {
  it.each([
    ['corp.test', true],
    ['eu.corp.test', true],
    ['xn--bcher-kva.example', true],
    ['corp', false],
    ['-corp.test', false],
    ['corp..test', false],
    ['corp.test.', false],
    [`${'a'.repeat(64)}.test`, false],
  ])('%s → %s', (domain, ok) => {
    expect(isDomain(domain)).toBe(ok);
  });
});

describe('durations', () => {
  it.each([
    ['30m', 1800],
    ['8h', 28800],
    ['1d', 86400],
    ['1h30m', 5400],
    ['1d2h3m4s', 93784],
    ['90', 90],
    [' 2h ', 7200],
    ['', null],
    ['h', null],
    ['8 hours', null],
    ['-1h', null],
    ['1.5h', null],
    ['30m1h', null],
  ])('parseDuration(%j) = %j', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it('formats and parses back any whole number of seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 86400 }), (seconds) => {
        expect(parseDuration(formatDuration(seconds))).toBe(seconds);
      }),
    );
    expect(formatDuration(28800)).toBe('8h');
    expect(formatDuration(5400)).toBe('1h30m');
  });
});

describe('parseProfileInput / parseProfilePatch', () => {
  const base = { name: 'lab', casUrl: 'https://cas.corp.test/EWS/Exchange.asmx' };
  const fail = (fn: () => unknown): IwaError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof IwaError) return err;
      throw err;
    }
    throw new Error('expected an IwaError');
  };

  it('fills defaults and normalises lists', () => {
    expect(
      parseProfileInput({ ...base, domains: ['CORP.test', 'corp.test'], mailboxes: [' A@Corp.Test '] }),
    ).toEqual({
      ...base,
      description: '',
      methods: ['iwa', 'identity-token'],
      casCa: null,
      sessionTtlSeconds: 28800,
      idleTtlSeconds: 3600,
      isDefault: false,
      domains: ['corp.test'],
      mailboxes: ['a@corp.test'],
      precedence: 0,
    });
  });

  it('names the field, with a message that never echoes the value', () => {
    const err = fail(() => parseProfileInput({ ...base, casUrl: 'http://secret-host.corp.test/' }));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.details).toMatchObject({ field: 'casUrl' });
    expect(JSON.stringify(err.toBody())).not.toContain('secret-host');
  });

  it('names an unknown field, in a create and in a patch', () => {
    expect(fail(() => parseProfileInput({ ...base, password: 'x' })).details.field).toBe('password');
    expect(fail(() => parseProfilePatch({ casurl: 'x' })).details.field).toBe('casurl');
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'x', 1]) {
      expect(fail(() => parseProfileInput(body)).details.field).toBe('(body)');
    }
  });

  it('refuses renaming in a patch, and accepts an empty one', () => {
    expect(fail(() => parseProfilePatch({ name: 'x' })).details).toMatchObject({ field: 'name' });
    expect(parseProfilePatch({})).toEqual({});
  });
});
