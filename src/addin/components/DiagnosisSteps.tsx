import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkCircle16Filled, DismissCircle16Filled } from '@fluentui/react-icons';
import type { DiagnoseStep } from '../api/types.ts';
import { useLayoutStyles } from './styles.ts';

/** Friendly names of the backend's diagnosis steps; unknown names are shown as they come. */
export const STEP_NAMES: Readonly<Record<string, string>> = {
  profile: 'Sign-in profile',
  dns: 'Exchange server name (DNS)',
  tcp: 'Connection to Exchange',
  tls: 'Exchange certificate (TLS)',
  negotiate: 'Windows authentication offered by Exchange',
  'extended-protection': 'Extended Protection',
};

export function stepName(name: string): string {
  return STEP_NAMES[name] ?? name;
}

const useStyles = makeStyles({
  step: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start', minWidth: 0 },
  body: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowWrap: 'anywhere' },
  pass: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0, marginTop: '2px' },
  fail: { color: tokens.colorPaletteRedForeground1, flexShrink: 0, marginTop: '2px' },
});

/** The steps of a diagnosis, each marked passed or failed, with the remedy of a failed one. */
export function DiagnosisSteps({ steps, label }: { steps: readonly DiagnoseStep[]; label: string }) {
  const styles = useStyles();
  const layout = useLayoutStyles();
  return (
    <ol className={layout.plainList} aria-label={label}>
      {steps.map((s, i) => (
        <li key={`${String(i)}-${s.name}`} className={styles.step}>
          {s.ok ? (
            <CheckmarkCircle16Filled className={styles.pass} aria-hidden />
          ) : (
            <DismissCircle16Filled className={styles.fail} aria-hidden />
          )}
          <span className={styles.body}>
            <Text weight="semibold">
              {stepName(s.name)}: {s.ok ? 'passed' : 'failed'}
            </Text>
            {s.detail ? <Text size={200}>{s.detail}</Text> : null}
            {!s.ok && s.remedy ? <Text size={200}>What to do: {s.remedy}</Text> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
