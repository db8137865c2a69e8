/**
 * The shapes of the backend answers the pane reads (`docs/interface.md`). Where the
 * interface document leaves a shape open, the assumption is written here, in one place.
 */

export type MethodId = 'iwa' | 'identity-token' | 'password';

export const METHOD_IDS: readonly MethodId[] = ['iwa', 'identity-token', 'password'];

export function isMethodId(v: unknown): v is MethodId {
  return typeof v === 'string' && (METHOD_IDS as readonly string[]).includes(v);
}

/**
 * `GET /api/auth/methods?mailbox=` — ASSUMED shape (interface.md only says "the effective
 * profile's methods and what the server knows of each"). Unknown methods are ignored.
 */
export interface MethodsResponse {
  readonly profile: string;
  readonly methods: readonly MethodInfo[];
}
export interface MethodInfo {
  readonly method: MethodId;
  readonly enabled: boolean;
}

/** `200` of `/api/auth/iwa`, `/api/auth/identity-token`, `/api/auth/password`. */
export interface SignInResponse {
  readonly token: string;
  readonly mailbox: string;
  readonly method: MethodId;
  readonly mechanism?: 'kerberos' | 'ntlm' | undefined;
  readonly expiresAt: string;
}

/** `200` of `GET /api/session`. */
export interface SessionResponse {
  readonly mailbox: string;
  readonly method: MethodId;
  readonly mechanism?: 'kerberos' | 'ntlm' | undefined;
  readonly expiresAt: string;
}

/** `200` of `POST /api/token`: a signed access token for one registered audience. */
export interface AccessTokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
}

/** `GET /api/auth/iwa/diagnose?mailbox=`; `remedy` is ASSUMED optional per step. */
export interface DiagnoseResponse {
  readonly ok: boolean;
  readonly steps: readonly DiagnoseStep[];
}
export interface DiagnoseStep {
  readonly name: string;
  readonly ok: boolean;
  /** Passed, but something may still refuse sign-ins (Extended Protection with other certificates). */
  readonly warning?: boolean | undefined;
  /** The verdict in one sentence; `detail` holds the names, subjects and hashes behind it. */
  readonly outcome?: string | undefined;
  readonly detail: string;
  readonly remedy?: string | undefined;
}

/** What the pane keeps of a session: the token stays in memory and `sessionStorage` only. */
export interface Session {
  readonly token: string;
  readonly mailbox: string;
  readonly method: MethodId;
  readonly mechanism?: 'kerberos' | 'ntlm' | undefined;
  readonly expiresAt: string;
}

// ---- tolerant parsers (no schema library in the pane's bundle) ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const mech = (v: unknown) => (v === 'kerberos' || v === 'ntlm' ? v : undefined);

export function parseMethods(v: unknown): MethodsResponse | undefined {
  if (!isObj(v) || !Array.isArray(v.methods)) return undefined;
  const methods: MethodInfo[] = [];
  for (const m of v.methods as unknown[]) {
    if (isObj(m) && isMethodId(m.method)) methods.push({ method: m.method, enabled: m.enabled === true });
  }
  return { profile: str(v.profile) ?? '', methods };
}

export function parseSignIn(v: unknown): SignInResponse | undefined {
  if (!isObj(v)) return undefined;
  const token = str(v.token);
  const mailbox = str(v.mailbox);
  const expiresAt = str(v.expiresAt);
  if (!token || !mailbox || !expiresAt || !isMethodId(v.method)) return undefined;
  return { token, mailbox, method: v.method, mechanism: mech(v.mechanism), expiresAt };
}

export function parseSession(v: unknown): SessionResponse | undefined {
  if (!isObj(v)) return undefined;
  const mailbox = str(v.mailbox);
  const expiresAt = str(v.expiresAt);
  if (!mailbox || !expiresAt || !isMethodId(v.method)) return undefined;
  return { mailbox, method: v.method, mechanism: mech(v.mechanism), expiresAt };
}

export function parseAccessToken(v: unknown): AccessTokenResponse | undefined {
  if (!isObj(v) || v.token_type !== 'Bearer' || typeof v.expires_in !== 'number') return undefined;
  const token = str(v.access_token);
  return token ? { access_token: token, token_type: 'Bearer', expires_in: v.expires_in } : undefined;
}

export function parseDiagnose(v: unknown): DiagnoseResponse | undefined {
  if (!isObj(v) || typeof v.ok !== 'boolean' || !Array.isArray(v.steps)) return undefined;
  const steps: DiagnoseStep[] = [];
  for (const s of v.steps as unknown[]) {
    if (!isObj(s)) continue;
    steps.push({
      name: str(s.name) ?? 'Step',
      ok: s.ok === true,
      ...(s.warning === true ? { warning: true } : {}),
      ...(str(s.outcome) === undefined ? {} : { outcome: str(s.outcome) }),
      detail: str(s.detail) ?? '',
      remedy: str(s.remedy),
    });
  }
  return { ok: v.ok, steps };
}
