import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { MethodId } from '../../contract/api.ts';
import type { Session } from '../auth/session-store.ts';
import { classifyAccount } from '../auth/environment.ts';
import { methodDefinition } from '../auth/methods.ts';
import type { HostFacts, OfficeHost } from '../office/host.ts';
import { initialWizardState, wizardReducer } from './wizard-machine.ts';

export interface UseWizardOptions {
  readonly api: Api;
  readonly host: OfficeHost;
  readonly facts: HostFacts;
  readonly onSignedIn: (s: Session) => void;
  readonly onFailed: (method: MethodId, f: Failure) => void;
}

/**
 * The wizard's side effects: one environment check and one IWA attempt per opening; every
 * further attempt is a click (no retry loops).
 */
export function useWizard({ api, host, facts, onSignedIn, onFailed }: UseWizardOptions) {
  const [state, dispatch] = useReducer(wizardReducer, initialWizardState);
  const started = useRef(false);
  const tryingIwa = useRef(false);

  const signedIn = useCallback(
    (session: Session) => {
      dispatch({ type: 'signed-in', session });
      onSignedIn(session);
    },
    [onSignedIn],
  );

  const tryIwa = useCallback(async () => {
    if (tryingIwa.current) return;
    tryingIwa.current = true;
    dispatch({ type: 'iwa-started' });
    const signIn = methodDefinition('iwa').signIn;
    const result = signIn ? await signIn({ api, host, facts }) : undefined;
    tryingIwa.current = false;
    if (!result) return;
    if (result.ok) signedIn(result.value);
    else {
      dispatch({ type: 'iwa-failed', failure: result.failure });
      onFailed('iwa', result.failure);
    }
  }, [api, host, facts, signedIn, onFailed]);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      const account = classifyAccount(facts).kind;
      const methods = await api.methods(facts.mailbox);
      if (methods.ok) dispatch({ type: 'setup-checked', account, methods: methods.value });
      else dispatch({ type: 'setup-checked', account, failure: methods.failure });
    })();
  }, [api, facts]);

  const ready = state.iwa.status === 'ready';
  useEffect(() => {
    if (ready) void tryIwa();
  }, [ready, tryIwa]);

  return { state, tryIwa, signedIn };
}
