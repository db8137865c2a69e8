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
import { useCallback, useId, useState } from 'react';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { Session } from '../api/types.ts';
import type { MethodContext, MethodDefinition, MethodStatus } from '../auth/methods.ts';
import { explain, type ExplainContext } from '../auth/outcomes.ts';
import { DiagnosisSteps } from '../components/DiagnosisSteps.tsx';
import { OutcomeExplanation } from '../components/OutcomeExplanation.tsx';
import { PasswordForm } from '../components/PasswordForm.tsx';
import { useLayoutStyles } from '../components/styles.ts';
import { useMethodFix } from './useMethodFix.ts';

const useStyles = makeStyles({
  card: { minWidth: 0, maxWidth: '100%' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400 },
});

/** The badge of each status: its text and colour. */
export const STATUS_BADGE: Record<MethodStatus['kind'], { text: string; color: BadgeProps['color'] }> = {
  active: { text: 'Active', color: 'success' },
  available: { text: 'Available', color: 'informative' },
  'not-enabled': { text: 'Not enabled by your admin', color: 'subtle' },
  'not-possible': { text: 'Not possible here', color: 'warning' },
  failed: { text: 'Failed', color: 'danger' },
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
  const { state: fix, run } = useMethodFix(def, ctx, onSignedIn, onFailed);
  const [formOpen, setFormOpen] = useState(false);
  const badge = STATUS_BADGE[status.kind];
  const canAct = status.kind === 'failed' || status.kind === 'available';
  const busy = fix.phase === 'diagnosing' || fix.phase === 'retrying';
  const signedInWithForm = useCallback(
    (s: Session) => {
      setFormOpen(false);
      onSignedIn(s);
    },
    [onSignedIn],
  );

  return (
    <Card className={styles.card} role="group" aria-labelledby={headingId} data-method={def.id}>
      <CardHeader
        header={
          <h2 id={headingId} className={styles.title}>
            {def.title}
          </h2>
        }
        description={<Text size={200}>{def.summary}</Text>}
      />
      <div className={styles.body}>
        <div className={layout.row}>
          <Text size={200}>Status:</Text>
          <Badge appearance="tint" color={badge.color}>
            {badge.text}
          </Badge>
        </div>
        {status.kind === 'not-possible' ? <Text size={200}>{status.reason}</Text> : null}
        {status.kind === 'not-enabled' ? (
          <Text size={200}>Your admin has not enabled this method for your mailbox.</Text>
        ) : null}
        {status.kind === 'failed' && fix.phase === 'idle' ? (
          <Text size={200}>{explain(status.failure, explainCtx).title}.</Text>
        ) : null}

        {canAct && def.fix.kind === 'diagnose' ? (
          <div className={layout.row}>
            <Button
              appearance={status.kind === 'failed' ? 'primary' : 'secondary'}
              disabled={busy}
              aria-label={`${def.fixLabel} ${def.title}`}
              onClick={() => void run()}
            >
              {def.fixLabel}
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
              {def.fixLabel}
            </Button>
          </div>
        ) : null}
        {formOpen && canAct ? (
          <PasswordForm api={api} ctx={explainCtx} onSignedIn={signedInWithForm} onFailed={onFailed} />
        ) : null}

        <div aria-live="polite" className={layout.section}>
          {fix.phase !== 'idle' && fix.steps.length > 0 ? (
            <DiagnosisSteps steps={fix.steps} label={`Checks for ${def.title}`} />
          ) : null}
          {fix.phase === 'diagnosing' ? <Spinner size="tiny" label="Running checks…" /> : null}
          {fix.phase === 'retrying' ? <Spinner size="tiny" label="Signing in again…" /> : null}
          {fix.phase === 'succeeded' ? <Text>Fixed: you are signed in.</Text> : null}
          {fix.phase === 'diagnosis-failed' && !fix.failure ? (
            <Text>A check failed. Follow its “What to do”, then choose {def.fixLabel} again.</Text>
          ) : null}
          {(fix.phase === 'diagnosis-failed' || fix.phase === 'retry-failed') && fix.failure ? (
            <OutcomeExplanation failure={fix.failure} ctx={explainCtx} />
          ) : null}
        </div>
      </div>
    </Card>
  );
}
