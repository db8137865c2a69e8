import { Button, ProgressBar, Field, Spinner, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { DiagnoseStep, MethodId, MethodsResponse } from '../../contract/api.ts';
import type { Session } from '../auth/session-store.ts';
import { classifyAccount, type AccountKind } from '../auth/environment.ts';
import { isEnabled, methodDefinition, profileMethods } from '../auth/methods.ts';
import type { ExplainContext } from '../auth/outcomes.ts';
import { DiagnosisSteps } from '../components/DiagnosisSteps.tsx';
import { OutcomeExplanation } from '../components/OutcomeExplanation.tsx';
import { PasswordForm } from '../components/PasswordForm.tsx';
import { useLayoutStyles } from '../components/styles.ts';
import { useDocumentTitle } from '../components/useDocumentTitle.ts';
import { HeadedSection, ViewHeading } from '../components/ViewHeading.tsx';
import { useT } from '../i18n/react.ts';
import type { MessageId } from '../i18n/locales.ts';
import type { Translate } from '../i18n/translate.ts';
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

const ACCOUNT_TEXT: Record<AccountKind, { ok: boolean; detail: MessageId }> = {
  'on-premises': { ok: true, detail: 'wizard.setup.onPremises' },
  office365: { ok: false, detail: 'wizard.setup.office365' },
  consumer: { ok: false, detail: 'wizard.setup.consumer' },
  unknown: { ok: true, detail: 'wizard.setup.unknown' },
};

/** Step 1's checklist; pure. */
export function setupSteps(
  facts: HostFacts,
  methods: MethodsResponse | undefined,
  failure: Failure | undefined,
  t: Translate,
): DiagnoseStep[] {
  const account = ACCOUNT_TEXT[classifyAccount(facts).kind];
  const steps: DiagnoseStep[] = [
    { name: t('wizard.setup.mailbox'), ok: true, detail: facts.mailbox },
    { name: t('wizard.setup.where'), ok: account.ok, detail: t(account.detail) },
  ];
  if (failure) {
    steps.push({ name: t('wizard.setup.profile'), ok: false, detail: t('wizard.setup.profileFailed') });
  } else if (methods) {
    steps.push({
      name: t('wizard.setup.profile'),
      ok: true,
      detail: methods.profile || t('wizard.setup.profileFound'),
    });
    steps.push({
      name: t('wizard.setup.iwaEnabled'),
      ok: isEnabled(methods, 'iwa'),
      detail: isEnabled(methods, 'iwa') ? t('wizard.setup.yes') : t('wizard.setup.no'),
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
  const t = useT();
  return (
    <div className={layout.section}>
      <Text>{t(def.summary)}</Text>
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
          {t('wizard.identityTokenButton')}
        </Button>
        {busy ? <Spinner size="tiny" label={t('wizard.signingIn')} /> : null}
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
  useDocumentTitle('wizard.title');
  const t = useT();
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
      <ViewHeading id="wizard-heading">{t('wizard.heading')}</ViewHeading>

      <HeadedSection id="wizard-step-1" title={t('wizard.step1')}>
        {checked ? (
          <DiagnosisSteps
            steps={setupSteps(facts, checked.methods, checked.failure, t)}
            label={t('wizard.setupChecks')}
          />
        ) : (
          <Spinner size="tiny" label={t('wizard.checkingSetup')} />
        )}
      </HeadedSection>

      {checked ? (
        <HeadedSection id="wizard-step-2" title={t('wizard.step2')}>
          <div aria-live="polite" className={layout.section}>
            {iwa.status === 'trying' || iwa.status === 'ready' ? (
              <Field validationMessage={t('wizard.iwaTrying')} validationState="none">
                <ProgressBar aria-label={t('wizard.iwaProgress')} />
              </Field>
            ) : null}
            {iwa.status === 'skipped' ? <Text>{t('wizard.iwaSkipped')}</Text> : null}
            {iwa.status === 'succeeded' ? <Text>{t('wizard.iwaWorked')}</Text> : null}
            {iwa.status === 'failed' ? <Text>{t('wizard.iwaFailed')}</Text> : null}
          </div>
          {iwa.status === 'failed' ? (
            <div className={layout.row}>
              <Button onClick={() => void tryIwa()}>{t('wizard.tryAgain')}</Button>
            </div>
          ) : null}
        </HeadedSection>
      ) : null}

      {outcome ? (
        <HeadedSection id="wizard-step-3" title={t('wizard.step3')}>
          <OutcomeExplanation failure={outcome} ctx={explainCtx} />
        </HeadedSection>
      ) : null}

      {outcome && !state.session ? (
        <HeadedSection id="wizard-step-4" title={t('wizard.step4')}>
          {alternatives.length === 0 ? <Text>{t('wizard.noAlternatives')}</Text> : null}
          {alternatives.map((d) => {
            const failed = (f: Failure) => {
              onFailed(d.id, f);
            };
            return (
              <section key={d.id} className={layout.section} aria-label={t(d.title)}>
                <h3 className={layout.heading}>
                  <Text weight="semibold">{t(d.title)}</Text>
                </h3>
                {d.id === 'identity-token' ? (
                  <IdentityTokenOption
                    api={api}
                    host={host}
                    facts={facts}
                    explainCtx={explainCtx}
                    onSignedIn={signedIn}
                    onFailed={failed}
                  />
                ) : null}
                {d.id === 'password' ? (
                  <PasswordForm api={api} ctx={explainCtx} onSignedIn={signedIn} onFailed={failed} />
                ) : null}
              </section>
            );
          })}
        </HeadedSection>
      ) : null}

      {state.session ? (
        <HeadedSection id="wizard-step-5" title={t('wizard.done')}>
          <Text role="status">
            {t('wizard.signedIn', {
              mailbox: state.session.mailbox,
              method: t(methodDefinition(state.session.method).title),
            })}
          </Text>
        </HeadedSection>
      ) : null}

      <div className={layout.row}>
        <Button appearance={state.session ? 'primary' : 'secondary'} onClick={onClose}>
          {state.session ? t('wizard.close') : t('wizard.back')}
        </Button>
      </div>
    </section>
  );
}
