import { FluentProvider, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from 'react';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { MethodId } from '../api/types.ts';
import type { ExplainContext } from '../auth/outcomes.ts';
import { useSignIn } from '../auth/useSignIn.ts';
import type { OfficeHost } from '../office/host.ts';
import { AuthSettings } from '../settings/AuthSettings.tsx';
import { usePaneTheme } from '../theme/usePaneTheme.ts';
import { HostProblem } from './HostProblem.tsx';
import { SigningIn } from './SigningIn.tsx';

const Wizard = lazy(() => import('../wizard/Wizard.tsx'));

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    overflowWrap: 'anywhere',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  main: { maxWidth: '40rem', minWidth: 0 },
});

export interface AppProps {
  readonly host: OfficeHost;
  readonly api: Api;
  readonly storage?: Storage | undefined;
  /** Rendered after the pane (the dev-only state switcher). */
  readonly footer?: ReactNode;
}

/** The task pane: start-up, Authentication Settings and the wizard. */
export function App({ host, api, storage, footer }: AppProps) {
  const styles = useStyles();
  const signIn = useSignIn({ host, api, storage });
  const { state, actions } = signIn;
  const hostTheme = useMemo(() => (state.facts ? host.theme() : undefined), [host, state.facts]);
  const theme = usePaneTheme(hostTheme);
  // `auto` follows start-up: the wizard opens by itself only when our notification launched the pane.
  const [view, setView] = useState<'auto' | 'settings' | 'wizard'>('auto');
  const shown =
    view === 'auto' ? (state.launchedForHelp && state.phase === 'failed' ? 'wizard' : 'settings') : view;

  const explainCtx: ExplainContext = useMemo(
    () => ({ mailbox: state.facts?.mailbox ?? '', site: globalThis.location.host }),
    [state.facts],
  );
  const openWizard = useCallback(() => {
    setView('wizard');
  }, []);
  const closeWizard = useCallback(() => {
    setView('settings');
  }, []);
  const methodFailed = useCallback(
    (m: MethodId, f: Failure) => {
      actions.methodFailed(m, f);
    },
    [actions],
  );

  let content: ReactNode;
  if (state.phase === 'host-error') content = <HostProblem code={state.hostError?.code ?? -1} />;
  else if (state.phase === 'starting' && !state.session && view === 'auto')
    content = <SigningIn step={state.step} />;
  else if (shown === 'wizard' && state.facts)
    content = (
      <Suspense fallback={<Spinner label="Opening sign-in help…" />}>
        <Wizard
          api={api}
          host={host}
          facts={state.facts}
          explainCtx={explainCtx}
          onSignedIn={actions.signedIn}
          onFailed={methodFailed}
          onClose={closeWizard}
        />
      </Suspense>
    );
  else
    content = (
      <AuthSettings signIn={signIn} api={api} host={host} explainCtx={explainCtx} onOpenWizard={openWizard} />
    );

  return (
    <FluentProvider theme={theme} className={styles.root}>
      <main className={styles.main}>{content}</main>
      {footer}
    </FluentProvider>
  );
}
