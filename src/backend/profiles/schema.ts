/**
 * Validation of authentication profiles, shared by the store, the admin CLI and the admin
 * API, so every entry point refuses the same input with the same field name.
 */
import { inputError } from '../../contract/input.ts';
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { IwaError } from '../../protocol/errors.ts';
import { isSmtpAddress } from '../../protocol/mailbox.ts';
import type { ProfilePatch } from '../storage/types.ts';
import { METHODS, type ProfileInput } from '../domain.ts';

/** Sane upper bounds; they keep a profile small enough to read on every sign-in. */
export const LIMITS = {
  nameLength: 64,
  descriptionLength: 500,
  urlLength: 2048,
  pemBytes: 64 * 1024,
  listEntries: 1000,
  mailboxLength: 254,
  domainLength: 253,
  minSessionTtlSeconds: 5 * 60,
  maxSessionTtlSeconds: 30 * 24 * 3600,
  minIdleTtlSeconds: 60,
  maxPrecedence: 1_000_000,
} as const;

export const DEFAULTS = {
  description: '',
  methods: ['iwa', 'identity-token'] as const,
  sessionTtlSeconds: 8 * 3600,
  idleTtlSeconds: 3600,
  precedence: 0,
} as const;

/** Names the admin API uses as path segments of its own. */
const RESERVED_NAMES = new Set(['effective']);

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN_RE = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})+$`);
/** True if `value` (already lower case) is a DNS domain with at least two labels. */
export function isDomain(value: string): boolean {
  return DOMAIN_RE.test(value);
}

/** Why a CAS URL is refused, or null. The relay connects to exactly this URL. */
export function casUrlProblem(value: string): string | null {
  if (!URL.canParse(value)) return 'is not a valid URL';
  const url = new URL(value);
  if (url.protocol !== 'https:') return 'must be an https:// URL (the relay never talks to the CAS in clear)';
  if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
  if (url.hash !== '') return 'must not contain a #fragment';
  if (url.hostname === '') return 'has no host';
  return null;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

/**
 * Why a CA bundle is refused, or null. Only certificates are allowed, each must parse with
 * `X509Certificate`; anything else (notably a private key pasted by mistake) is refused so
 * that it is never stored.
 */
export function pemBundleProblem(pem: string): string | null {
  const blocks = pem.match(CERT_BLOCK) ?? [];
  if (blocks.length === 0) return 'contains no PEM certificate (-----BEGIN CERTIFICATE-----)';
  if (pem.replace(CERT_BLOCK, '').trim() !== '') return 'contains something other than PEM certificates';
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `certificate ${i + 1} of ${blocks.length} is not a valid X.509 certificate`;
    }
  }
  return null;
}

const nameSchema = z
  .string()
  .max(LIMITS.nameLength)
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    'must start with a lower-case letter or digit and hold only a-z, 0-9, ".", "_" and "-"',
  )
  .refine((n) => !RESERVED_NAMES.has(n), 'is reserved');

/** A string of at most `max` characters that `problem` finds nothing wrong with. */
const checkedString = (max: number, problem: (value: string) => string | null) =>
  z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      const found = problem(value);
      if (found !== null) ctx.addIssue({ code: 'custom', message: found });
    });

const casUrlSchema = checkedString(LIMITS.urlLength, casUrlProblem);

const casCaSchema = checkedString(LIMITS.pemBytes, pemBundleProblem).nullable();

const unique = <T>(list: readonly T[]): T[] => [...new Set(list)];

const methodsSchema = z
  .array(z.enum(METHODS))
  .min(1, 'needs at least one method')
  .max(METHODS.length)
  .refine((list) => new Set(list).size === list.length, 'lists a method twice');

const domainsSchema = z
  .array(z.string().trim().toLowerCase().max(LIMITS.domainLength).refine(isDomain, 'is not a DNS domain'))
  .max(LIMITS.listEntries)
  .transform(unique);

const mailboxesSchema = z
  .array(
    z.string().trim().toLowerCase().max(LIMITS.mailboxLength).refine(isSmtpAddress, 'is not an SMTP address'),
  )
  .max(LIMITS.listEntries)
  .transform(unique);

const whole = () => z.number().int('must be a whole number');
const sessionTtlSchema = whole().min(LIMITS.minSessionTtlSeconds).max(LIMITS.maxSessionTtlSeconds);
const idleTtlSchema = whole().min(LIMITS.minIdleTtlSeconds).max(LIMITS.maxSessionTtlSeconds);
const precedenceSchema = whole().min(-LIMITS.maxPrecedence).max(LIMITS.maxPrecedence);

/** The full profile with defaults filled in; unknown fields are refused. */
export const profileInputSchema = z
  .strictObject({
    name: nameSchema,
    description: z.string().max(LIMITS.descriptionLength).default(DEFAULTS.description),
    methods: methodsSchema.default([...DEFAULTS.methods]),
    casUrl: casUrlSchema,
    casCa: casCaSchema.default(null),
    sessionTtlSeconds: sessionTtlSchema.default(DEFAULTS.sessionTtlSeconds),
    idleTtlSeconds: idleTtlSchema.default(DEFAULTS.idleTtlSeconds),
    isDefault: z.boolean().default(false),
    domains: domainsSchema.default([]),
    mailboxes: mailboxesSchema.default([]),
    precedence: precedenceSchema.default(DEFAULTS.precedence),
  })
  .superRefine((p, ctx) => {
    if (p.idleTtlSeconds > p.sessionTtlSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['idleTtlSeconds'],
        message: 'must not be longer than the session lifetime',
      });
    }
  });

/** A patch: the same fields, all optional, no defaults, no `name`. */
export const profilePatchSchema = z.strictObject({
  description: z.string().max(LIMITS.descriptionLength).optional(),
  methods: methodsSchema.optional(),
  casUrl: casUrlSchema.optional(),
  casCa: casCaSchema.optional(),
  sessionTtlSeconds: sessionTtlSchema.optional(),
  idleTtlSeconds: idleTtlSchema.optional(),
  isDefault: z.boolean().optional(),
  domains: domainsSchema.optional(),
  mailboxes: mailboxesSchema.optional(),
  precedence: precedenceSchema.optional(),
});

/** `INPUT_INVALID` naming the field and the problem: the one helper every route uses too. */
export { inputError };

/** Validates a whole profile (create), filling defaults. Throws `INPUT_INVALID`. */
export function parseProfileInput(input: unknown): ProfileInput {
  const result = profileInputSchema.safeParse(input);
  if (!result.success) throw inputError(result.error);
  return result.data;
}

/** Validates a patch (update). Throws `INPUT_INVALID`; a `name` field is refused with a reason. */
export function parseProfilePatch(input: unknown): ProfilePatch {
  if (typeof input === 'object' && input !== null && Object.hasOwn(input, 'name')) {
    throw new IwaError(
      'INPUT_INVALID',
      { field: 'name', problem: 'cannot be changed; create a new profile instead' },
      'Invalid name: a profile cannot be renamed.',
    );
  }
  const result = profilePatchSchema.safeParse(input);
  if (!result.success) throw inputError(result.error);
  return result.data;
}

const DURATION_RE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses `30m`, `8h`, `1d`, `1h30m` or bare seconds into seconds; null if it is none of them. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (/^\d{1,9}$/.test(t)) return Number(t);
  const m = DURATION_RE.exec(t);
  if (m === null || t === '') return null;
  const [, d, h, min, s] = m;
  const n = (v: string | undefined) => (v === undefined ? 0 : Number(v));
  const total = n(d) * 86400 + n(h) * 3600 + n(min) * 60 + n(s);
  return Number.isSafeInteger(total) ? total : null;
}

/** The shortest `1d2h3m4s`-style spelling of a number of seconds. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const q = Math.floor(rest / size);
    if (q > 0) parts.push(`${q}${unit}`);
    rest -= q * size;
  }
  return parts.join('');
}
