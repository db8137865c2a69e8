/**
 * The admin CLI against a SQLite file in a temp dir. The round trip runs the real
 * `outlook-iwa` binary in child processes, as an admin would; the many bad-input cases run
 * the same `main()` in-process (starting Node costs seconds each), with one of them spawned
 * too so that the real exit status is checked.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outlookIwaArgs } from '../lab/outlook-iwa.ts';
import { BROKEN_CERT, CAS_URL, TEST_CA_1 } from '../db/fixtures.ts';
import { withStore } from '../../src/backend/storage/index.ts';
import { type Run, inProcess } from './cli-main.ts';

// Each run starts Node and compiles TypeScript on the fly; generous on a loaded machine.
const TIMEOUT = 120_000;

/** Runs `outlook-iwa ARGS` with only the environment given (plus PATH and HOME). */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('OUTLOOK_IWA_') && !k.startsWith('VITEST')),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      outlookIwaArgs(...args),
      { env: { ...clean, NO_COLOR: '1', ...env }, cwd: dir, timeout: TIMEOUT },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let dir: string;
let database: string;
let caFile: string;
let badCaFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outlook-iwa-cli-'));
  database = `sqlite:${join(dir, 'data', 'outlook-iwa.db')}`;
  caFile = join(dir, 'ca.pem');
  badCaFile = join(dir, 'bad.pem');
  writeFileSync(caFile, TEST_CA_1);
  writeFileSync(badCaFile, BROKEN_CERT);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('outlook-iwa profile: round trip', () => {
  it(
    'creates a default, a domain and a mailbox profile, and `profile effective` picks and explains',
    async () => {
      const db = ['--database', database];
      const created = await cli([
        'profile',
        'create',
        '--name',
        'fallback',
        '--cas-url',
        CAS_URL,
        '--default',
        ...db,
      ]);
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('Created profile fallback.');
      // The database flag from the environment, as interface.md promises for every flag.
      const lab = await cli(
        [
          'profile',
          'create',
          '--name',
          'lab',
          '--domains',
          'Corp.Test',
          '--cas-ca',
          caFile,
          '--session-ttl',
          '1d',
        ],
        { OUTLOOK_IWA_DATABASE: database, OUTLOOK_IWA_CAS_URL: CAS_URL },
      );
      expect(lab.code).toBe(0);
      expect(lab.stdout).toMatch(/CAS CA:\s+1 certificate: CN=Outlook IWA test CA/);
      const vip = await cli([
        'profile',
        'create',
        '--name',
        'vip',
        '--cas-url',
        CAS_URL,
        '--mailboxes',
        'ceo@corp.test',
        '--methods',
        'password,iwa',
        ...db,
      ]);
      expect(vip.code).toBe(0);

      const [ceo, bob, eve] = await Promise.all(
        ['CEO@corp.test', 'bob@corp.test', 'eve@elsewhere.test'].map((m) =>
          cli(['profile', 'effective', m, ...db]),
        ),
      );
      expect(ceo?.stdout).toMatch(/profile:\s+vip\n/);
      expect(ceo?.stdout).toContain('mailbox ceo@corp.test is listed in profile vip');
      expect(bob?.stdout).toMatch(/profile:\s+lab\n/);
      expect(bob?.stdout).toContain('domain corp.test matched profile lab');
      expect(eve?.stdout).toMatch(/profile:\s+fallback\n/);
      expect(eve?.stdout).toContain('no mailbox or domain match; default profile fallback');

      const json = await cli(['profile', 'effective', 'bob@corp.test', '--json', ...db]);
      expect(JSON.parse(json.stdout)).toMatchObject({
        mailbox: 'bob@corp.test',
        match: 'domain',
        profile: { name: 'lab', domains: ['corp.test'], sessionTtlSeconds: 86400 },
      });

      const list = await cli(['profile', 'list', ...db]);
      expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+APPLIES TO\s+PRECEDENCE\s+METHODS/);
      expect(list.stdout).toMatch(/^vip\s+1 mailbox\s+0\s+password,iwa/m);

      const updated = await inProcess(['profile', 'update', 'vip', '--precedence', '9', '--json', ...db]);
      expect(JSON.parse(updated.stdout)).toMatchObject({ precedence: 9, mailboxes: ['ceo@corp.test'] });
      const shown = await inProcess(['profile', 'show', 'lab', ...db]);
      expect(shown.stdout).toMatch(/session:\s+1d absolute, 1h idle/);
      const noCa = await inProcess(['profile', 'update', 'lab', '--no-cas-ca', '--idle-ttl', '20m', ...db]);
      expect(noCa.stdout).toMatch(/CAS CA:\s+system roots/);
      expect(noCa.stdout).toMatch(/session:\s+1d absolute, 20m idle/);
      const nothing = await inProcess(['profile', 'update', 'lab', ...db]);
      expect(nothing.stderr).toMatch(/error INPUT_INVALID.*give at least one option/);
      const deleted = await inProcess(['profile', 'delete', 'vip', ...db]);
      expect(deleted.stdout).toContain('Deleted profile vip; revoked 0 sessions.');
      const after = await inProcess(['profile', 'effective', 'ceo@corp.test', '--json', ...db]);
      expect(JSON.parse(after.stdout)).toMatchObject({ profile: { name: 'lab' }, match: 'domain' });
    },
    TIMEOUT * 3,
  );
});

