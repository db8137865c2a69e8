import { classifyHttpFailure, fail, ok, type Result } from './failure.ts';
import {
  parseAccessToken,
  parseDiagnose,
  parseMethods,
  parseSession,
  parseSignIn,
  type AccessTokenResponse,
  type DiagnoseResponse,
  type MethodsResponse,
  type SessionResponse,
  type SignInResponse,
} from './types.ts';

/** The backend API the pane uses; every call is same-origin (`docs/interface.md`). */
export interface Api {
  methods(mailbox: string): Promise<Result<MethodsResponse>>;
  session(token: string): Promise<Result<SessionResponse>>;
  signOut(token: string): Promise<Result<null>>;
  /** The Negotiate relay: the browser answers the challenges itself. */
  iwa(mailbox: string): Promise<Result<SignInResponse>>;
  identityToken(idToken: string): Promise<Result<SignInResponse>>;
  bindIdentityToken(sessionToken: string, idToken: string): Promise<Result<null>>;
  password(input: { mailbox: string; username: string; password: string }): Promise<Result<SignInResponse>>;
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

/** Reads a response: JSON on 2xx through `parse`, a classified {@link Failure} otherwise. Pure given the response. */
export async function processResponse<T>(
  res: Response,
  parse: (body: unknown) => T | undefined,
): Promise<Result<T>> {
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
  const value = parse(body);
  return value === undefined ? fail('UNEXPECTED_RESPONSE', {}, res.status) : ok(value);
}

const nothing = (): null => null;

export function createApi(options: ApiOptions = {}): Api {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const base = options.base ?? globalThis.location.href;
  const url = (path: string, query?: Record<string, string>) => {
    const u = new URL(path, base);
    for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, v);
    return u.toString();
  };

  type Init = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

  async function call<T>(
    target: string,
    init: Init,
    parse: (b: unknown) => T | undefined,
  ): Promise<Result<T>> {
    let res: Response;
    try {
      res = await doFetch(target, { ...init, headers: { accept: 'application/json', ...init.headers } });
    } catch {
      return fail('NETWORK_FAILURE');
    }
    return processResponse(res, parse);
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
    methods: (mailbox) => call(url('/api/auth/methods', { mailbox }), {}, parseMethods),
    session: (token) =>
      call(url('/api/session'), { headers: { authorization: `Bearer ${token}` } }, parseSession),
    signOut: (token) =>
      call(url('/api/session'), { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }, nothing),
    iwa: (mailbox) => call(url('/api/auth/iwa', { mailbox }), { credentials: 'include' }, parseSignIn),
    identityToken: (idToken) => call(url('/api/auth/identity-token'), json({ token: idToken }), parseSignIn),
    bindIdentityToken: (sessionToken, idToken) =>
      call(url('/api/auth/identity-token/bind'), json({ token: idToken }, sessionToken), nothing),
    password: (input) => call(url('/api/auth/password'), json(input), parseSignIn),
    diagnoseIwa: (mailbox) => call(url('/api/auth/iwa/diagnose', { mailbox }), {}, parseDiagnose),
    token: (sessionToken, audience) =>
      call(url('/api/token'), { ...json({ audience }, sessionToken), cache: 'no-store' }, parseAccessToken),
  };
}
