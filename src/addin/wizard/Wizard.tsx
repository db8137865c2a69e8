import { Button, ProgressBar, Field, Spinner, Text, Title2 } from '@fluentui/react-components';
import { useState } from 'react';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { DiagnoseStep, MethodId, MethodsResponse, Session } from '../api/types.ts';
import { classifyAccount, type AccountKind } from '../auth/environment.ts';
import { isEnabled, methodDefinition, profileMethods } from '../auth/methods.ts';
import type { ExplainContext } from '../auth/outcomes.ts';
import { DiagnosisSteps } from '../components/DiagnosisSteps.tsx';
import { OutcomeExplanation } from '../components/OutcomeExplanation.tsx';
import { PasswordForm } from '../components/PasswordForm.tsx';
import { useLayoutStyles } from '../components/styles.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import type { HostFacts, OfficeHost } from '../office/host.ts';
import { useWizard } from './useWizard.ts';

export interface WizardProps {
  readonly api: Api;
  readonly host: OfficeHost;
  readonly facts: HostFacts;
  readonly explainCtx: ExplainContext;
  readonly onSignedIn: (s: Session) => void;
  readonly onFailed: (method: MethodId, f: Failure) => void;
  readonly onClose: () => void;
}

const ACCOUNT_TEXT: Record<AccountKind, { ok: boolean; detail: string }> = {
  'on-premises': { ok: true, detail: 'Your mailbox is on your organisation’s own Exchange servers.' },
  office365: {
    ok: false,
    detail: 'Your mailbox is in Office 365 (Exchange Online): Windows sign-in is not supported.',
  },
  consumer: { ok: false, detail: 'This is a personal Outlook.com or Gmail account.' },
  unknown: {
    ok: true,
    detail: 'Outlook did not say where your mailbox is; assuming your own Exchange servers.',
  },
};

/** Step 1's checklist; pure. */
export function setupSteps(
  facts: HostFacts,
  methods: MethodsResponse | undefined,
  failure: Failure | undefined,
): DiagnoseStep[] {
  const account = ACCOUNT_TEXT[classifyAccount(facts).kind];
  const steps: DiagnoseStep[] = [
    { name: 'Outlook mailbox', ok: true, detail: facts.mailbox },
    { name: 'Where your mailbox is', ok: account.ok, detail: account.detail },
  ];
  if (failure) {
    steps.push({
      name: 'Sign-in profile',
      ok: false,
      detail: 'The sign-in service could not tell which methods you may use.',
    });
  } else if (methods) {
    steps.push({ name: 'Sign-in profile', ok: true, detail: methods.profile || 'found' });
    steps.push({
      name: 'Windows sign-in enabled by your admin',
      ok: isEnabled(methods, 'iwa'),
      detail: isEnabled(methods, 'iwa') ? 'Yes' : 'No',
    });
  }
  return steps;
}

function IdentityTokenOption({
  api,
  host,
  facts,
  explainCtx,
  onSignedIn,
  onFailed,
}: Omit<WizardProps, 'onClose' | 'onFailed'> & { onFailed: (f: Failure) => void }) {
  const layout = useLayoutStyles();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | undefined>(undefined);
  const def = methodDefinition('identity-token');
  return (
    <div className={layout.section}>
      <Text>{def.summary}</Text>
      <div className={layout.row}>
        <Button
          disabled={busy}
          onClick={() => {
            if (!def.signIn) return;
            setBusy(true);
            setFailure(undefined);
            void def.signIn({ api, host, facts }).then((r) => {
              setBusy(false);
              if (r.ok) onSignedIn(r.value);
              else {
                setFailure(r.failure);
                onFailed(r.failure);
              }
            });
          }}
        >
          Sign in with Outlook’s identity token
        </Button>
        {busy ? <Spinner size="tiny" label="Signing in…" /> : null}
      </div>
      <div aria-live="polite">
        {failure ? <OutcomeExplanation failure={failure} ctx={explainCtx} /> : null}
      </div>
    </div>
  );
}

/**
 * Sign-in help: environment check → try IWA → explain the outcome → other methods → done.
 * Default export so the pane can load it lazily.
 */
