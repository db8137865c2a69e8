/** `outlook-iwa audit [--limit N] [--mailbox M] [--since T] [--until T] [--json]` and `audit prune`. */
import type { Command } from 'commander';
import { parseDuration } from '../profiles/schema.ts';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from '../storage/audit.ts';
import type { AuditEntry } from '../domain.ts';
import { type CommonOptions, badFlag, count, print, report, storeCommand, useStore, when } from './admin.ts';
import { option, tableOr } from './options.ts';

/**
 * A point in time from the command line: an ISO 8601 date-time, or a duration meaning that
 * long ago (`24h`, `7d`). Pure: `now` is given.
 */
export function parseWhen(field: string, text: string, now: Date): Date {
  const ago = parseDuration(text);
  if (ago !== null) return new Date(now.getTime() - ago * 1000);
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim()) || Number.isNaN(ms)) {
    throw badFlag(field, 'is neither an ISO 8601 date-time nor a duration like 24h or 7d');
  }
  return new Date(ms);
}

function parseLimit(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > AUDIT_MAX_LIMIT) {
    throw badFlag('limit', `must be a whole number from 1 to ${AUDIT_MAX_LIMIT}`);
  }
  return n;
}

/** `audit` for humans. */
export const formatAudit = tableOr(
  'No audit entries.',
  ['TIME', 'CLIENT', 'CLAIMED', 'PROVEN', 'METHOD', 'MECHANISM', 'OUTCOME', 'REASON', 'PROFILE', 'ACCOUNT'],
  (e: AuditEntry) => [
    when(e.at),
    e.clientAddress,
    e.claimedMailbox ?? '-',
    e.provenMailbox ?? '-',
    e.method,
    e.mechanism ?? '-',
    e.outcome,
    e.reason,
    e.profile ?? '-',
    // The NTLM account an attempt named: a spray shows up as one account, many addresses.
    e.account ?? '-',
  ],
);

interface AuditOptions extends CommonOptions {
  limit?: string;
  mailbox?: string;
  since?: string;
  until?: string;
}

/** `outlook-iwa audit …`. */
export function auditCommand(): Command {
  const audit = storeCommand('audit', 'the sign-in audit trail, newest first')
    .addOption(option('--limit <n>', `at most this many entries (default ${AUDIT_DEFAULT_LIMIT})`))
    .addOption(option('--mailbox <mailbox>', 'only entries that claimed or proved this mailbox'))
    .addOption(option('--since <when>', 'from this ISO date-time, or this long ago (24h, 7d)'))
    .addOption(option('--until <when>', 'before this ISO date-time, or this long ago'))
    .action(async (opts: AuditOptions) => {
      const now = new Date();
      const query = {
        ...(opts.limit === undefined ? {} : { limit: parseLimit(opts.limit) }),
        ...(opts.mailbox === undefined ? {} : { mailbox: opts.mailbox }),
        ...(opts.since === undefined ? {} : { since: parseWhen('since', opts.since, now) }),
        ...(opts.until === undefined ? {} : { until: parseWhen('until', opts.until, now) }),
      };
      const entries = await useStore(opts, (store) => store.audit.query(query));
      report(opts, entries, formatAudit);
    });

  audit.addCommand(
    storeCommand('prune', 'delete audit entries older than a given age', false)
      .addOption(option('--older-than <age>', 'e.g. 90d, or an ISO date-time').makeOptionMandatory())
      .action(async (opts: CommonOptions & { olderThan: string }) => {
        const before = parseWhen('olderThan', opts.olderThan, new Date());
        const pruned = await useStore(opts, (store) => store.audit.prune(before));
        print(`Pruned ${count(pruned, 'audit entry', 'audit entries')} older than ${when(before)}.`);
      }),
  );
  return audit;
}
