import {
  Badge,
  Button,
  Card,
  CardHeader,
  Spinner,
  Text,
  makeStyles,
  tokens,
  type BadgeProps,
} from '@fluentui/react-components';
import { useId, useState } from 'react';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { Session } from '../auth/session-store.ts';
import type { MethodContext, MethodDefinition, MethodStatus } from '../auth/methods.ts';
import { explain, type ExplainContext } from '../auth/outcomes.ts';
import { DiagnosisSteps } from '../components/DiagnosisSteps.tsx';
import { OutcomeExplanation } from '../components/OutcomeExplanation.tsx';
import { PasswordForm } from '../components/PasswordForm.tsx';
import { useLayoutStyles } from '../components/styles.ts';
import { FocusHeading } from '../components/ViewHeading.tsx';
import { useT } from '../i18n/react.ts';
import type { MessageId } from '../i18n/locales.ts';
import { useMethodFix } from './useMethodFix.ts';

const useStyles = makeStyles({
  card: { minWidth: 0, maxWidth: '100%' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
  checksHeading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
});

/** The badge of each status: its text and colour. */
export const STATUS_BADGE: Record<MethodStatus['kind'], { text: MessageId; color: BadgeProps['color'] }> = {
  active: { text: 'card.badge.active', color: 'success' },
  available: { text: 'card.badge.available', color: 'informative' },
  'not-enabled': { text: 'card.badge.notEnabled', color: 'subtle' },
  'not-possible': { text: 'card.badge.notPossible', color: 'warning' },
  failed: { text: 'card.badge.failed', color: 'danger' },
};

export interface MethodCardProps {
  readonly def: MethodDefinition;
  readonly status: MethodStatus;
  readonly ctx: MethodContext | undefined;
  readonly api: Api;
  readonly explainCtx: ExplainContext;
  readonly onSignedIn: (s: Session) => void;
  readonly onFailed: (f: Failure) => void;
}

/** One method: title, status badge, the reason, and the Fix button with its diagnosis. */
export function MethodCard({ def, status, ctx, api, explainCtx, onSignedIn, onFailed }: MethodCardProps) {
  const styles = useStyles();
  const layout = useLayoutStyles();
  const headingId = useId();
  const checksId = useId();
  const t = useT();
  const title = t(def.title);
  const fixLabel = t(def.fixLabel);
  const { state: fix, run } = useMethodFix(def, ctx, onSignedIn, onFailed);
  const [formOpen, setFormOpen] = useState(false);
  const badge = STATUS_BADGE[status.kind];
  const canAct = status.kind === 'failed' || status.kind === 'available';
  const busy = fix.phase === 'diagnosing' || fix.phase === 'retrying';
  const signedInWithForm = (s: Session) => {
    setFormOpen(false);
    onSignedIn(s);
  };

  return (
    <Card className={styles.card} role="group" aria-labelledby={headingId} data-method={def.id}>
      <CardHeader
        header={
          <h2 id={headingId} className={styles.title}>
            {title}
          </h2>
        }
        description={<Text size={200}>{t(def.summary)}</Text>}
      />
      <div className={styles.body}>
        <div className={layout.row}>
          <Text size={200}>{t('card.status')}</Text>
          <Badge appearance="tint" color={badge.color}>
            {t(badge.text)}
          </Badge>
        </div>
        {status.kind === 'not-possible' ? <Text size={200}>{t(status.reason)}</Text> : null}
        {status.kind === 'not-enabled' ? <Text size={200}>{t('card.notEnabled')}</Text> : null}
        {status.kind === 'failed' && fix.phase === 'idle' ? (
          <Text size={200}>
            {t('settings.failureTitle', { title: explain(status.failure, explainCtx, t).title })}
          </Text>
        ) : null}

        {canAct && def.fix.kind === 'diagnose' ? (
          <div className={layout.row}>
            <Button
              appearance={status.kind === 'failed' ? 'primary' : 'secondary'}
              disabled={busy}
              aria-label={t('card.fixLabel', { action: fixLabel, method: title })}
              onClick={() => void run()}
            >
              {fixLabel}
            </Button>
          </div>
        ) : null}
        {canAct && def.fix.kind === 'form' && !formOpen ? (
          <div className={layout.row}>
            <Button
              appearance="secondary"
              onClick={() => {
                setFormOpen(true);
              }}
            >
              {fixLabel}
            </Button>
          </div>
        ) : null}
        {formOpen && canAct ? (
          <PasswordForm
            api={api}
            ctx={explainCtx}
            onSignedIn={signedInWithForm}
            onFailed={onFailed}
            focusHeading
          />
        ) : null}

        <div aria-live="polite" className={layout.section}>
          {/* Fix disables itself while it runs: focus moves to the checks instead of being lost. */}
          {fix.phase !== 'idle' ? (
            <FocusHeading id={checksId} level={3} className={styles.checksHeading}>
              {t('card.checksFor', { method: title })}
            </FocusHeading>
          ) : null}
          {fix.phase !== 'idle' && fix.steps.length > 0 ? (
            <DiagnosisSteps steps={fix.steps} labelledBy={checksId} />
          ) : null}
          {fix.phase === 'diagnosing' ? <Spinner size="tiny" label={t('card.runningChecks')} /> : null}
          {fix.phase === 'retrying' ? <Spinner size="tiny" label={t('card.retrying')} /> : null}
          {fix.phase === 'succeeded' ? <Text>{t('card.fixed')}</Text> : null}
          {fix.phase === 'diagnosis-failed' && !fix.failure ? (
            <Text>{t('card.checkFailed', { action: fixLabel })}</Text>
          ) : null}
          {(fix.phase === 'diagnosis-failed' || fix.phase === 'retry-failed') && fix.failure ? (
            <OutcomeExplanation failure={fix.failure} ctx={explainCtx} />
          ) : null}
        </div>
      </div>
    </Card>
  );
}
