import type { Failure } from '../api/failure.ts';
import type { MethodId, MethodsResponse } from '../../contract/api.ts';
import type { Session } from './session-store.ts';
import type { MessageId } from '../i18n/locales.ts';
import type { HostFacts } from '../office/host.ts';

/** What start-up is doing right now; each has a progress label. */
export type StartupStep = 'office' | 'session' | 'methods' | MethodId;

export const STEP_LABELS: Record<StartupStep, MessageId> = {
  office: 'startup.step.office',
  session: 'startup.step.session',
  methods: 'startup.step.methods',
  iwa: 'startup.step.iwa',
  'identity-token': 'startup.step.identityToken',
  password: 'startup.step.password',
};

export interface SignInState {
  /**
   * `starting`: silent sign-in runs; `signed-in`; `failed`: silent sign-in found no way in;
   * `signed-out`: the user signed out; `host-error`: Office is not there (not in Outlook).
   */
  readonly phase: 'starting' | 'signed-in' | 'failed' | 'signed-out' | 'host-error';
  readonly step: StartupStep;
  readonly facts?: HostFacts | undefined;
  readonly methods?: MethodsResponse | undefined;
  /** Why silent sign-in (or the methods lookup) failed, for the message bar. */
  readonly failure?: Failure | undefined;
  readonly session?: Session | undefined;
  /** The last failure of each method, for the cards. */
  readonly failures: Readonly<Partial<Record<MethodId, Failure>>>;
  readonly hostError?: { readonly code: number; readonly name: string } | undefined;
  /** The pane was opened by our notification's "Fix sign-in" action. */
  readonly launchedForHelp?: boolean | undefined;
}

export type SignInEvent =
  | { readonly type: 'office-ready'; readonly facts: HostFacts; readonly launchedForHelp?: boolean }
  | { readonly type: 'office-failed'; readonly code: number; readonly name: string }
  | { readonly type: 'methods-loading' }
  | { readonly type: 'methods-loaded'; readonly methods: MethodsResponse }
  | { readonly type: 'methods-failed'; readonly failure: Failure }
  | { readonly type: 'attempt'; readonly method: MethodId }
  | { readonly type: 'attempt-failed'; readonly method: MethodId; readonly failure: Failure }
  | { readonly type: 'signed-in'; readonly session: Session }
  | { readonly type: 'silent-failed'; readonly failure: Failure }
  | { readonly type: 'signed-out' };

export const initialSignInState: SignInState = { phase: 'starting', step: 'office', failures: {} };

/** The start-up state machine; pure. Side effects live in `useSignIn`. */
export function signInReducer(state: SignInState, event: SignInEvent): SignInState {
  switch (event.type) {
    case 'office-ready':
      return {
        ...state,
        phase: 'starting',
        step: 'session',
        facts: event.facts,
        launchedForHelp: event.launchedForHelp ?? false,
      };
    case 'office-failed':
      return { ...state, phase: 'host-error', hostError: { code: event.code, name: event.name } };
    case 'methods-loading':
      return { ...state, phase: 'starting', step: 'methods' };
    case 'methods-loaded':
      return { ...state, methods: event.methods };
    case 'methods-failed':
      return { ...state, phase: 'failed', failure: event.failure, methods: undefined };
    case 'attempt':
      return { ...state, phase: 'starting', step: event.method };
    case 'attempt-failed':
      return { ...state, failures: { ...state.failures, [event.method]: event.failure } };
    case 'signed-in': {
      const failures = Object.fromEntries(
        Object.entries(state.failures).filter(([method]) => method !== event.session.method),
      );
      return { ...state, phase: 'signed-in', session: event.session, failure: undefined, failures };
    }
    case 'silent-failed':
      return { ...state, phase: 'failed', failure: event.failure, session: undefined };
    case 'signed-out':
      return { ...state, phase: 'signed-out', session: undefined, failure: undefined };
  }
}
