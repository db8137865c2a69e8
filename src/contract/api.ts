/**
 * The HTTP API between the task pane and the backend, defined once (docs/interface.md §
 * "Sign-in API"). The backend's routes validate requests and type their answers with these
 * schemas; the pane parses every answer with the same schemas, so the two cannot drift.
 *
 * Written with `zod/mini`: the pane ships it, and the functional API tree-shakes to a few KiB.
 * Objects are not strict on answers (a newer backend may add a field an older pane ignores),
 * and they are strict on requests (an unknown field is a client bug, `INPUT_INVALID`).
 *
 * @module
 */
import * as z from 'zod/mini';

/** Sign-in method ids, in the order the catalogue lists them (docs/interface.md § Profiles). */
export const METHOD_IDS = ['iwa', 'identity-token', 'password'] as const;
export const methodId = z.enum(METHOD_IDS);
export type MethodId = z.infer<typeof methodId>;

/** Whether a string names a sign-in method this build knows. */
export function isMethodId(value: unknown): value is MethodId {
  return typeof value === 'string' && (METHOD_IDS as readonly string[]).includes(value);
}

/** The Negotiate mechanism the CAS accepted; identity-token sign-ins have none. */
export const MECHANISMS = ['kerberos', 'ntlm'] as const;
export const mechanism = z.enum(MECHANISMS);
export type Mechanism = z.infer<typeof mechanism>;

const isoTime = z.iso.datetime({ offset: true });

/**
 * `GET /api/auth/methods?mailbox=`: enabled methods first, in the profile's order (the order
 * silent sign-in tries them), then the disabled ones. `profile` and `reason` only for admins.
 * A method id this build does not know is dropped, not an error: a newer backend may add one.
 */
export const methodsResponse = z.object({
  mailbox: z.string(),
  profile: z.optional(z.string()),
  reason: z.optional(z.string()),
  methods: z.pipe(
    z.array(z.object({ method: z.string(), enabled: z.boolean() })),
    z.transform((list) =>
      list.flatMap((m) => (isMethodId(m.method) ? [{ method: m.method, enabled: m.enabled }] : [])),
    ),
  ),
});
export type MethodsResponse = z.output<typeof methodsResponse>;
export type MethodInfo = MethodsResponse['methods'][number];

/** `200` of `GET /api/auth/iwa`, `POST /api/auth/identity-token` and `POST /api/auth/password`. */
export const signInResponse = z.object({
  token: z.string().check(z.minLength(1)),
  mailbox: z.string().check(z.minLength(1)),
  method: methodId,
  mechanism: z.nullable(mechanism),
  expiresAt: isoTime,
});
export type SignInResponse = z.output<typeof signInResponse>;

/** `200` of `GET /api/session`: never the token, never its hash. */
export const sessionResponse = z.object({
  mailbox: z.string(),
  method: methodId,
  mechanism: z.nullable(mechanism),
  profile: z.optional(z.nullable(z.string())),
  expiresAt: isoTime,
  idleExpiresAt: z.optional(isoTime),
});
export type SessionResponse = z.output<typeof sessionResponse>;

/** The diagnosis steps, in the order they run (docs/interface.md § Diagnosis). */
export const DIAGNOSIS_STEPS = ['profile', 'dns', 'tcp', 'tls', 'negotiate', 'extended-protection'] as const;

/**
 * One step of `GET /api/auth/iwa/diagnose`. The public view (no admin credential) carries no
 * `detail`: only the verdict and the remedy, scrubbed of host names and addresses.
 */
export const diagnoseStep = z.object({
  name: z.string(),
  ok: z.boolean(),
  /** Passed, but something may still refuse sign-ins (Extended Protection with other certificates). */
  warning: z.optional(z.boolean()),
  /** The verdict in one sentence, meaningful without `detail`. */
  outcome: z.optional(z.string()),
  /** Admins only: the names, subjects and hashes behind the verdict. */
  detail: z.optional(z.string()),
  /** For a failed or warning step: what an Exchange admin should change. */
  remedy: z.optional(z.string()),
});
export type DiagnoseStep = z.output<typeof diagnoseStep>;

export const diagnoseResponse = z.object({
  ok: z.boolean(),
  mailbox: z.string(),
  /** Admins only. */
  profile: z.optional(z.nullable(z.string())),
  steps: z.array(diagnoseStep),
});
export type DiagnoseResponse = z.output<typeof diagnoseResponse>;

/** `200` of `POST /api/token` (RFC 6749 §5.1): a signed access token for one audience. */
export const accessTokenResponse = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.literal('Bearer'),
  expires_in: z.number(),
});
export type AccessTokenResponse = z.output<typeof accessTokenResponse>;

/**
 * Every error answer (docs/interface.md § Errors): a stable catalogue code, a sentence, maybe
 * a remedy, and code-specific facts that are never secrets.
 */
export const errorResponse = z.looseObject({
  code: z.string(),
  message: z.string(),
  remedy: z.optional(z.string()),
});
export type ErrorResponse = z.output<typeof errorResponse>;

// ---- request bodies ----

// Control characters have no place in a user name, and keep odd bytes out of NTLM and logs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const text = (max: number) => z.string({ error: 'must be a string' }).check(z.maxLength(max, 'is too long'));
const required = (max: number) => text(max).check(z.minLength(1, 'is required'));

/** `POST /api/auth/password`: the field messages name the problem, never the value. */
export const passwordRequest = z.strictObject({
  mailbox: text(320),
  // A UPN can be long; sAMAccountName is at most 20 characters.
  username: required(256).check(z.refine((s) => !CONTROL.test(s), 'must not contain control characters')),
  // Active Directory passwords are at most 256 characters.
  password: required(256),
});
export type PasswordRequest = z.output<typeof passwordRequest>;

/** `POST /api/auth/identity-token` and `…/bind`: Exchange's identity token (a compact JWS). */
export const identityTokenRequest = z.strictObject({ token: required(16_384) });
export type IdentityTokenRequest = z.output<typeof identityTokenRequest>;

/** `POST /api/token`: an access token for one registered audience. */
export const accessTokenRequest = z.object({ audience: required(1000) });
export type AccessTokenRequest = z.output<typeof accessTokenRequest>;
