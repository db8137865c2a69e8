import type { Failure, OutcomeCode } from '../api/failure.ts';
import type { MessageId } from '../i18n/locales.ts';
import type { Message, MessageValues, Translate } from '../i18n/translate.ts';

/** Who can fix a problem. */
export type Fixer = 'you' | 'admin' | 'you-then-admin' | 'nobody';

/** The words for each {@link Fixer}. */
export const FIXER_TEXT: Record<Fixer, MessageId> = {
  you: 'fixer.you',
  admin: 'fixer.admin',
  'you-then-admin': 'fixer.youThenAdmin',
  nobody: 'fixer.nobody',
};

/** The explanation of one outcome, in plain words. */
export interface Explanation {
  readonly title: string;
  /** What happened. */
  readonly what: string;
  readonly who: Fixer;
  /** The exact next step. */
  readonly next: string;
}

/** Facts an explanation may quote. */
export interface ExplainContext {
  /** The Outlook mailbox. */
  readonly mailbox: string;
  /** Our own host name, as the browser must trust it for Windows authentication. */
  readonly site: string;
}

type Explain = (f: Failure, ctx: ExplainContext, t: Translate) => Explanation;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): string | undefined =>
  Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') || undefined : text(v);

/** The three messages every outcome code has; `tsc` fails if the English catalogue lacks one. */
type OutcomeMessage = `outcome.${OutcomeCode}.${'title' | 'what' | 'next'}`;
const outcomeMessage = (code: OutcomeCode, part: 'title' | 'what' | 'next'): MessageId =>
  `outcome.${code}.${part}` satisfies OutcomeMessage;

/**
 * An explanation from the code's own three messages. `what` picks another message for "what
 * happened" when a fact it quotes may be missing (e.g. `whatOffered` vs `what`).
 */
const plain =
  (
    code: OutcomeCode,
    who: Fixer,
    values: (f: Failure, ctx: ExplainContext) => MessageValues = () => ({}),
    what?: (f: Failure, ctx: ExplainContext) => Message,
  ): Explain =>
  (f, ctx, t) => {
    const v = { ...values(f, ctx), anotherWay: t('outcome.anotherWay') };
    const w = what?.(f, ctx);
    return {
      title: t(outcomeMessage(code, 'title'), v),
      what: w ? t(w.id, w.values) : t(outcomeMessage(code, 'what'), v),
      who,
      next: t(outcomeMessage(code, 'next'), v),
    };
  };

/** "What happened" quoting one fact of the answer (`fact`) when the server sent it, else without. */
const quoting =
  (fact: string, read: (v: unknown) => string | undefined, withFact: MessageId, without: MessageId) =>
  (f: Failure): Message => {
    const value = read(f.details[fact]);
    return value === undefined ? { id: without } : { id: withFact, values: { [fact]: value } };
  };

const generic: Explain = (f, _ctx, t) => ({
  title: t('outcome.generic.title'),
  what:
    f.status === undefined
      ? t('outcome.generic.what', { code: f.code })
      : t('outcome.generic.whatHttp', { code: f.code, status: f.status }),
  who: 'admin',
  next: t('outcome.generic.next', { code: f.code }),
});

/**
 * The one table of explanations, keyed by outcome code: every code of the server's catalogue
 * (`src/protocol/errors.ts`) and the pane's own. The wording lives in the message catalogues
 * (`outcome.CODE.title|what|next`), so every explanation is translated; the server sends codes
 * only (docs/interface.md).
 */