describe('outlook-iwa profile: bad input', () => {
  // A database of its own: the round trip above already has a default profile.
  const createArgs = (...extra: string[]) => [
    'profile',
    'create',
    '--database',
    `sqlite:${join(dir, 'bad-input.db')}`,
    ...extra,
  ];
  const create = (...extra: string[]) => inProcess(createArgs(...extra));

  it(
    'exits non-zero from the real binary, with the code and field on stderr',
    async () => {
      const run = await cli(
        createArgs('--name', 'a0', '--cas-url', 'http://cas.corp.test/EWS/Exchange.asmx'),
      );
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^error INPUT_INVALID: Invalid casUrl: must be an https:\/\/ URL.*field=casUrl/,
      );
    },
    TIMEOUT,
  );

  it.each([
    ['a bad URL', ['--name', 'a1', '--cas-url', 'not a url'], 'casUrl'],
    ['an http:// URL', ['--name', 'a2', '--cas-url', 'http://cas.corp.test/EWS/Exchange.asmx'], 'casUrl'],
    ['a bad PEM', ['--name', 'a3', '--cas-url', CAS_URL, '--cas-ca', '@BAD'], 'casCa'],
    ['an unknown method', ['--name', 'a4', '--cas-url', CAS_URL, '--methods', 'iwa,basic'], 'methods.1'],
    ['an oversize name', ['--name', 'n'.repeat(65), '--cas-url', CAS_URL], 'name'],
    [
      'an oversize description',
      ['--name', 'a5', '--cas-url', CAS_URL, '--description', 'd'.repeat(501)],
      'description',
    ],
    [
      'a bad duration',
      ['--name', 'a6', '--cas-url', CAS_URL, '--session-ttl', 'forever'],
      'sessionTtlSeconds',
    ],
    ['an unknown flag', ['--name', 'a7', '--cas-url', CAS_URL, '--tenant', 'x'], '--tenant'],
    ['a missing required flag', ['--name', 'a8'], '--cas-url'],
  ] as const)(
    'refuses %s: non-zero exit, code and field on stderr',
    async (_, args, field) => {
      const run = await create(...args.map((a) => (a === '@BAD' ? badCaFile : a)));
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('error INPUT_INVALID');
      expect(run.stderr).toContain(`field=${field}`);
    },
    TIMEOUT,
  );

  it(
    'refuses a duplicate name and a second default with CONFLICT',
    async () => {
      expect((await create('--name', 'dup', '--cas-url', CAS_URL, '--default')).code).toBe(0);
      const dup = await create('--name', 'dup', '--cas-url', CAS_URL);
      expect(dup.code).not.toBe(0);
      expect(dup.stderr).toMatch(/error CONFLICT: .*field=name/);
      const twoDefaults = await create('--name', 'dup2', '--cas-url', CAS_URL, '--default');
      expect(twoDefaults.stderr).toMatch(/error CONFLICT: .*field=default/);
    },
    TIMEOUT * 3,
  );
});

