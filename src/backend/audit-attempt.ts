import type { AuditEntry } from './domain.ts';

/**
 * One sign-in attempt as the audit trail records it. The outcome is derived from the reason
 * (`OK` is the only success), so no caller can record a success with an error code or the
 * reverse.
 */
export function signInAttempt(entry: Omit<AuditEntry, 'outcome'>): AuditEntry {
  return { ...entry, outcome: entry.reason === 'OK' ? 'success' : 'failure' };
}
