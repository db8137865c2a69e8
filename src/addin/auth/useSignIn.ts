import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { MethodId, MethodsResponse } from '../../contract/api.ts';
import { OfficeError, type HostFacts, type OfficeHost } from '../office/host.ts';
import { accountGateFailure, classifyAccount } from './environment.ts';
import { isEnabled, silentPlan, type MethodContext, type MethodEnvironment } from './methods.ts';
import { createSessionStore, type Session, type SessionStore } from './session-store.ts';
import { initialSignInState, isReady, sessionOf, signInReducer, type SignInState } from './signin-machine.ts';

/** The key of our one notification on the item: posting again replaces it. */
export const NOTIFICATION_KEY = 'outlook-iwa-signin';
/** The notification's words, in the user's language. */
export interface NotificationText {
  readonly message: string;
  /** Text of the insight action, e.g. "Fix sign-in". */
  readonly actionText: string;
}
/** `contextData` of the insight action; the pane opens the wizard when launched with it. */
export const WIZARD_CONTEXT = JSON.stringify({ view: 'wizard' });

export interface SignInActions {
  /** Record a sign-in made by the wizard, a Fix or the password form. */
  readonly signedIn: (session: Session) => void;
  /** Record a method's failure (for its card). */
  readonly methodFailed: (method: MethodId, failure: Failure) => void;
  readonly signOut: () => Promise<void>;
  /** User-initiated: run the silent methods once more. */
  readonly retrySilent: () => void;
}

export interface UseSignIn {
  readonly state: SignInState;
  readonly actions: SignInActions;
  readonly env: MethodEnvironment;
}

export interface UseSignInOptions {
  readonly host: OfficeHost;
  readonly api: Api;
  readonly storage?: Storage | undefined;
  /** The notification's words for this Outlook (its display language); the pane owns them. */
  readonly notificationText: (facts: HostFacts) => Promise<NotificationText>;
}

/** Bind this Outlook's identity token to the newly proven mailbox; failures are quiet by design. */
async function bindIdentityToken(ctx: MethodContext, session: Session, methods: MethodsResponse | undefined) {
  if (session.method === 'identity-token' || !isEnabled(methods, 'identity-token')) return;
  try {
    const token = await ctx.host.identityToken();
    await ctx.api.bindIdentityToken(session.token, token);
  } catch {
    // no token on this client, or the server refused: silent re-sign-in just won't be available
  }
}

/**
 * Start-up: wait for Office, reuse a valid stored session, else try the profile's silent
 * methods once each, in order. Never retries on its own. On failure, posts one notification
 * on the item (replaced, not stacked).
 */
export function useSignIn({ host, api, storage, notificationText }: UseSignInOptions): UseSignIn {
  const [state, dispatch] = useReducer(signInReducer, initialSignInState);
  const started = useRef(false);
  const store = useRef<SessionStore | undefined>(undefined);
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);

  const notifyFailure = useCallback(
    async (facts: HostFacts) => {
      const text = await notificationText(facts);
      if (facts.supportsInsight) {
        try {
          await host.replaceNotification(NOTIFICATION_KEY, {
            kind: 'insight',
            message: text.message,
            actionText: text.actionText,
            contextData: WIZARD_CONTEXT,
          });
          return;
        } catch {
          // e.g. read mode in new Outlook, where actions are compose-only: fall back
        }
      }
      await host
        .replaceNotification(NOTIFICATION_KEY, { kind: 'informational', message: text.message })
        .catch(() => undefined);
    },
    [host, notificationText],
  );

  const onSignedIn = useCallback(
    (session: Session, facts: HostFacts, methods: MethodsResponse | undefined) => {
      store.current?.save(session);
      dispatch({ type: 'signed-in', session });
      void host.removeNotification(NOTIFICATION_KEY).catch(() => undefined);
      void bindIdentityToken({ api, host, facts }, session, methods);
    },
    [api, host],
  );

  const runSilent = useCallback(
    async (facts: HostFacts) => {
      dispatch({ type: 'methods-loading' });
      const methods = await api.methods(facts.mailbox);
      if (!methods.ok) {
        dispatch({ type: 'methods-failed', failure: methods.failure });
        void notifyFailure(facts);
        return;
      }
      dispatch({ type: 'methods-loaded', methods: methods.value });
      const env = { account: classifyAccount(facts).kind };
      const plan = silentPlan(methods.value, env);
      let first: Failure | undefined;
      for (const def of plan) {
        if (!def.signIn) continue;
        dispatch({ type: 'attempt', method: def.id });
        const result = await def.signIn({ api, host, facts });
        if (result.ok) {
          onSignedIn(result.value, facts, methods.value);
          return;
        }
        dispatch({ type: 'attempt-failed', method: def.id, failure: result.failure });
        first ??= result.failure;
      }
      // Explain the failure of the profile's first choice: it is the one the user wants.
      const failure: Failure = first ??
        accountGateFailure(env.account) ?? { code: 'METHOD_DISABLED', details: {} };
      dispatch({ type: 'silent-failed', failure });
      void notifyFailure(facts);
    },
    [api, host, notifyFailure, onSignedIn],
  );

  useEffect(() => {
    // Once per page: StrictMode's second effect run must not start a second sign-in.
    if (started.current) return;
    started.current = true;
    void (async () => {
      let facts: HostFacts;
      try {
        facts = await host.ready();
      } catch (e) {
        const err = e instanceof OfficeError ? e : new OfficeError('Office.onReady', -6, 'Error');
        dispatch({ type: 'office-failed', code: err.code, name: err.officeName });
        return;
      }
      store.current = createSessionStore(storage, facts.partitionKey);
      const launchedForHelp = (await host.launchContext().catch(() => undefined)) === WIZARD_CONTEXT;
      dispatch({ type: 'office-ready', facts, launchedForHelp });

      const stored = store.current.load();
      if (stored && stored.mailbox.toLowerCase() === facts.mailbox.toLowerCase()) {
        const check = await api.session(stored.token);
        if (check.ok) {
          // The server's facts win; the token is only ever ours (`/api/session` never returns it).
          const { mailbox, method, mechanism, expiresAt } = check.value;
          const session: Session = {
            token: stored.token,
            mailbox,
            method,
            mechanism: mechanism ?? stored.mechanism,
            expiresAt,
          };
          store.current.save(session);
          dispatch({ type: 'signed-in', session });
          // Load the methods for the cards; a failure here does not sign the user out.
          const methods = await api.methods(facts.mailbox);
          if (methods.ok) dispatch({ type: 'methods-loaded', methods: methods.value });
          return;
        }
        store.current.clear();
      } else if (stored) {
        store.current.clear();
      }
      await runSilent(facts);
    })();
  }, [api, host, storage, runSilent]);

  const actions = useMemo<SignInActions>(
    () => ({
      signedIn: (session) => {
        const current = stateRef.current;
        if (isReady(current)) onSignedIn(session, current.facts, current.methods);
      },
      methodFailed: (method, failure) => {
        dispatch({ type: 'attempt-failed', method, failure });
      },
      signOut: async () => {
        const session = sessionOf(stateRef.current);
        store.current?.clear();
        if (session) await api.signOut(session.token);
        dispatch({ type: 'signed-out' });
      },
      retrySilent: () => {
        const current = stateRef.current;
        if (isReady(current)) void runSilent(current.facts);
      },
    }),
    [api, onSignedIn, runSilent],
  );

  const facts = isReady(state) ? state.facts : undefined;
  const env = useMemo<MethodEnvironment>(
    () => ({ account: facts ? classifyAccount(facts).kind : 'unknown' }),
    [facts],
  );

  return { state, actions, env };
}
