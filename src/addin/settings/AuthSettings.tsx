import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Title2,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { Api } from '../api/client.ts';
import { methodDefinition, methodStatus, profileMethods, type MethodContext } from '../auth/methods.ts';
import { explain, type ExplainContext } from '../auth/outcomes.ts';
import type { UseSignIn } from '../auth/useSignIn.ts';
import { useLayoutStyles } from '../components/styles.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import type { OfficeHost } from '../office/host.ts';
import { MethodCard } from './MethodCard.tsx';

export interface AuthSettingsProps {
  readonly signIn: UseSignIn;
  readonly api: Api;
  readonly host: OfficeHost;
  readonly explainCtx: ExplainContext;
  readonly onOpenWizard: () => void;
}

const MECHANISM_TEXT = { kerberos: 'Kerberos', ntlm: 'NTLM' } as const;

function formatExpiry(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Authentication Settings: the session, one card per method, and sign out. */
export function AuthSettings({ signIn, api, host, explainCtx, onOpenWizard }: AuthSettingsProps) {
  useDocumentTitle('Authentication Settings');
  const layout = useLayoutStyles();
  const { state, actions, env } = signIn;
  const [signingOut, setSigningOut] = useState(false);
  const ctx: MethodContext | undefined = state.facts ? { api, host, facts: state.facts } : undefined;
  const busy = state.phase === 'starting';

  return (
    <section className={layout.view} aria-labelledby="settings-heading">
      <Title2 as="h1" id="settings-heading" className={layout.heading}>
        Authentication Settings
      </Title2>

      {state.phase === 'failed' && state.failure ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>You are not signed in.</MessageBarTitle>
            {explain(state.failure, explainCtx).title}.
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={onOpenWizard}>
              Fix sign-in
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {state.phase === 'signed-out' ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>You are signed out.</MessageBarTitle>
          </MessageBarBody>
          <MessageBarActions>
            <Button appearance="primary" onClick={actions.retrySilent}>
              Sign in
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {busy ? <Spinner size="tiny" label="Signing in…" /> : null}

      {state.phase === 'signed-in' && state.session ? (
        <section className={layout.section} aria-labelledby="session-heading">
          <h2 id="session-heading" className={layout.heading}>
            <Text weight="semibold" size={400}>
              Your session
            </Text>
          </h2>
          <dl className={layout.stackedFacts}>
            <dt>Signed in as</dt>
            <dd>{state.session.mailbox}</dd>
            <dt>Method</dt>
            <dd>{methodDefinition(state.session.method).title}</dd>
            {state.session.mechanism ? (
              <>
                <dt>Mechanism</dt>
                <dd>{MECHANISM_TEXT[state.session.mechanism]}</dd>
              </>
            ) : null}
            <dt>Session expires</dt>
            <dd>
              <time dateTime={state.session.expiresAt}>{formatExpiry(state.session.expiresAt)}</time>
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
              Sign out
            </Button>
          </div>
        </section>
      ) : null}

      {state.methods ? (
        <section className={layout.section} aria-label="Sign-in methods">
          {profileMethods(state.methods).map((def) => (
            <MethodCard
              key={def.id}
              def={def}
              status={methodStatus(def, {
                methods: state.methods,
                session: state.session,
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
          Sign-in help
        </Button>
      </div>
    </section>
  );
}
