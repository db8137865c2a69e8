/**
 * An in-memory stand-in for the backend API (`docs/interface.md`), as msw handlers.
 * Used by the component tests (`setupServer`) and by `npm run dev` (`setupWorker`); never
 * part of the production bundle.
 */
import { http, HttpResponse, delay } from 'msw';
import { IwaError, type ErrorCode } from '../../protocol/errors.ts';
import type {
  DiagnoseResponse,
  DiagnoseStep,
  Mechanism,
  MethodId,
  MethodInfo,
  MethodsResponse,
  SessionResponse,
  SignInResponse,
} from '../../contract/api.ts';

/** How a sign-in endpoint answers. */
export type MockOutcome =
  | { readonly ok: true; readonly mechanism?: Mechanism; readonly mailbox?: string }
  | { readonly error: ErrorCode; readonly details?: Record<string, unknown> }
  /** `401` + `WWW-Authenticate: Negotiate`: what fetch sees when the browser offers no credentials. */
  | { readonly negotiate: true }
  /** The request fails at network level. */
  | { readonly network: true };

/** One outcome, or a sequence consumed one per request (the last one repeats). */
export type MockOutcomes = MockOutcome | readonly MockOutcome[];

export interface MockBackendOptions {
  /** The effective profile's methods; default: all three enabled. */
  readonly methods?:
    readonly MethodInfo[] | { readonly error: ErrorCode; readonly details?: Record<string, unknown> };
  readonly iwa?: MockOutcomes;
  readonly identityToken?: MockOutcomes;
  /** Password sign-in: default accepts user `alice` with password `correct horse`. */
  readonly password?: (input: { username: string; password: string; mailbox: string }) => MockOutcome;
  readonly diagnose?: DiagnoseResponse | { readonly error: ErrorCode };
  readonly bind?: MockOutcome;
  /** Sessions the server already knows, by token. */
  readonly sessions?: Readonly<Record<string, SessionResponse>>;
  /** Artificial latency per request (ms), for the dev server. */
  readonly latencyMs?: number;
}

/** A request the mock saw. Secrets are not recorded: passwords and tokens are replaced by flags. */
export interface MockRequest {
  readonly method: string;
  readonly path: string;
  readonly mailbox?: string | null;
  readonly bearer?: string | undefined;
  readonly username?: string;
  readonly hadPassword?: boolean;
  readonly hadToken?: boolean;
  readonly credentials?: RequestCredentials;
}

/**
 * Step names as the backend's diagnoser writes them (`src/backend/relay/diagnose.ts`), in the
 * public view the pane gets (no admin credential): no `detail`, host names scrubbed.
 */
const REACHABLE: DiagnoseStep[] = [
  { name: 'profile', ok: true },
  { name: 'dns', ok: true },
  { name: 'tcp', ok: true },
  { name: 'tls', ok: true },
];

export const DIAGNOSE_OK: DiagnoseResponse = {
  ok: true,
  mailbox: 'alice@corp.test',
  steps: [...REACHABLE, { name: 'negotiate', ok: true }],
};

export const DIAGNOSE_BASIC_ONLY: DiagnoseResponse = {
  ok: false,
  mailbox: 'alice@corp.test',
  steps: [
    ...REACHABLE,
    {
      name: 'negotiate',
      ok: false,
      remedy: 'Enable Windows Authentication (Negotiate) on the EWS virtual directory in IIS.',
    },
  ],
};

const ALL_METHODS: MethodInfo[] = [
  { method: 'iwa', enabled: true },
  { method: 'identity-token', enabled: true },
  { method: 'password', enabled: true },
];

