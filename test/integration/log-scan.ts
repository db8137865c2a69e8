/**
 * The no-secrets scan of docs/architecture.md §6: tokens, challenges and passwords never reach a log
 * line. Tests register every token they send or receive (and every session token issued);
 * {@link scanLogs} then looks for them, and for tell-tale patterns, in a server's log lines.
 */
import type { LabInfo } from '../lab/lab.ts';

/** Tokens (base64 as sent on the wire) and other secrets seen by this test file. */
const secrets = new Set<string>();

/** Remembers a secret (a Negotiate token in base64, a session token, a password). */
export function rememberSecret(value: string | undefined): void {
  const v = value?.trim();
  if (v !== undefined && v.length >= 8) secrets.add(v);
}

/** Remembers the token of an `Authorization`/`WWW-Authenticate` value such as `Negotiate abc…`. */
export function rememberHeaderToken(value: string | string[] | undefined): void {
  for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
    const token = v.trim().split(/\s+/)[1];
    if (token !== undefined) rememberSecret(token);
  }
}

export function rememberedSecretCount(): number {
  return secrets.size;
}

export interface LogFinding {
  readonly line: number;
  readonly what: string;
}

/** A run of this many characters of a remembered token counts as a leak. */
const WINDOW = 40;

const PATTERNS: readonly [string, RegExp][] = [
  ['Negotiate token', /Negotiate\s+[A-Za-z0-9+/]{8,}/i],
  ['NTLM token', /NTLM\s+[A-Za-z0-9+/]{8,}/i],
  ['Bearer token', /Bearer\s+[A-Za-z0-9._~+/-]{8,}/i],
  ['NTLMSSP in base64', /TlRMTVNTU/],
  ['NTLMSSP raw', /NTLMSSP/],
];

/**
 * Every log line that holds a lab password, a 40-character run of any remembered token or
 * secret, `Negotiate `/`NTLM `/`Bearer ` followed by a credential, or NTLMSSP. Findings name
 * the line and the rule, never the secret.
 */
export function scanLogs(
  lines: readonly string[],
  lab: LabInfo,
  extra: readonly string[] = [],
): LogFinding[] {
  const passwords = [...Object.values(lab.users).map((u) => u.password), 'wrong-password', ...extra];
  const haystack = [...secrets].join('\n');
  const findings: LogFinding[] = [];
  lines.forEach((text, line) => {
    for (const p of passwords) if (text.includes(p)) findings.push({ line, what: 'password' });
    for (const [what, re] of PATTERNS) if (re.test(text)) findings.push({ line, what });
    // Any run of 40 base64(url) characters that also occurs in a token sent or received.
    runs: for (const m of text.matchAll(/[A-Za-z0-9+/=_-]{40,}/g)) {
      for (let i = 0; i + WINDOW <= m[0].length; i++) {
        if (haystack.includes(m[0].slice(i, i + WINDOW))) {
          findings.push({ line, what: 'token or secret' });
          break runs;
        }
      }
    }
  });
  return findings;
}
