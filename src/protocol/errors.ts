/**
 * The one error catalogue. Every error the product reports has a stable `code`, an HTTP
 * status, a message a user can read and a remedy an admin can act on. The add-in switches on
 * `code`, never on message text.
 *
 * Codes and meanings are part of the public interface: see `docs/interface.md`.
 */

export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
  readonly remedy?: string;
}

export const ERRORS = {
  MAILBOX_INVALID: {
    status: 400,
    message: 'The mailbox is missing or is not an email address.',
  },
  PROFILE_NOT_FOUND: {
    status: 404,
    message: 'No authentication profile applies to this mailbox.',
    remedy: 'Create a default profile, or one whose domains or mailboxes include this address.',
  },
  METHOD_DISABLED: {
    status: 403,
    message: 'This sign-in method is not enabled for your mailbox.',
    remedy: "Enable the method in the mailbox's effective authentication profile.",
  },
  CAS_UNREACHABLE: {
    status: 502,
    message: 'The Exchange server could not be reached.',
    remedy: "Check the profile's CAS URL, DNS, firewall and that Exchange is running.",
  },
  CAS_TLS_UNTRUSTED: {
    status: 502,
    message: "The Exchange server's certificate is not trusted.",
    remedy: "Add the CA that issued the CAS certificate to the profile's CA bundle, or fix the certificate.",
  },
  CAS_NO_NEGOTIATE: {
    status: 502,
    message: 'Exchange does not offer Windows authentication.',
    remedy: 'Enable Windows Authentication (Negotiate) on the EWS virtual directory in IIS.',
  },
  CAS_PROTOCOL_ERROR: {
    status: 502,
    message: 'Exchange answered in a way we did not expect.',
    remedy: 'Check that the profile URL points at /EWS/Exchange.asmx and that no proxy rewrites it.',
  },
  AUTH_REJECTED: {
    status: 401,
    message: 'Exchange did not accept your Windows credentials.',
    remedy: 'Check that the user account is enabled and that the PC is joined to the domain.',
  },
  EXTENDED_PROTECTION_SUSPECTED: {
    status: 401,
    message: 'Exchange refused the sign-in, most likely because of Extended Protection.',
    remedy:
      "Serve the backend with the CAS's own certificate and key, or set Extended Protection on the EWS virtual directory to None (Accept still refuses Windows clients, which bind; admin guide, Extended Protection).",
  },
  IDENTITY_MISMATCH: {
    status: 403,
    message: 'You are signed in to Windows as a different user than the Outlook mailbox.',
    remedy: 'Sign in to Windows as the owner of this mailbox, or use another sign-in method.',
  },
  HANDSHAKE_INVALID: {
    status: 400,
    message: 'The sign-in handshake was malformed, out of order, expired, or on another connection.',
  },
  HANDSHAKE_CAPACITY: {
    status: 503,
    message: 'Too many sign-ins are in progress. Try again in a moment.',
    remedy: 'Raise the concurrent handshake limit or add an instance.',
  },
  /**
   * Not a failure: the `401` that asks the browser for its next Negotiate leg (RFC 4559 §5).
   * In the catalogue so the body has a stable code like every other non-2xx answer.
   */
  NEGOTIATE: {
    status: 401,
    message: 'Continue the Negotiate handshake.',
  },
  /**
   * Audit and metrics only, never an answer: the browser walked away mid-handshake (closed
   * its connection or let the handshake expire), typically with no Windows credentials to offer.
   */
  HANDSHAKE_ABANDONED: {
    status: 400,
    message: 'The browser left the sign-in handshake before it finished.',
    remedy:
      "Usually the browser had no Windows credentials for this site: add it to the Local intranet zone and WebView2's AuthServerAllowlist.",
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    message: 'The request or one of its headers is too large.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    message: 'The request took too long to arrive.',
  },
  RATE_LIMITED: {
    status: 429,
    message: 'Too many sign-in attempts. Wait a little and try again.',
  },
  IDENTITY_TOKEN_INVALID: {
    status: 401,
    message: 'The Exchange identity token is not valid.',
  },
  IDENTITY_TOKEN_UNBOUND: {
    status: 401,
    message: 'Sign in once with Windows authentication or your password first.',
  },
  SESSION_INVALID: {
    status: 401,
    message: 'Your session is missing, unknown, revoked or expired.',
  },
  AUDIENCE_UNKNOWN: {
    status: 400,
    message: 'No API is registered under that audience.',
    remedy: 'Register it with `outlook-iwa audience add NAME`.',
  },
  CLIENT_UNAUTHORIZED: {
    status: 401,
    message: 'A valid introspection client credential is required.',
    remedy: 'Mint one with `outlook-iwa client add NAME`.',
  },
  KEY_ENCRYPTION_KEY_MISSING: {
    status: 503,
    message: 'Access tokens are off: no key-encryption key was given.',
    remedy:
      'Start outlook-iwa with --key-encryption-key-file (OUTLOOK_IWA_KEY_ENCRYPTION_KEY_FILE); see the admin guide.',
  },
  KEY_ENCRYPTION_KEY_INVALID: {
    status: 500,
    message:
      'The key-encryption key file is missing, too short, readable by others or not the key the signing keys were encrypted with.',
    remedy:
      'Give a file of mode 0600 holding 32 random bytes in base64 (`openssl rand -base64 32`), the same on every instance.',
  },
  INPUT_INVALID: {
    status: 400,
    message: 'The request is not valid.',
  },
  NOT_FOUND: {
    status: 404,
    message: 'Not found.',
  },
  CONFLICT: {
    status: 409,
    message: 'That conflicts with existing data.',
  },
  ADMIN_UNAUTHORIZED: {
    status: 401,
    message: 'A valid admin credential is required.',
    remedy: 'Mint one with `outlook-iwa admin token`.',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    message: 'The database is unavailable.',
    remedy: 'Check the --database setting and that the database is running and writable.',
  },
  SCHEMA_TOO_NEW: {
    status: 500,
    message: 'The database schema is newer than this version of outlook-iwa.',
    remedy: 'Upgrade outlook-iwa, or point it at a database made by this version.',
  },
  TLS_CERT_REQUIRED: {
    status: 500,
    message: 'A TLS certificate is required in production.',
    remedy:
      'Give --tls-cert and --tls-key (OUTLOOK_IWA_TLS_CERT, OUTLOOK_IWA_TLS_KEY), or unset NODE_ENV=production for development.',
  },
  CONFIG_INVALID: {
    status: 500,
    message: 'The configuration is not valid.',
  },
  INTERNAL: {
    status: 500,
    message: 'Something went wrong on our side.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** The JSON body of every error answer, as `interface.md` defines it. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  remedy?: string;
  /** Extra, code-specific facts (the field that failed, what the CAS offered, …). Never secrets. */
  [detail: string]: unknown;
}

/** A typed error that carries a catalogue code. Throw it anywhere; the edges render it. */
export class IwaError extends Error {
  override readonly name = 'IwaError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  /** A remedy that fits this case better than the catalogue's general one (e.g. per mechanism). */
  readonly remedy: string | undefined;

  constructor(code: ErrorCode, details: Record<string, unknown> = {}, message?: string, remedy?: string) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.details = details;
    this.remedy = remedy;
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  toBody(): ErrorBody {
    const spec: ErrorSpec = ERRORS[this.code];
    const remedy = this.remedy ?? spec.remedy;
    return {
      ...this.details,
      code: this.code,
      message: this.message,
      ...(remedy === undefined ? {} : { remedy }),
    };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}
