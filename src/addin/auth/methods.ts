import type { Api } from '../api/client.ts';
import { fail, type Failure, type Result } from '../api/failure.ts';
import type { DiagnoseStep, MethodId, MethodsResponse } from '../../contract/api.ts';
import type { Session } from './session-store.ts';
import type { MessageId } from '../i18n/locales.ts';
import type { Translate } from '../i18n/translate.ts';
import type { HostFacts, OfficeHost } from '../office/host.ts';
import { accountGate, type AccountGate, type AccountKind } from './environment.ts';

/** What a method needs to run. */
export interface MethodContext {
  readonly api: Api;
  readonly host: OfficeHost;
  readonly facts: HostFacts;
}

/** What a method needs to decide whether it can work here. */
export interface MethodEnvironment {
  readonly account: AccountKind;
}

/** Progress of a Fix run: the diagnosis steps so far and what is happening now. */
export interface FixProgress {
  readonly phase: 'diagnosing' | 'retrying';
  readonly steps: readonly DiagnoseStep[];
}

export interface FixResult {
  readonly steps: readonly DiagnoseStep[];
  /** The retry's result; absent when the diagnosis found a problem and there was no point retrying. */
  readonly result?: Result<Session>;
  /** The diagnosis request itself failed (e.g. `RATE_LIMITED`, `PROFILE_NOT_FOUND`). */
  readonly diagnosisFailure?: Failure;
}

/**
 * One sign-in method. Authentication Settings renders one card per definition that the
 * effective profile lists, the wizard offers the enabled ones, and start-up tries the
 * `silent` ones in the profile's order. Adding a method is adding an entry to {@link METHOD_DEFINITIONS}.
 */
export interface MethodDefinition {
  readonly id: MethodId;
  readonly title: MessageId;
  readonly summary: MessageId;
  /** Tried without asking at start-up. */
  readonly silent: boolean;
  /** Why the method cannot work on this client, for the user; `undefined` if it can. */
  readonly notPossible: (env: MethodEnvironment) => MessageId | undefined;
  /** A sign-in that needs no input; absent for methods that need a form. */
  readonly signIn?: (ctx: MethodContext) => Promise<Result<Session>>;
  /** How the card's Fix button works: run a diagnosis and retry, or show a form. */
  readonly fix:
    | {
        readonly kind: 'diagnose';
        readonly run: (
          ctx: MethodContext,
          onProgress: (p: FixProgress) => void,
          t: Translate,
        ) => Promise<FixResult>;
      }
    | { readonly kind: 'form' };
  /** Label of the card's action button. */
  readonly fixLabel: MessageId;
}

/** Why a method cannot work for an account the gate rules out: the method's words for each gate. */
const notPossible = (office365: MessageId) => {
  const words: Record<AccountGate, MessageId> = {
    OFFICE_365: office365,
    CONSUMER_ACCOUNT: 'method.consumer',
  };
  return ({ account }: MethodEnvironment): MessageId | undefined => {
    const gate = accountGate(account);
    return gate === undefined ? undefined : words[gate];
  };
};

async function iwaSignIn(ctx: MethodContext): Promise<Result<Session>> {
  return ctx.api.iwa(ctx.facts.mailbox);
}

async function identityTokenSignIn(ctx: MethodContext): Promise<Result<Session>> {
  let token: string;
  try {
    token = await ctx.host.identityToken();
  } catch {
    return fail('HOST_TOKEN_UNAVAILABLE');
  }
  return ctx.api.identityToken(token);
}

const iwa: MethodDefinition = {
  id: 'iwa',
  title: 'method.iwa.title',
  summary: 'method.iwa.summary',
  silent: true,
  notPossible: notPossible('method.office365.iwa'),
  signIn: iwaSignIn,
  fixLabel: 'method.iwa.fix',
  fix: {
    kind: 'diagnose',
    run: async (ctx, onProgress) => {
      onProgress({ phase: 'diagnosing', steps: [] });
      const diagnosis = await ctx.api.diagnoseIwa(ctx.facts.mailbox);
      if (!diagnosis.ok) return { steps: [], diagnosisFailure: diagnosis.failure };
      const steps = diagnosis.value.steps;
      // Reveal the steps one by one so the user sees each pass or fail.
      for (let i = 1; i <= steps.length; i++) onProgress({ phase: 'diagnosing', steps: steps.slice(0, i) });
      if (!diagnosis.value.ok) return { steps };
      onProgress({ phase: 'retrying', steps });
      return { steps, result: await iwaSignIn(ctx) };
    },
  },
};

