import { Spinner } from '@fluentui/react-components';
import { STEP_LABELS, type StartupStep } from '../auth/signin-machine.ts';
import { useT } from '../i18n/react.ts';
import { useLayoutStyles } from './styles.ts';
import { useDocumentTitle } from './useDocumentTitle.ts';
import { ViewHeading } from './ViewHeading.tsx';

/** Start-up progress: always a labelled spinner, never a blank pane. */
export function SigningIn({ step }: { step: StartupStep }) {
  useDocumentTitle('startup.heading');
  const t = useT();
  const layout = useLayoutStyles();
  return (
    <section className={layout.view} aria-labelledby="signing-in-heading" aria-busy="true">
      {/* The first view: focus stays where the host put it. */}
      <ViewHeading id="signing-in-heading" focusOnMount={false}>
        {t('startup.heading')}
      </ViewHeading>
      <div role="status" aria-live="polite">
        <Spinner labelPosition="below" label={t(STEP_LABELS[step])} />
      </div>
    </section>
  );
}
