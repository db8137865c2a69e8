/**
 * `outlook-iwa profile create|list|show|update|delete|effective` (interface.md). Flags map
 * onto the profile fields; the store validates them, and errors name the field and the flag.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { IwaError } from '../../protocol/errors.ts';
import { LIMITS, formatDuration, parseDuration } from '../profiles/schema.ts';
import type { ProfileDraft, ProfilePatch } from '../storage/types.ts';
import type { EffectiveProfile, Profile } from '../domain.ts';
import {
  type CommonOptions,
  badFlag,
  command,
  group,
  count,
  notFound,
  readCommand,
  report,
  storeCommand,
  useStore,
  when,
  withCommonOptions,
} from './admin.ts';
import { option, tableOr } from './options.ts';

/** The flag an admin typed for each profile field, to say which one was wrong. */
const FLAGS: Readonly<Record<string, string>> = {
  name: '--name',
  description: '--description',
  casUrl: '--cas-url',
  casCa: '--cas-ca',
  methods: '--methods',
  domains: '--domains',
  mailboxes: '--mailboxes',
  isDefault: '--default',
  default: '--default',
  sessionTtlSeconds: '--session-ttl',
  idleTtlSeconds: '--idle-ttl',
  precedence: '--precedence',
};

/** Adds `flag=--cas-url` next to `field=casUrl` in an input error. */
function withFlag(err: unknown): unknown {
  if (!(err instanceof IwaError) || typeof err.details.field !== 'string') return err;
  const flag = FLAGS[err.details.field.split('.')[0] ?? ''];
  return flag === undefined ? err : new IwaError(err.code, { ...err.details, flag }, err.message);
}

/** Wraps an action so its input errors also name the flag. */
function flagged<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (err) {
      throw withFlag(err);
    }
  };
}

interface FieldOptions extends CommonOptions {
  name?: string;
  description?: string;
  casUrl?: string;
  /** A file path; `false` from `--no-cas-ca`. */
  casCa?: string | false;
  methods?: string;
  domains?: string;
  mailboxes?: string;
  default?: boolean;
  sessionTtl?: string;
  idleTtl?: string;
  precedence?: string;
}

function addFieldOptions(cmd: Command, mode: 'create' | 'update'): Command {
  if (mode === 'create') {
    cmd.addOption(option('--name <name>', 'profile name: a-z, 0-9, ".", "_", "-"').makeOptionMandatory());
  }
  const casUrl = option('--cas-url <url>', "the CAS's EWS URL, https only (…/EWS/Exchange.asmx)");
  cmd
    .addOption(mode === 'create' ? casUrl.makeOptionMandatory() : casUrl)
    .addOption(option('--description <text>', 'free text for admins'))
    .addOption(option('--cas-ca <file>', 'PEM file of CA certificates trusted for this CAS'))
    .addOption(
      option(
        '--methods <list>',
        'comma-separated, in order: iwa,identity-token,password (default iwa,identity-token)',
      ),
    )
    .addOption(option('--domains <list>', 'comma-separated mail domains this profile applies to'))
    .addOption(option('--mailboxes <list>', 'comma-separated addresses this profile applies to'))
    .addOption(option('--default', 'the profile for mailboxes no other profile names'))
    .addOption(option('--session-ttl <duration>', 'absolute session lifetime, e.g. 8h, 1d (default 8h)'))
    .addOption(option('--idle-ttl <duration>', 'idle session lifetime, e.g. 30m, 1h (default 1h)'))
    .addOption(option('--precedence <n>', 'higher wins between profiles that match alike (default 0)'));
  if (mode === 'update') {
    cmd
      .addOption(option('--no-default', 'stop being the default profile'))
      .addOption(option('--no-cas-ca', 'trust the system roots again'));
  }
  return withCommonOptions(cmd);
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function duration(field: string, text: string): number {
  const seconds = parseDuration(text);
  if (seconds === null) throw badFlag(field, 'is not a duration like 30m, 8h, 1d or 1h30m');
  return seconds;
}

function readPem(path: string): string {
  try {
    // Refuse before reading: a wrong path could name a huge file.
    if (statSync(path).size > LIMITS.pemBytes) {
      throw badFlag('casCa', `is larger than ${LIMITS.pemBytes} bytes`);
    }
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof IwaError) throw err;
    throw badFlag('casCa', `cannot read the PEM file ${path}`);
  }
}

/** Turns the flags given into profile fields; flags not given stay absent. */
function fieldsFrom(opts: FieldOptions): ProfilePatch & { name?: string } {
  const fields: Record<string, unknown> = {};
  if (opts.name !== undefined) fields.name = opts.name;
  if (opts.description !== undefined) fields.description = opts.description;
  if (opts.casUrl !== undefined) fields.casUrl = opts.casUrl;
  if (opts.casCa !== undefined) fields.casCa = opts.casCa === false ? null : readPem(opts.casCa);
  if (opts.methods !== undefined) fields.methods = list(opts.methods);
  if (opts.domains !== undefined) fields.domains = list(opts.domains);
  if (opts.mailboxes !== undefined) fields.mailboxes = list(opts.mailboxes);
  if (opts.default !== undefined) fields.isDefault = opts.default;
  if (opts.sessionTtl !== undefined)
    fields.sessionTtlSeconds = duration('sessionTtlSeconds', opts.sessionTtl);
  if (opts.idleTtl !== undefined) fields.idleTtlSeconds = duration('idleTtlSeconds', opts.idleTtl);
  if (opts.precedence !== undefined) {
    if (!/^-?\d{1,9}$/.test(opts.precedence.trim())) throw badFlag('precedence', 'must be a whole number');
    fields.precedence = Number(opts.precedence);
  }
  return fields;
}