const identityToken: MethodDefinition = {
  id: 'identity-token',
  title: 'method.identityToken.title',
  summary: 'method.identityToken.summary',
  silent: true,
  notPossible: notPossible('method.office365.identityToken'),
  signIn: identityTokenSignIn,
  fixLabel: 'method.identityToken.fix',
  fix: {
    kind: 'diagnose',
    run: async (ctx, onProgress, t) => {
      const steps: DiagnoseStep[] = [];
      onProgress({ phase: 'diagnosing', steps });
      let token: string;
      try {
        token = await ctx.host.identityToken();
        steps.push({ name: 'token', ok: true, detail: t('step.token.ok') });
      } catch {
        steps.push({
          name: 'token',
          ok: false,
          detail: t('step.token.missing'),
          remedy: t('step.token.remedy'),
        });
        onProgress({ phase: 'diagnosing', steps: [...steps] });
        return { steps, result: fail('HOST_TOKEN_UNAVAILABLE') };
      }
      onProgress({ phase: 'retrying', steps: [...steps] });
      const result = await ctx.api.identityToken(token);
      return { steps, result };
    },
  },
};

const password: MethodDefinition = {
  id: 'password',
  title: 'method.password.title',
  summary: 'method.password.summary',
  silent: false,
  notPossible: notPossible('method.office365.password'),
  fixLabel: 'method.password.fix',
  fix: { kind: 'form' },
};

/** Every method the pane knows, in the order the cards show them. */
export const METHOD_DEFINITIONS: readonly MethodDefinition[] = [iwa, identityToken, password];

export function methodDefinition(id: MethodId): MethodDefinition {
  const def = METHOD_DEFINITIONS.find((d) => d.id === id);
  if (!def) throw new Error(`unknown method ${id}`);
  return def;
}

/** The definitions the profile lists, in our order. */
export function profileMethods(methods: MethodsResponse | undefined): MethodDefinition[] {
  if (!methods) return [];
  return METHOD_DEFINITIONS.filter((d) => methods.methods.some((m) => m.method === d.id));
}

export function isEnabled(methods: MethodsResponse | undefined, id: MethodId): boolean {
  return methods?.methods.some((m) => m.method === id && m.enabled) ?? false;
}

/**
 * The methods start-up tries, in the profile's order (`/api/auth/methods` lists the enabled
 * ones first, in that order: docs/interface.md): enabled, silent, possible here. Password is
 * never silent.
 */
export function silentPlan(methods: MethodsResponse, env: MethodEnvironment): MethodDefinition[] {
  return methods.methods
    .filter((m) => m.enabled)
    .map((m) => methodDefinition(m.method))
    .filter((d) => d.silent && d.notPossible(env) === undefined);
}

/** A card's status. */
export type MethodStatus =
  | { readonly kind: 'active' }
  | { readonly kind: 'available' }
  | { readonly kind: 'not-enabled' }
  | { readonly kind: 'not-possible'; readonly reason: MessageId }
  | { readonly kind: 'failed'; readonly failure: Failure };

export function methodStatus(
  def: MethodDefinition,
  input: {
    readonly methods: MethodsResponse | undefined;
    readonly session: Session | undefined;
    readonly failures: Partial<Record<MethodId, Failure>>;
    readonly env: MethodEnvironment;
  },
): MethodStatus {
  if (input.session?.method === def.id) return { kind: 'active' };
  if (!isEnabled(input.methods, def.id)) return { kind: 'not-enabled' };
  const reason = def.notPossible(input.env);
  if (reason !== undefined) return { kind: 'not-possible', reason };
  const failure = input.failures[def.id];
  if (failure) return { kind: 'failed', failure };
  return { kind: 'available' };
}
