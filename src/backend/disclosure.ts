/**
 * What `/api/auth/iwa/diagnose` and `/api/auth/methods` tell a caller without the admin
 * credential (docs/interface.md): step names, outcomes and the remedy, never the CAS's
 * address, certificate subjects, profile names or why a profile matched. One allow-list per
 * answer, so a diagnosis step added later is redacted the same way without knowing it.
 */
import type { FastifyRequest } from 'fastify';
import type { DiagnosisReport } from './relay/diagnose.ts';
import { addressKey } from './limits/policy.ts';
import { limitKeys, type SignInLimits } from './limits/sign-in-limits.ts';
import type { RateLimitPolicy } from './relay/rate-limit.ts';
import { parseBearer } from './routes/session.ts';
import type { Store } from './storage/types.ts';

export interface PublicDiagnosisStep {
  readonly name: string;
  readonly ok: boolean;
  /** Passed, but with a finding (the Extended Protection certificate comparison). */
  readonly warning?: boolean;
  /** One sentence a user can act on; scrubbed like the remedy. */
  readonly outcome?: string;
  readonly remedy?: string;
}

export interface PublicDiagnosis {
  readonly ok: boolean;
  readonly mailbox: string;
  readonly steps: readonly PublicDiagnosisStep[];
}

/** Values a remedy may quote that the public must not learn, and what stands in for them. */
export interface Internals {
  readonly profile?: string | null | undefined;
  readonly casHost?: string | undefined;
}

// IPv4 and IPv6 literals, which only ever name our own network in a remedy.
const ADDRESS = /\b(?:\d{1,3}\.){3}\d{1,3}\b|\[?\b[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\]?/g;

function scrub(text: string, internals: Internals): string {
  let out = text;
  if (internals.casHost !== undefined && internals.casHost !== '') {
    out = out.split(internals.casHost).join('the CAS');
  }
  if (internals.profile != null && internals.profile !== '') {
    out = out.split(internals.profile).join('<profile>');
  }
  return out.replace(ADDRESS, '<address>');
}

/** The public view of a diagnosis: each step's name, outcome and remedy, nothing else. */
export function publicDiagnosis(report: DiagnosisReport, internals: Internals): PublicDiagnosis {
  return {
    ok: report.ok,
    mailbox: report.mailbox,
    steps: report.steps.map((step) => ({
      name: step.name,
      ok: step.ok,
      ...(step.warning === undefined ? {} : { warning: step.warning }),
      ...(step.outcome === undefined ? {} : { outcome: scrub(step.outcome, internals) }),
      ...(step.remedy === undefined ? {} : { remedy: scrub(step.remedy, internals) }),
    })),
  };
}

/** The public view of the methods answer: which methods, in order, and whether enabled. */
export function publicMethods<T extends { readonly mailbox: string; readonly methods: readonly unknown[] }>(
  answer: T,
): Pick<T, 'mailbox' | 'methods'> {
  return { mailbox: answer.mailbox, methods: answer.methods };
}

/** Whether the request carries the admin credential (`Authorization: Bearer …`). */
export async function isAdmin(store: Store, req: FastifyRequest): Promise<boolean> {
  const credential = parseBearer(req.headers.authorization);
  return credential !== null && (await store.adminCredentials.verify(credential));
}

/** The policy of `/api/auth/iwa/diagnose` and `/api/auth/methods`, each per client address. */
export interface ProbeLimit {
  readonly limits: SignInLimits;
  readonly policy: RateLimitPolicy;
}

/**
 * Charges one request to the caller's address in the shared counters (so N instances give one
 * budget); `RATE_LIMITED` (with Retry-After) when spent.
 */
export async function chargeAddress(
  probe: ProbeLimit,
  route: 'diagnose' | 'methods',
  req: FastifyRequest,
): Promise<void> {
  await probe.limits.admit([
    {
      kind: 'bucket',
      scope: 'address',
      key: limitKeys.probeRate(route, addressKey(req.ip)),
      policy: probe.policy,
      take: true,
    },
  ]);
}