function appliesTo(p: Profile): string {
  const parts: string[] = [];
  if (p.isDefault) parts.push('default');
  const shown = p.domains.slice(0, 3);
  parts.push(...shown);
  if (p.domains.length > shown.length) parts.push(`+${p.domains.length - shown.length} domains`);
  if (p.mailboxes.length > 0)
    parts.push(`${p.mailboxes.length} mailbox${p.mailboxes.length === 1 ? '' : 'es'}`);
  return parts.join(', ') || '(nothing)';
}

function caSummary(pem: string | null): string {
  if (pem === null) return 'system roots';
  const subjects = (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (block) => new X509Certificate(block).subject.replaceAll('\n', ', '),
  );
  return `${subjects.length} certificate${subjects.length === 1 ? '' : 's'}: ${subjects.join('; ')}`;
}

/** `profile show` for humans: one field per line. */
export function formatProfile(p: Profile): string {
  const rows: [string, string][] = [
    ['name', p.name],
    ['description', p.description || '-'],
    ['methods', p.methods.join(', ')],
    ['CAS URL', p.casUrl],
    ['CAS CA', caSummary(p.casCa)],
    ['session', `${formatDuration(p.sessionTtlSeconds)} absolute, ${formatDuration(p.idleTtlSeconds)} idle`],
    ['default', p.isDefault ? 'yes' : 'no'],
    ['domains', p.domains.join(', ') || '-'],
    ['mailboxes', p.mailboxes.join(', ') || '-'],
    ['precedence', String(p.precedence)],
    ['created', when(p.createdAt)],
    ['updated', when(p.updatedAt)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}`).join('\n');
}

/** `profile list` for humans. */
export const formatProfiles = tableOr(
  'No profiles yet. Add one with `outlook-iwa profile create`.',
  ['NAME', 'APPLIES TO', 'PRECEDENCE', 'METHODS', 'SESSION', 'IDLE', 'CAS URL'],
  (p: Profile) => [
    p.name,
    appliesTo(p),
    String(p.precedence),
    p.methods.join(','),
    formatDuration(p.sessionTtlSeconds),
    formatDuration(p.idleTtlSeconds),
    p.casUrl,
  ],
);

/** `profile effective` for humans. */
export function formatEffective(mailbox: string, e: EffectiveProfile): string {
  return [
    `mailbox:  ${mailbox}`,
    `profile:  ${e.profile.name}`,
    `match:    ${e.match}`,
    `why:      ${e.reason}`,
  ].join('\n');
}

/** `outlook-iwa profile …`. */
export function profileCommand(): Command {
  return group(
    'profile',
    'manage authentication profiles',
    addFieldOptions(command('create', 'add an authentication profile'), 'create').action(
      flagged(async (opts: FieldOptions) => {
        const draft = fieldsFrom(opts) as ProfileDraft;
        const created = await useStore(opts, (store) => store.profiles.create(draft));
        report(opts, created, (p) => `Created profile ${p.name}.\n\n${formatProfile(p)}`);
      }),
    ),
    readCommand('list', 'list the profiles', (store) => store.profiles.list(), formatProfiles),
    storeCommand('show', 'show one profile')
      .argument('<name>', 'profile name')
      .action(async (name: string, opts: CommonOptions) => {
        const found = await useStore(opts, (store) => store.profiles.get(name));
        if (found === null) throw notFound('profile', name);
        report(opts, found, formatProfile);
      }),
    addFieldOptions(command('update', 'change a profile: only the options given change'), 'update')
      .argument('<name>', 'profile name')
      .action(
        flagged(async (name: string, opts: FieldOptions) => {
          const patch = fieldsFrom(opts);
          if (Object.keys(patch).length === 0)
            throw badFlag('(options)', 'give at least one option to change');
          const updated = await useStore(opts, (store) => store.profiles.update(name, patch));
          report(opts, updated, (p) => `Updated profile ${name}.\n\n${formatProfile(p)}`);
        }),
      ),
    storeCommand('delete', 'delete a profile and revoke its sessions')
      .argument('<name>', 'profile name')
      .action(async (name: string, opts: CommonOptions) => {
        const { revokedSessions } = await useStore(opts, (store) => store.profiles.delete(name));
        report(opts, revokedSessions, (n) => `Deleted profile ${name}; revoked ${count(n, 'session')}.`, {
          deleted: name,
          revokedSessions,
        });
      }),
    storeCommand('effective', 'which profile applies to a mailbox, and why')
      .argument('<mailbox>', 'SMTP address')
      .action(async (mailbox: string, opts: CommonOptions) => {
        const effective = await useStore(opts, (store) => store.profiles.effective(mailbox));
        const address = mailbox.trim().toLowerCase();
        if (effective === null) throw new IwaError('PROFILE_NOT_FOUND', { mailbox: address });
        report(opts, effective, (e) => formatEffective(address, e), { mailbox: address, ...effective });
      }),
  );
}