describe('outlook-iwa session, audit and admin', () => {
  it(
    'mints and rotates the admin credential, lists and revokes sessions, reads the audit trail',
    async () => {
      const other = `sqlite:${join(dir, 'other.db')}`;
      const db = ['--database', other];
      const minted = await inProcess(['admin', 'token', ...db]);
      expect(minted.code).toBe(0);
      expect(minted.stdout.trim()).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
      expect(minted.stderr).toContain('only time');
      const again = await inProcess(['admin', 'token', ...db]);
      expect(again.stderr).toMatch(/error CONFLICT/);
      const rotated = await inProcess(['admin', 'token', '--rotate', '--json', ...db]);
      expect(JSON.parse(rotated.stdout)).toMatchObject({ rotated: true });

      const sessions = await inProcess(['session', 'list', '--json', ...db]);
      const revokeNeither = await inProcess(['session', 'revoke', ...db]);
      const revokeMissing = await inProcess(['session', 'revoke', 'no-such-id', ...db]);
      const audit = await inProcess(['audit', '--mailbox', 'alice@corp.test', '--since', '7d', ...db]);
      const badLimit = await inProcess(['audit', '--limit', 'lots', ...db]);
      expect(JSON.parse(sessions.stdout)).toEqual([]);
      expect(revokeNeither.stderr).toMatch(/error INPUT_INVALID.*field=id/);
      expect(revokeMissing.stderr).toMatch(/error NOT_FOUND/);
      expect(audit.stdout.trim()).toBe('No audit entries.');
      expect(badLimit.stderr).toMatch(/error INPUT_INVALID.*field=limit/);

      // Revoking a mailbox's sessions also ends its identity-token bindings.
      await withStore(other, async (store) => {
        await store.bindings.bind({
          amurl: 'https://cas.corp.test/m',
          msexchuid: 'u1',
          mailbox: 'alice@corp.test',
        });
        await store.bindings.bind({
          amurl: 'https://cas.corp.test/m',
          msexchuid: 'u2',
          mailbox: 'bob@corp.test',
        });
      });
      const revoked = await inProcess(['session', 'revoke', '--mailbox', 'alice@corp.test', '--json', ...db]);
      expect(JSON.parse(revoked.stdout)).toEqual({ revoked: 0, revokedBindings: 1 });
      const left = await inProcess(['binding', 'list', '--json', ...db]);
      expect((JSON.parse(left.stdout) as { mailbox: string }[]).map((b) => b.mailbox)).toEqual([
        'bob@corp.test',
      ]);
    },
    TIMEOUT * 3,
  );

  it(
    'has --help at every level',
    async () => {
      const runs: Run[] = [];
      for (const args of [
        ['--help'],
        ['profile', '--help'],
        ['profile', 'update', '--help'],
        ['session', 'revoke', '--help'],
        ['audit', '--help'],
      ]) {
        runs.push(await inProcess(args));
      }
      for (const run of runs) {
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/^Usage: outlook-iwa/);
      }
      expect(runs[2]?.stdout).toContain('--no-default');
      expect(runs[2]?.stdout).toContain('OUTLOOK_IWA_SESSION_TTL');
    },
    TIMEOUT,
  );
});

describe('bin/outlook-iwa.js', () => {
  it('without a build, exits 1 and says to run npm run build (it never runs the sources by itself)', () => {
    // The real bin in a tree that has no dist/: what a checkout looks like before `npm run build`.
    const tree = join(dir, 'unbuilt');
    mkdirSync(join(tree, 'bin'), { recursive: true });
    copyFileSync(new URL('../../bin/outlook-iwa.js', import.meta.url), join(tree, 'bin', 'outlook-iwa.js'));
    const r = spawnSync(process.execPath, [join(tree, 'bin', 'outlook-iwa.js'), 'profile', 'list'], {
      encoding: 'utf8',
      timeout: TIMEOUT,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `${join(tree, 'dist', 'backend', 'main.js')} is missing: run \`npm run build\``,
    );
  });
});
