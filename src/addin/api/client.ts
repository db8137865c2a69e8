import {
  accessTokenResponse,
  diagnoseResponse,
  methodsResponse,
  sessionResponse,
  signInResponse,
  type AccessTokenResponse,
  type DiagnoseResponse,
  type MethodsResponse,
  type PasswordRequest,
  type SessionResponse,
  type SignInResponse,
} from '../../contract/api.ts';
import { classifyHttpFailure, fail, ok, type Result } from './failure.ts';

/** The backend API the pane uses; every call is same-origin (`docs/interface.md`). */
export interface Api {
  methods(mailbox: string): Promise<Result<MethodsResponse>>;
  session(token: string): Promise<Result<SessionResponse>>;
  signOut(token: string): Promise<Result<null>>;
  /** The Negotiate relay: the browser answers the challenges itself. */
  iwa(mailbox: string): Promise<Result<SignInResponse>>;
  identityToken(idToken: string): Promise<Result<SignInResponse>>;
  bindIdentityToken(sessionToken: string, idToken: string): Promise<Result<null>>;
  password(input: PasswordRequest): Promise<Result<SignInResponse>>;
  diagnoseIwa(mailbox: string): Promise<Result<DiagnoseResponse>>;
  /**
   * A short-lived signed token for one of the organisation's own APIs (`audience`, as the
   * admin registered it), for the signed-in session (docs/access-tokens.md).
   */
  token(sessionToken: string, audience: string): Promise<Result<AccessTokenResponse>>;
}

export interface ApiOptions {
  readonly fetch?: typeof fetch;
  /** Base URL; defaults to the page's own location. */
  readonly base?: string;
}

/** How a 2xx answer is read: a schema of the one API contract (`src/contract/api.ts`). */
export interface AnswerSchema<T> {
  safeParse(body: unknown): { readonly success: true; readonly data: T } | { readonly success: false };
}

/** For answers whose body the pane does not use (sign-out, binding). */
const anyBody: AnswerSchema<null> = { safeParse: () => ({ success: true, data: null }) };

/**
 * Reads a response: on 2xx, JSON parsed by the contract's `schema` (anything else is
 * `UNEXPECTED_RESPONSE`); otherwise a classified {@link Failure}. Pure given the response.
 */
export async function processResponse<T>(res: Response, schema: AnswerSchema<T>): Promise<Result<T>> {
  let body: unknown = undefined;
  const text = await res.text().catch(() => '');
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!res.ok)
    return { ok: false, failure: classifyHttpFailure(res.status, res.headers.get('www-authenticate'), body) };
  const parsed = schema.safeParse(body);
  return parsed.success ? ok(parsed.data) : fail('UNEXPECTED_RESPONSE', {}, res.status);
}

export function createApi(options: ApiOptions = {}): Api {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.base ?? globalThis.location.href;
  const url = (path: string, query?: Record<string, string>) => {
    const u = new URL(path, base);
    for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, v);
    return u.toString();
  };

  type Init = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

  async function call<T>(target: string, init: Init, schema: AnswerSchema<T>): Promise<Result<T>> {
    let res: Response;
    try {
      res = await doFetch(target, { ...init, headers: { accept: 'application/json', ...init.headers } });
    } catch {
      return fail('NETWORK_FAILURE');
    }
    return processResponse(res, schema);
  }
  const json = (body: unknown, bearer?: string): Init => ({
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
    },
    body: JSON.stringify(body),
  });

  return {
    methods: (mailbox) => call(url('/api/auth/methods', { mailbox }), {}, methodsResponse),
    session: (token) =>
      call(url('/api/session'), { headers: { authorization: `Bearer ${token}` } }, sessionResponse),
    signOut: (token) =>
      call(url('/api/session'), { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }, anyBody),
    iwa: (mailbox) => call(url('/api/auth/iwa', { mailbox }), { credentials: 'include' }, signInResponse),
    identityToken: (idToken) =>
      call(url('/api/auth/identity-token'), json({ token: idToken }), signInResponse),
    bindIdentityToken: (sessionToken, idToken) =>
      call(url('/api/auth/identity-token/bind'), json({ token: idToken }, sessionToken), anyBody),
    password: (input) => call(url('/api/auth/password'), json(input), signInResponse),
    diagnoseIwa: (mailbox) => call(url('/api/auth/iwa/diagnose', { mailbox }), {}, diagnoseResponse),
    token: (sessionToken, audience) =>
      call(
        url('/api/token'),
        { ...json({ audience }, sessionToken), cache: 'no-store' },
        accessTokenResponse,
      ),
  };
}
