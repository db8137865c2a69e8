/**
 * SMTP mailbox addresses as Exchange uses them: the `mailbox` claim the add-in sends, and the
 * primary SMTP address EWS proves.
 *
 * We accept the common, unquoted form only (RFC 5321 §4.1.2 `Dot-string "@" Domain`, with a
 * domain of at least two LDH labels, RFC 1035 §2.3.1), ASCII only, within the RFC 5321 §4.5.3.1
 * length limits. Quoted local parts, address literals and internationalised addresses are
 * refused: Exchange primary SMTP addresses do not use them, and a narrow grammar keeps odd
 * input out of logs and database keys.
 *
 * Addresses compare case-insensitively: Exchange resolves them so, although RFC 5321 lets a
 * local part be case-sensitive.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1
 * @module
 */

import { IwaError } from './errors.ts';

// atext (RFC 5322 §3.2.3), dot-separated, no leading/trailing/double dots.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Whether `value` is an SMTP address we accept as a mailbox (see the module comment). */
export function isSmtpAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || domain.length > 253 || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  // A top-level label is never all digits; this also keeps IPv4-looking domains out.
  return !/^\d+$/.test(labels[labels.length - 1] ?? '');
}

/** The canonical form we store and compare: trimmed and lower-cased. */
export function normaliseMailbox(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Validate and normalise a mailbox parameter.
 *
 * @throws {@link IwaError} `MAILBOX_INVALID` when it is missing or not an SMTP address. The
 *   detail says which (`missing` or `not-smtp`), never echoing the value.
 */
export function parseMailbox(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new IwaError('MAILBOX_INVALID', { reason: 'missing' });
  const normalised = normaliseMailbox(value);
  if (!isSmtpAddress(normalised)) throw new IwaError('MAILBOX_INVALID', { reason: 'not-smtp' });
  return normalised;
}

/** Whether two addresses name the same mailbox (case-insensitive, surrounding space ignored). */
export function sameMailbox(a: string, b: string): boolean {
  return normaliseMailbox(a) === normaliseMailbox(b);
}