export function createMockBackend(options: MockBackendOptions = {}) {
  const requests: MockRequest[] = [];
  const sessions = new Map<string, SessionResponse>(Object.entries(options.sessions ?? {}));
  const bound = new Set<string>();
  let counter = 0;
  const served = new Map<string, number>();
  const pick = (kind: string, o: MockOutcomes): MockOutcome => {
    if (!Array.isArray(o)) return o as MockOutcome;
    const list = o as readonly MockOutcome[];
    const i = served.get(kind) ?? 0;
    served.set(kind, i + 1);
    const chosen = list[Math.min(i, list.length - 1)];
    if (!chosen) throw new Error(`no ${kind} outcome`);
    return chosen;
  };

  const errorResponse = (code: ErrorCode, details: Record<string, unknown> = {}) => {
    const e = new IwaError(code, details);
    return HttpResponse.json(e.toBody(), { status: e.status });
  };
  const bearerOf = (request: Request) =>
    /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
  const pause = async () => {
    if (options.latencyMs) await delay(options.latencyMs);
  };

  function answer(outcome: MockOutcome, method: MethodId, mailbox: string) {
    if ('negotiate' in outcome) {
      return new HttpResponse(null, { status: 401, headers: { 'www-authenticate': 'Negotiate' } });
    }
    if ('network' in outcome) return HttpResponse.error();
    if ('error' in outcome) return errorResponse(outcome.error, outcome.details);
    counter += 1;
    const token = `mock-session-${String(counter)}`;
    const session: SessionResponse = {
      mailbox: outcome.mailbox ?? mailbox,
      method,
      // An identity-token sign-in has no Negotiate mechanism: `null`, as the backend answers.
      mechanism: method === 'iwa' ? (outcome.mechanism ?? 'kerberos') : method === 'password' ? 'ntlm' : null,
      expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString(),
    };
    sessions.set(token, session);
    return HttpResponse.json({ token, ...session } satisfies SignInResponse);
  }

  const handlers = [
    http.get('*/api/auth/methods', async ({ request }) => {
      await pause();
      const mailbox = new URL(request.url).searchParams.get('mailbox');
      requests.push({ method: 'GET', path: '/api/auth/methods', mailbox });
      const m = options.methods ?? ALL_METHODS;
      if ('error' in m) return errorResponse(m.error, m.details);
      // The public answer: no profile name without the admin credential (docs/interface.md).
      return HttpResponse.json({ mailbox: mailbox ?? '', methods: [...m] } satisfies MethodsResponse);
    }),
    http.get('*/api/auth/iwa/diagnose', async ({ request }) => {
      await pause();
      const mailbox = new URL(request.url).searchParams.get('mailbox');
      requests.push({ method: 'GET', path: '/api/auth/iwa/diagnose', mailbox });
      const d = options.diagnose ?? DIAGNOSE_OK;
      if ('error' in d) return errorResponse(d.error);
      return HttpResponse.json(d);
    }),
    http.get('*/api/auth/iwa', async ({ request }) => {
      await pause();
      const mailbox = new URL(request.url).searchParams.get('mailbox') ?? '';
      requests.push({ method: 'GET', path: '/api/auth/iwa', mailbox, credentials: request.credentials });
      return answer(pick('iwa', options.iwa ?? { ok: true }), 'iwa', mailbox);
    }),
    http.post('*/api/auth/identity-token/bind', async ({ request }) => {
      await pause();
      const bearer = bearerOf(request);
      const body = (await request.json()) as { token?: unknown };
      requests.push({
        method: 'POST',
        path: '/api/auth/identity-token/bind',
        bearer,
        hadToken: typeof body.token === 'string',
      });
      const session = bearer ? sessions.get(bearer) : undefined;
      if (!session) return errorResponse('SESSION_INVALID');
      if (options.bind && !('ok' in options.bind)) return answer(options.bind, 'identity-token', '');
      if (typeof body.token === 'string') bound.add(body.token);
      return HttpResponse.json({ bound: true, mailbox: session.mailbox });
    }),
    http.post('*/api/auth/identity-token', async ({ request }) => {
      await pause();
      const body = (await request.json()) as { token?: unknown };
      requests.push({
        method: 'POST',
        path: '/api/auth/identity-token',
        hadToken: typeof body.token === 'string',
      });
      const outcome = pick('identity-token', options.identityToken ?? { error: 'IDENTITY_TOKEN_UNBOUND' });
      return answer(outcome, 'identity-token', 'alice@corp.test');
    }),
    http.post('*/api/auth/password', async ({ request }) => {
      await pause();
      const body = (await request.json()) as { mailbox: string; username: string; password: string };
      requests.push({
        method: 'POST',
        path: '/api/auth/password',
        mailbox: body.mailbox,
        username: body.username,
        hadPassword: typeof body.password === 'string' && body.password !== '',
      });
      const decide =
        options.password ??
        ((i) =>
          i.username === 'alice' && i.password === 'correct horse'
            ? { ok: true }
            : { error: 'AUTH_REJECTED' });
      return answer(decide(body), 'password', body.mailbox);
    }),
    http.get('*/api/session', async ({ request }) => {
      await pause();
      const bearer = bearerOf(request);
      requests.push({ method: 'GET', path: '/api/session', bearer });
      const s = bearer ? sessions.get(bearer) : undefined;
      return s ? HttpResponse.json(s) : errorResponse('SESSION_INVALID');
    }),
    http.delete('*/api/session', async ({ request }) => {
      await pause();
      const bearer = bearerOf(request);
      requests.push({ method: 'DELETE', path: '/api/session', bearer });
      if (bearer) sessions.delete(bearer);
      return new HttpResponse(null, { status: 204 });
    }),
  ];

  return { handlers, requests, sessions, bound };
}
