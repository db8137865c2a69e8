import { FluentProvider, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { lazy, Suspense, useCallback, useMemo, useState, type ReactNode } from 'react';
import { RawIntlProvider } from 'react-intl';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { MethodId } from '../../contract/api.ts';
import type { ExplainContext } from '../auth/outcomes.ts';
import { isReady, type SignInState } from '../auth/signin-machine.ts';
import { useSignIn, type NotificationText } from '../auth/useSignIn.ts';
import { loadCatalogue, pickLocale } from '../i18n/locales.ts';
import { usePaneLocale } from '../i18n/react.ts';
import { intlFor, translator, type Translate } from '../i18n/translate.ts';
import type { HostFacts, OfficeHost } from '../office/host.ts';
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
  // Read by screen readers, not shown (the visible views carry the same facts).
  visuallyHidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: 0,
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
    border: 0,
  },
});

/** The item notification in the user's language (loads the catalogue if the pane has not yet). */
async function notificationText(facts: HostFacts): Promise<NotificationText> {
  const locale = pickLocale(facts.displayLanguage);
  const t = translator(intlFor(locale, await loadCatalogue(locale)));
  return { message: t('notification.failed'), actionText: t('notification.action') };
}

/** What the live region says for each start-up phase; `''` says nothing. */
function statusText(t: Translate, state: SignInState): string {
  switch (state.phase) {
    case 'waiting-for-office':
    case 'starting':
      return t('status.starting');
    case 'signed-in':
      return t('status.signedIn', { mailbox: state.session.mailbox });
    case 'failed':
      return t('status.failed');
    case 'signed-out':
      return t('status.signedOut');
    case 'host-error':
      return '';
  }
}

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
  const signIn = useSignIn({ host, api, storage, notificationText });
  const { state, actions, env } = signIn;
  const facts = isReady(state) ? state.facts : undefined;
  const { dir, intl } = usePaneLocale(facts?.displayLanguage);
  const t = useMemo(() => translator(intl), [intl]);
  const hostTheme = useMemo(() => (facts ? host.theme() : undefined), [host, facts]);
  const theme = usePaneTheme(hostTheme);
  // `auto` follows start-up: the wizard opens by itself only when our notification launched the pane.
  const [view, setView] = useState<'auto' | 'settings' | 'wizard'>('auto');
  const explainCtx: ExplainContext = useMemo(
    () => ({ mailbox: facts?.mailbox ?? '', site: globalThis.location.host }),
    [facts],
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
  if (state.phase === 'host-error') content = <HostProblem code={state.hostError.code} />;
  else if (state.phase === 'waiting-for-office') content = <SigningIn step="office" />;
  else if (state.phase === 'starting' && view === 'auto') content = <SigningIn step={state.step} />;
  else if (view === 'wizard' || (view === 'auto' && state.launchedForHelp && state.phase === 'failed'))
    content = (
      <Suspense fallback={<Spinner label={t('wizard.opening')} />}>
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
      <AuthSettings
        state={state}
        actions={actions}
        env={env}
        api={api}
        host={host}
        explainCtx={explainCtx}
        onOpenWizard={openWizard}
      />
    );

  return (
    <RawIntlProvider value={intl}>
      <FluentProvider theme={theme} dir={dir} className={styles.root}>
        <main className={styles.main}>{content}</main>
        {/* One polite live region for status changes, present from the start so that changes are announced. */}
        <div className={styles.visuallyHidden} aria-live="polite" aria-atomic="true" data-pane-status="">
          {statusText(t, state)}
        </div>
        {footer}
      </FluentProvider>
    </RawIntlProvider>
  );
}