export default function Wizard(props: WizardProps) {
  useDocumentTitle('Sign-in help');
  const { api, host, facts, explainCtx, onFailed, onClose } = props;
  const layout = useLayoutStyles();
  const { state, tryIwa, signedIn } = useWizard({ api, host, facts, onSignedIn: props.onSignedIn, onFailed });
  const checked = state.setup.status === 'checked' ? state.setup : undefined;
  const iwa = state.iwa;
  const outcome = iwa.status === 'failed' || iwa.status === 'skipped' ? iwa.failure : undefined;
  const env = { account: classifyAccount(facts).kind };
  const alternatives = checked
    ? profileMethods(checked.methods).filter(
        (d) => d.id !== 'iwa' && isEnabled(checked.methods, d.id) && d.notPossible(env) === undefined,
      )
    : [];

  return (
    <section className={layout.view} aria-labelledby="wizard-heading">
      <Title2 as="h1" id="wizard-heading" className={layout.heading}>
        Sign-in help
      </Title2>

      <section className={layout.section} aria-labelledby="wizard-step-1">
        <h2 id="wizard-step-1" className={layout.heading}>
          <Text weight="semibold" size={400}>
            1. Your setup
          </Text>
        </h2>
        {checked ? (
          <DiagnosisSteps steps={setupSteps(facts, checked.methods, checked.failure)} label="Setup checks" />
        ) : (
          <Spinner size="tiny" label="Checking your setup…" />
        )}
      </section>

      {checked ? (
        <section className={layout.section} aria-labelledby="wizard-step-2">
          <h2 id="wizard-step-2" className={layout.heading}>
            <Text weight="semibold" size={400}>
              2. Windows sign-in
            </Text>
          </h2>
          <div aria-live="polite" className={layout.section}>
            {iwa.status === 'trying' || iwa.status === 'ready' ? (
              <Field validationMessage="Signing in with your Windows account…" validationState="none">
                <ProgressBar aria-label="Signing in with your Windows account" />
              </Field>
            ) : null}
            {iwa.status === 'skipped' ? <Text>Not tried: it cannot work here (see below).</Text> : null}
            {iwa.status === 'succeeded' ? <Text>Windows sign-in worked.</Text> : null}
            {iwa.status === 'failed' ? <Text>Windows sign-in did not work.</Text> : null}
          </div>
          {iwa.status === 'failed' ? (
            <div className={layout.row}>
              <Button onClick={() => void tryIwa()}>Try again</Button>
            </div>
          ) : null}
        </section>
      ) : null}

      {outcome ? (
        <section className={layout.section} aria-labelledby="wizard-step-3">
          <h2 id="wizard-step-3" className={layout.heading}>
            <Text weight="semibold" size={400}>
              3. What happened
            </Text>
          </h2>
          <OutcomeExplanation failure={outcome} ctx={explainCtx} />
        </section>
      ) : null}

      {outcome && !state.session ? (
        <section className={layout.section} aria-labelledby="wizard-step-4">
          <h2 id="wizard-step-4" className={layout.heading}>
            <Text weight="semibold" size={400}>
              4. Other ways to sign in
            </Text>
          </h2>
          {alternatives.length === 0 ? (
            <Text>No other sign-in method is enabled for your mailbox. Your admin can enable one.</Text>
          ) : null}
          {alternatives.map((d) => (
            <section key={d.id} className={layout.section} aria-label={d.title}>
              <h3 className={layout.heading}>
                <Text weight="semibold">{d.title}</Text>
              </h3>
              {d.id === 'identity-token' ? (
                <IdentityTokenOption
                  api={api}
                  host={host}
                  facts={facts}
                  explainCtx={explainCtx}
                  onSignedIn={signedIn}
                  onFailed={(f) => {
                    onFailed('identity-token', f);
                  }}
                />
              ) : null}
              {d.id === 'password' ? (
                <PasswordForm
                  api={api}
                  ctx={explainCtx}
                  onSignedIn={signedIn}
                  onFailed={(f) => {
                    onFailed('password', f);
                  }}
                />
              ) : null}
            </section>
          ))}
        </section>
      ) : null}

      {state.session ? (
        <section className={layout.section} aria-labelledby="wizard-step-5">
          <h2 id="wizard-step-5" className={layout.heading}>
            <Text weight="semibold" size={400}>
              Done
            </Text>
          </h2>
          <Text role="status">
            You are signed in as {state.session.mailbox} with {methodDefinition(state.session.method).title}.
          </Text>
        </section>
      ) : null}

      <div className={layout.row}>
        <Button appearance={state.session ? 'primary' : 'secondary'} onClick={onClose}>
          {state.session ? 'Close' : 'Back to Authentication Settings'}
        </Button>
      </div>
    </section>
  );
}