export const EXPLANATIONS = {
  CAS_NO_NEGOTIATE: plain(
    'CAS_NO_NEGOTIATE',
    'admin',
    undefined,
    quoting('offered', list, 'outcome.CAS_NO_NEGOTIATE.whatOffered', 'outcome.CAS_NO_NEGOTIATE.what'),
  ),
  AUTH_REJECTED: plain('AUTH_REJECTED', 'you-then-admin'),
  EXTENDED_PROTECTION_SUSPECTED: plain('EXTENDED_PROTECTION_SUSPECTED', 'admin'),
  IDENTITY_MISMATCH: plain(
    'IDENTITY_MISMATCH',
    'you',
    (f, ctx) => ({ claimed: text(f.details.claimed) ?? ctx.mailbox }),
    (f, ctx): Message => {
      const claimed = text(f.details.claimed) ?? ctx.mailbox;
      const proven = text(f.details.proven);
      return proven
        ? { id: 'outcome.IDENTITY_MISMATCH.what', values: { proven, claimed } }
        : { id: 'outcome.IDENTITY_MISMATCH.whatUnknown', values: { claimed } };
    },
  ),
  CAS_UNREACHABLE: plain('CAS_UNREACHABLE', 'admin'),
  CAS_TLS_UNTRUSTED: plain('CAS_TLS_UNTRUSTED', 'admin'),
  CAS_PROTOCOL_ERROR: plain('CAS_PROTOCOL_ERROR', 'admin'),
  PROFILE_NOT_FOUND: plain('PROFILE_NOT_FOUND', 'admin', (_f, ctx) => ({ mailbox: ctx.mailbox })),
  METHOD_DISABLED: plain('METHOD_DISABLED', 'admin'),
  RATE_LIMITED: plain('RATE_LIMITED', 'you'),
  HANDSHAKE_INVALID: plain('HANDSHAKE_INVALID', 'you-then-admin'),
  HANDSHAKE_CAPACITY: plain('HANDSHAKE_CAPACITY', 'you'),
  NEGOTIATE: plain('NEGOTIATE', 'you-then-admin', (_f, ctx) => ({ site: ctx.site })),
  HANDSHAKE_ABANDONED: plain('HANDSHAKE_ABANDONED', 'you-then-admin'),
  REQUEST_TOO_LARGE: plain('REQUEST_TOO_LARGE', 'admin'),
  IDENTITY_TOKEN_INVALID: plain(
    'IDENTITY_TOKEN_INVALID',
    'admin',
    undefined,
    quoting(
      'reason',
      text,
      'outcome.IDENTITY_TOKEN_INVALID.whatReason',
      'outcome.IDENTITY_TOKEN_INVALID.what',
    ),
  ),
  IDENTITY_TOKEN_UNBOUND: plain('IDENTITY_TOKEN_UNBOUND', 'you'),
  SESSION_INVALID: plain('SESSION_INVALID', 'you'),
  MAILBOX_INVALID: plain('MAILBOX_INVALID', 'admin'),
  INPUT_INVALID: plain('INPUT_INVALID', 'you-then-admin'),
  NOT_FOUND: plain('NOT_FOUND', 'admin'),
  CONFLICT: plain('CONFLICT', 'you'),
  ADMIN_UNAUTHORIZED: plain('ADMIN_UNAUTHORIZED', 'admin'),
  DATABASE_UNAVAILABLE: plain('DATABASE_UNAVAILABLE', 'admin'),
  SCHEMA_TOO_NEW: plain('SCHEMA_TOO_NEW', 'admin'),
  CONFIG_INVALID: plain('CONFIG_INVALID', 'admin'),
  REQUEST_TIMEOUT: plain('REQUEST_TIMEOUT', 'you-then-admin'),
  TLS_CERT_REQUIRED: plain('TLS_CERT_REQUIRED', 'admin'),
  AUDIENCE_UNKNOWN: plain('AUDIENCE_UNKNOWN', 'admin'),
  CLIENT_UNAUTHORIZED: plain('CLIENT_UNAUTHORIZED', 'admin'),
  KEY_ENCRYPTION_KEY_MISSING: plain('KEY_ENCRYPTION_KEY_MISSING', 'admin'),
  KEY_ENCRYPTION_KEY_INVALID: plain('KEY_ENCRYPTION_KEY_INVALID', 'admin'),
  INTERNAL: plain('INTERNAL', 'admin'),
  BROWSER_NO_CREDENTIALS: plain('BROWSER_NO_CREDENTIALS', 'admin', (_f, ctx) => ({ site: ctx.site })),
  NETWORK_FAILURE: plain('NETWORK_FAILURE', 'you-then-admin', (_f, ctx) => ({ site: ctx.site })),
  UNEXPECTED_RESPONSE: plain('UNEXPECTED_RESPONSE', 'admin', undefined, (f) =>
    f.status === undefined
      ? { id: 'outcome.UNEXPECTED_RESPONSE.what' }
      : { id: 'outcome.UNEXPECTED_RESPONSE.whatHttp', values: { status: f.status } },
  ),
  OFFICE_365: plain('OFFICE_365', 'nobody', (_f, ctx) => ({ mailbox: ctx.mailbox })),
  CONSUMER_ACCOUNT: plain('CONSUMER_ACCOUNT', 'nobody', (_f, ctx) => ({ mailbox: ctx.mailbox })),
  HOST_TOKEN_UNAVAILABLE: plain('HOST_TOKEN_UNAVAILABLE', 'admin'),
} satisfies Record<OutcomeCode, Explain>;

/**
 * Explains a failure from its code, in the language of `t`. A code this pane does not know
 * (a newer server) gets a generic explanation that names the code.
 */
export function explain(failure: Failure, ctx: ExplainContext, t: Translate): Explanation {
  return (Object.hasOwn(EXPLANATIONS, failure.code) ? EXPLANATIONS[failure.code] : generic)(failure, ctx, t);
}
