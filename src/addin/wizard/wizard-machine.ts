import type { Failure } from '../api/failure.ts';
import type { MethodsResponse } from '../../contract/api.ts';
import type { Session } from '../auth/session-store.ts';
import { accountGateFailure, type AccountKind } from '../auth/environment.ts';
import { isEnabled } from '../auth/methods.ts';

/** The wizard's state: steps are reached in order (setup → IWA → outcome → alternatives → done). */
export interface WizardState {
  readonly setup:
    | { readonly status: 'checking' }
    | {
        readonly status: 'checked';
        readonly methods?: MethodsResponse | undefined;
        readonly failure?: Failure | undefined;
      };
  readonly iwa:
    | { readonly status: 'waiting' }
    | { readonly status: 'ready' }
    | { readonly status: 'skipped'; readonly failure: Failure }
    | { readonly status: 'trying' }
    | { readonly status: 'failed'; readonly failure: Failure }
    | { readonly status: 'succeeded' };
  readonly session?: Session | undefined;
}

export type WizardEvent =
  | {
      readonly type: 'setup-checked';
      readonly account: AccountKind;
      readonly methods?: MethodsResponse;
      readonly failure?: Failure;
    }
  | { readonly type: 'iwa-started' }
  | { readonly type: 'iwa-failed'; readonly failure: Failure }
  | { readonly type: 'signed-in'; readonly session: Session };

export const initialWizardState: WizardState = { setup: { status: 'checking' }, iwa: { status: 'waiting' } };

/** Pure. Decides after the environment check whether IWA can be tried at all. */
export function wizardReducer(state: WizardState, event: WizardEvent): WizardState {
  switch (event.type) {
    case 'setup-checked': {
      const setup = { status: 'checked' as const, methods: event.methods, failure: event.failure };
      let iwa: WizardState['iwa'];
      const gate = accountGateFailure(event.account);
      if (gate) iwa = { status: 'skipped', failure: gate };
      else if (event.failure) iwa = { status: 'skipped', failure: event.failure };
      else if (!isEnabled(event.methods, 'iwa'))
        iwa = { status: 'skipped', failure: { code: 'METHOD_DISABLED', details: { method: 'iwa' } } };
      else iwa = { status: 'ready' };
      return { ...state, setup, iwa };
    }
    case 'iwa-started':
      return { ...state, iwa: { status: 'trying' } };
    case 'iwa-failed':
      return { ...state, iwa: { status: 'failed', failure: event.failure } };
    case 'signed-in':
      return {
        ...state,
        session: event.session,
        iwa: event.session.method === 'iwa' ? { status: 'succeeded' } : state.iwa,
      };
  }
}
