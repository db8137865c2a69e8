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

/** What every phase after Office answered knows. */
export interface ReadyFacts {
  readonly facts: HostFacts;
  /** The pane was opened by our notification's "Fix sign-in" action. */
  readonly launchedForHelp: boolean;
  /** The effective profile's methods, once loaded (cards, wizard). */
  readonly methods: MethodsResponse | undefined;
  /** The last failure of each method, for the cards. */
  readonly failures: Readonly<Partial<Record<MethodId, Failure>>>;
}

/** The phases that follow Office's answer: each carries only its own facts. */
export type ReadyState = ReadyFacts &
  (
    | {
        /** Silent sign-in runs; `step` says which part. */
        readonly phase: 'starting';
        readonly step: Exclude<StartupStep, 'office'>;
      }
    | { readonly phase: 'signed-in'; readonly session: Session }
    /** Silent sign-in (or the methods lookup) found no way in; `failure` is for the message bar. */
    | { readonly phase: 'failed'; readonly failure: Failure }
    /** The user signed out. */
    | { readonly phase: 'signed-out' }
  );

/** Start-up's state: waiting for Office, Office is not there (not in Outlook), or a {@link ReadyState}. */
export type SignInState =
  | { readonly phase: 'waiting-for-office' }
  | { readonly phase: 'host-error'; readonly hostError: { readonly code: number; readonly name: string } }
  | ReadyState;

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

export const initialSignInState: SignInState = { phase: 'waiting-for-office' };

/** Whether Office has answered; narrows to the phases that know the host facts. */
export function isReady(state: SignInState): state is ReadyState {
  return state.phase !== 'waiting-for-office' && state.phase !== 'host-error';
}

/** The session of a signed-in state. */
export function sessionOf(state: SignInState): Session | undefined {
  return state.phase === 'signed-in' ? state.session : undefined;
}

const readyFacts = ({ facts, launchedForHelp, methods, failures }: ReadyFacts): ReadyFacts => ({
  facts,
  launchedForHelp,
  methods,
  failures,
});

/**
 * The start-up state machine; pure. Side effects live in `useSignIn`. Events that need the host
 * facts are ignored before Office has answered.
 */
export function signInReducer(state: SignInState, event: SignInEvent): SignInState {
  switch (event.type) {
    case 'office-ready':
      return {
        phase: 'starting',
        step: 'session',
        facts: event.facts,
        launchedForHelp: event.launchedForHelp ?? false,
        methods: undefined,
        failures: {},
      };
    case 'office-failed':
      return { phase: 'host-error', hostError: { code: event.code, name: event.name } };
    default:
      break;
  }
  if (!isReady(state)) return state;
  const ready = readyFacts(state);
  switch (event.type) {
    case 'methods-loading':
      return { ...ready, phase: 'starting', step: 'methods' };
    case 'methods-loaded':
      return { ...state, methods: event.methods };
    case 'methods-failed':
      return { ...ready, methods: undefined, phase: 'failed', failure: event.failure };
    case 'attempt':
      return { ...ready, phase: 'starting', step: event.method };
    case 'attempt-failed':
      return { ...state, failures: { ...state.failures, [event.method]: event.failure } };
    case 'signed-in': {
      const failures = Object.fromEntries(
        Object.entries(state.failures).filter(([method]) => method !== event.session.method),
      );
      return { ...ready, failures, phase: 'signed-in', session: event.session };
    }
    case 'silent-failed':
      return { ...ready, phase: 'failed', failure: event.failure };
    case 'signed-out':
      return { ...ready, phase: 'signed-out' };
  }
}
