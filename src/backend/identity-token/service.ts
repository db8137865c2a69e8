/**
 * The identity-token sign-in method for the route layer: binding a validated token to a
 * mailbox proven by another sign-in, and signing in with a bound token.
 *
 * The token carries no SMTP address, so the key is `(amurl, msexchuid)`, as Microsoft
 * suggests ("Compute a unique identifier by concatenating the user's Exchange ID with the
 * authentication metadata document URL"); only a verified IWA or password sign-in may create a
 * binding (`POST /api/auth/identity-token/bind`, authorised by that session).
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/authenticate-a-user-with-an-identity-token
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#compute-the-unique-id-for-an-exchange-account
 */
import { IwaError } from '../../protocol/errors.ts';
import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  checkAmurlHost,
  checkIdentityTokenClaims,
  identityTokenInvalid,
  parseIdentityToken,
  type CheckedIdentityToken,
} from '../../protocol/identity-token.ts';
import type { Clock } from '../domain.ts';
import type { AuthMetadataCache } from './metadata-cache.ts';
import { type ValidatedIdentityToken, trustedHostsFor, validateIdentityToken } from './validate.ts';

/** The binding key: normalised `amurl` and `msexchuid`. */
export interface IdentityBindingKey {
  readonly amurl: string;
  readonly msexchuid: string;
}

export interface IdentityBindingRecord extends IdentityBindingKey {
  readonly mailbox: string;
  readonly createdAt: Date;
}

/**
 * What this module needs from storage (table `bindings`: `amurl`, `msexchuid`, `mailbox`,
 * `createdAt`; primary key `(amurl, msexchuid)`). Implemented by the storage layer.
 */
export interface IdentityBindingStore {
  /**
   * Creates or replaces the binding of `key` (a later verified sign-in wins). `sessionId` is
   * the session that proved the mailbox; each session may make one binding.
   */
  bind(key: IdentityBindingKey, mailbox: string, sessionId?: string): Promise<void>;
  /** The bound mailbox, or null. */
  find(key: IdentityBindingKey): Promise<string | null>;
  /** For the admin CLI: every binding, or those of one mailbox. */
  list(filter?: { readonly mailbox?: string }): Promise<readonly IdentityBindingRecord[]>;
  /** Removes one binding, or every binding of a mailbox; returns how many. */
  revoke(target: IdentityBindingKey | { readonly mailbox: string }): Promise<number>;
}

/** The profile-dependent inputs of validation. */
export interface IdentityTokenContext {
  /** The effective profile's CAS URL; its host is trusted for `amurl`. */
  readonly casUrl: string;
  /** The profile's CA bundle; null/undefined = system roots. */
  readonly ca: string | null | undefined;
  /** More hosts the profile trusts for `amurl` (e.g. other CAS in the same site). */
  readonly extraTrustedHosts?: readonly string[];
}

export interface IdentityTokenServiceDeps {
  readonly metadata: AuthMetadataCache;
  readonly clock: Clock;
  readonly store: IdentityBindingStore;
  /** The add-in page URL from our manifest; Exchange puts it in `aud`. */
  readonly expectedAudience: string;
  readonly skewSeconds?: number;
  /**
   * The contexts of every profile that takes identity tokens: at sign-in the mailbox (and so
   * its profile) is known only after the binding lookup, which must come after the signature.
   */
  issuers(): Promise<readonly IdentityTokenContext[]>;
}

function trusts(checked: CheckedIdentityToken, context: IdentityTokenContext): boolean {
  try {
    checkAmurlHost(checked, trustedHostsFor(context.casUrl, context.extraTrustedHosts));
    return true;
  } catch {
    return false;
  }
}

export interface IdentityTokenSignIn {
  readonly mailbox: string;
  readonly token: ValidatedIdentityToken;
}

export class IdentityTokenService {
  readonly #deps: IdentityTokenServiceDeps;

  constructor(deps: IdentityTokenServiceDeps) {
    this.#deps = deps;
  }

  /** Fully validates `token` against a profile and returns its binding key and claims. */
  verifyForSignIn(token: unknown, context: IdentityTokenContext): Promise<ValidatedIdentityToken> {
    return validateIdentityToken(token, {
      expectedAudience: this.#deps.expectedAudience,
      trustedHosts: trustedHostsFor(context.casUrl, context.extraTrustedHosts),
      ca: context.ca ?? undefined,
      clock: this.#deps.clock,
      metadata: this.#deps.metadata,
      skewSeconds: this.#deps.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
    });
  }

  /**
   * Binds a token to `mailbox`. The caller must pass the mailbox of a session created by a
   * verified IWA or password sign-in, and the context of that mailbox's effective profile.
   */
  async bind(
    token: unknown,
    mailbox: string,
    context: IdentityTokenContext,
    sessionId?: string,
  ): Promise<IdentityBindingKey> {
    const validated = await this.verifyForSignIn(token, context);
    const key = { amurl: validated.amurl, msexchuid: validated.msexchuid };
    await this.#deps.store.bind(key, mailbox, sessionId);
    return key;
  }

  /**
   * Signs in with a bound token, refusing in the order of cost and of what a refusal may tell
   * (validate-an-identity-token; docs/interface.md): (1) the cheap checks — format, algorithm,
   * version, audience, time, and an `amurl` that some identity-token profile trusts, else
   * `IDENTITY_TOKEN_INVALID` `untrusted-issuer`; (2) the signature, with that profile's CA for
   * the metadata; (3) only then the binding lookup: none → `IDENTITY_TOKEN_UNBOUND`, so a forged
   * or foreign token never learns whether a binding exists; (4) the bound mailbox's own
   * profile (`resolveContext`, which may throw `PROFILE_NOT_FOUND` / `METHOD_DISABLED`) must
   * trust that `amurl` too.
   */
  async signIn(
    token: unknown,
    resolveContext: (mailbox: string) => Promise<IdentityTokenContext>,
  ): Promise<IdentityTokenSignIn> {
    const parsed = parseIdentityToken(token);
    const checked = checkIdentityTokenClaims(parsed, {
      expectedAudience: this.#deps.expectedAudience,
      nowMs: this.#deps.clock.now().getTime(),
      skewSeconds: this.#deps.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
    });
    const issuer = (await this.#deps.issuers()).find((c) => trusts(checked, c));
    if (issuer === undefined) throw identityTokenInvalid('untrusted-issuer', 'amurl host is not trusted');
    const validated = await this.verifyForSignIn(token, issuer);
    const key = { amurl: validated.amurl, msexchuid: validated.msexchuid };
    const mailbox = await this.#deps.store.find(key);
    if (mailbox === null) throw new IwaError('IDENTITY_TOKEN_UNBOUND');
    if (!trusts(checked, await resolveContext(mailbox))) {
      throw identityTokenInvalid('untrusted-issuer', 'amurl host is not trusted');
    }
    return { mailbox, token: validated };
  }
}
