import { MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import type { Failure } from '../api/failure.ts';
import { isAccountGate } from '../auth/environment.ts';
import { explain, FIXER_TEXT, type ExplainContext } from '../auth/outcomes.ts';
import { useT } from '../i18n/react.ts';
import { useLayoutStyles } from './styles.ts';

/** What happened, who can fix it and the next step, for one failure code. */
export function OutcomeExplanation({ failure, ctx }: { failure: Failure; ctx: ExplainContext }) {
  const layout = useLayoutStyles();
  const t = useT();
  const e = explain(failure, ctx, t);
  return (
    <div className={layout.section} data-outcome={failure.code}>
      <MessageBar intent={isAccountGate(failure.code) ? 'info' : 'error'} layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{e.title}</MessageBarTitle>
        </MessageBarBody>
      </MessageBar>
      <dl className={layout.stackedFacts}>
        <dt>{t('outcome.whatHappened')}</dt>
        <dd>
          <Text>{e.what}</Text>
        </dd>
        <dt>{t('outcome.whoCanFix')}</dt>
        <dd>
          <Text>{t(FIXER_TEXT[e.who])}</Text>
        </dd>
        <dt>{t('outcome.nextStep')}</dt>
        <dd>
          <Text>{e.next}</Text>
        </dd>
      </dl>
    </div>
  );
}
