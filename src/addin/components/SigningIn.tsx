import { Spinner, Title2 } from '@fluentui/react-components';
import { STEP_LABELS, type StartupStep } from '../auth/signin-machine.ts';
import { useLayoutStyles } from './styles.ts';
import { useDocumentTitle } from './useDocumentTitle.ts';

/** Start-up progress: always a labelled spinner, never a blank pane. */
export function SigningIn({ step }: { step: StartupStep }) {
  useDocumentTitle('Signing in');
  const layout = useLayoutStyles();
  return (
    <section className={layout.view} aria-labelledby="signing-in-heading" aria-busy="true">
      <Title2 as="h1" id="signing-in-heading" className={layout.heading}>
        Signing in
      </Title2>
      <div role="status" aria-live="polite">
        <Spinner labelPosition="below" label={STEP_LABELS[step]} />
      </div>
    </section>
  );
}
