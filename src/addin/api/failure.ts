import { isErrorCode, type ErrorCode } from '../../protocol/errors.ts';

/**
 * Everything the pane can explain: the server's catalogue codes plus what only the browser
 * or Outlook can observe. The pane switches on these codes, never on message text.
 */
export type OutcomeCode =
  | ErrorCode
  /** A `401` with `WWW-Authenticate: Negotiate` reached `fetch`: the browser offered no Windows credentials. */
  | 'BROWSER_NO_CREDENTIALS'
  /** `fetch` itself failed: offline, DNS, proxy, TLS to our backend. */
  | 'NETWORK_FAILURE'
  /** The server answered something we cannot read. */
  | 'UNEXPECTED_RESPONSE'
  /** The mailbox is in Exchange Online: IWA cannot work. */
  | 'OFFICE_365'
  /** An Outlook.com or Gmail account: none of our methods apply. */
  | 'CONSUMER_ACCOUNT'
  /** Outlook would not hand out an identity token. */
  | 'HOST_TOKEN_UNAVAILABLE';

export interface Failure {
  readonly code: OutcomeCode;
  /** HTTP status, when there was an answer. */
  readonly status?: number | undefined;
  /** Code-specific facts from the error body (e.g. `claimed`, `proven`, `offered`, `reason`). Never secrets. */
  readonly details: Readonly<Record<string, unknown>>;
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (
  code: OutcomeCode,
  details: Record<string, unknown> = {},
  status?: number,
): Result<never> => ({
  ok: false,
  failure: { code, details, status },
});

/**
 * Classifies a non-2xx answer. Pure: status, the `WWW-Authenticate` header and the parsed body.
 * A `401` that still asks for `Negotiate` means the browser did not (or could not) answer the
 * challenge itself — the backend never sends that header on a final failure (docs/architecture.md §2).
 */
export function classifyHttpFailure(status: number, wwwAuthenticate: string | null, body: unknown): Failure {
  if (status === 401 && wwwAuthenticate !== null && /^\s*negotiate\b/i.test(wwwAuthenticate)) {
    return { code: 'BROWSER_NO_CREDENTIALS', status, details: {} };
  }
  if (typeof body === 'object' && body !== null && 'code' in body) {
    const { code } = body;
    const details = Object.fromEntries(
      Object.entries(body).filter(([k]) => k !== 'code' && k !== 'message' && k !== 'remedy'),
    );
    if (isErrorCode(code)) return { code, status, details };
    return { code: 'UNEXPECTED_RESPONSE', status, details: { serverCode: String(code) } };
  }
  if (status === 429) return { code: 'RATE_LIMITED', status, details: {} };
  return { code: 'UNEXPECTED_RESPONSE', status, details: {} };
}
