import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useIntl, type IntlShape } from 'react-intl';
import type { Api } from '../api/client.ts';
import {
  methodDefinition,
  methodStatus,
  profileMethods,
  type MethodContext,
  type MethodEnvironment,
} from '../auth/methods.ts';
import { explain, type ExplainContext } from '../auth/outcomes.ts';
import { sessionOf, type ReadyState } from '../auth/signin-machine.ts';
import type { SignInActions } from '../auth/useSignIn.ts';
import { useLayoutStyles } from '../components/styles.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { HeadedSection, ViewHeading } from '../components/ViewHeading.tsx';
import { useT } from '../i18n/react.ts';
import type { MessageId } from '../i18n/locales.ts';
import type { OfficeHost } from '../office/host.ts';
import { MethodCard } from './MethodCard.tsx';

/**
 * A session's expiry in the pane's locale, through `Intl.DateTimeFormat` (ECMA-402); the ISO
 * string itself if it is not a date.
 */
export function formatExpiry(intl: Pick<IntlShape, 'formatDate'>, iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : intl.formatDate(d, { dateStyle: 'medium', timeStyle: 'short' });
}

export interface AuthSettingsProps {
  readonly state: ReadyState;
  readonly actions: SignInActions;
  readonly env: MethodEnvironment;
  readonly api: Api;
  readonly host: OfficeHost;
  readonly explainCtx: ExplainContext;
  readonly onOpenWizard: () => void;
}

const MECHANISM_TEXT: Record<'kerberos' | 'ntlm', MessageId> = {
  kerberos: 'mechanism.kerberos',
  ntlm: 'mechanism.ntlm',
};

/** Authentication Settings: the session, one card per method, and sign out. */
export function AuthSettings({
  state,
  actions,
  env,
  api,
  host,
  explainCtx,
  onOpenWizard,
}: AuthSettingsProps) {
  useDocumentTitle('settings.heading');
  const t = useT();
  const intl = useIntl();
  const layout = useLayoutStyles();
  const [signingOut, setSigningOut] = useState(false);
  const ctx: MethodContext = { api, host, facts: state.facts };
  const session = sessionOf(state);

  return (
    <section className={layout.view} aria-labelledby="settings-heading">
      <ViewHeading id="settings-heading">{t('settings.heading')}</ViewHeading>

      {state.phase === 'failed' ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('settings.notSignedIn')}</MessageBarTitle>
            {t('settings.failureTitle', { title: explain(state.failure, explainCtx, t).title })}
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={onOpenWizard}>
              {t('settings.fixSignIn')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {state.phase === 'signed-out' ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('settings.signedOut')}</MessageBarTitle>
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={actions.retrySilent}>
              {t('settings.signIn')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {state.phase === 'starting' ? <Spinner size="tiny" label={t('settings.signingIn')} /> : null}

      {session ? (
        <HeadedSection id="session-heading" title={t('settings.session')}>
          <dl className={layout.stackedFacts}>
            <dt>{t('settings.signedInAs')}</dt>
            <dd>{session.mailbox}</dd>
            <dt>{t('settings.method')}</dt>
            <dd>{t(methodDefinition(session.method).title)}</dd>
            {session.mechanism ? (
              <>
                <dt>{t('settings.mechanism')}</dt>
                <dd>{t(MECHANISM_TEXT[session.mechanism])}</dd>
              </>
            ) : null}
            <dt>{t('settings.expires')}</dt>
            <dd>
              <time dateTime={session.expiresAt}>{formatExpiry(intl, session.expiresAt)}</time>
            </dd>
          </dl>
          <div className={layout.row}>
            <Button
              disabled={signingOut}
              onClick={() => {
                setSigningOut(true);
                void actions.signOut().finally(() => {
                  setSigningOut(false);
                });
              }}
            >
              {t('settings.signOut')}
            </Button>
          </div>
        </HeadedSection>
      ) : null}

      {state.methods ? (
        <section className={layout.section} aria-label={t('settings.methods')}>
          {profileMethods(state.methods).map((def) => (
            <MethodCard
              key={def.id}
              def={def}
              status={methodStatus(def, {
                methods: state.methods,
                session,
                failures: state.failures,
                env,
              })}
              ctx={ctx}
              api={api}
              explainCtx={explainCtx}
              onSignedIn={actions.signedIn}
              onFailed={(f) => {
                actions.methodFailed(def.id, f);
              }}
            />
          ))}
        </section>
      ) : null}

      <div className={layout.row}>
        <Button appearance="subtle" onClick={onOpenWizard}>
          {t('settings.help')}
        </Button>
      </div>
    </section>
  );
}
