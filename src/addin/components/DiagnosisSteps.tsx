import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { DiagnoseStep } from '../../contract/api.ts';
import { useT } from '../i18n/react.ts';
import type { MessageId } from '../i18n/locales.ts';
import type { Translate } from '../i18n/translate.ts';
import { useLayoutStyles } from './styles.ts';

/** 16 px pass/fail marks (inline SVG: no icon package in the bundle). */
function Mark({ ok, warning, className }: { ok: boolean; warning: boolean; className: string }) {
  return (
    <svg
      className={className}
      width="16"
      height="16"
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="8" cy="8" r="7" fill="currentColor" />
      {ok && warning ? (
        <path d="M8 4v5m0 2.6v.1" stroke="white" strokeWidth="1.8" fill="none" strokeLinecap="round" />
      ) : ok ? (
        <path
          d="M4.5 8.2l2.2 2.2 4.8-4.8"
          stroke="white"
          strokeWidth="1.6"
          fill="none"
          strokeLinecap="round"
        />
      ) : (
        <path d="M5.5 5.5l5 5m0-5l-5 5" stroke="white" strokeWidth="1.6" fill="none" strokeLinecap="round" />
      )}
    </svg>
  );
}

/**
 * Friendly names of the diagnosis steps: the backend's (docs/interface.md, `…/diagnose`) and the
 * pane's own (`token`). Unknown names are shown as they come.
 */
export const STEP_NAMES: Readonly<Record<string, MessageId>> = {
  profile: 'step.profile',
  dns: 'step.dns',
  tcp: 'step.tcp',
  tls: 'step.tls',
  negotiate: 'step.negotiate',
  'extended-protection': 'step.extendedProtection',
  token: 'step.token.name',
};

export function stepName(name: string, t: Translate): string {
  const id = Object.hasOwn(STEP_NAMES, name) ? STEP_NAMES[name] : undefined;
  return id ? t(id) : name;
}

function verdict(s: DiagnoseStep): MessageId {
  if (!s.ok) return 'step.failed';
  return s.warning === true ? 'step.warned' : 'step.passed';
}

const useStyles = makeStyles({
  step: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-start', minWidth: 0 },
  body: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowWrap: 'anywhere' },
  pass: { color: tokens.colorPaletteGreenForeground1, flexShrink: 0, marginTop: '2px' },
  fail: { color: tokens.colorPaletteRedForeground1, flexShrink: 0, marginTop: '2px' },
  warn: { color: tokens.colorPaletteDarkOrangeForeground1, flexShrink: 0, marginTop: '2px' },
});

/**
 * The steps of a diagnosis, each marked passed, warned or failed, with the remedy of a failed or
 * warned one.
 * Named by `label`, or by the element `labelledBy` points at (a heading above the list).
 */
export function DiagnosisSteps({
  steps,
  label,
  labelledBy,
}: {
  steps: readonly DiagnoseStep[];
  label?: string;
  labelledBy?: string;
}) {
  const styles = useStyles();
  const layout = useLayoutStyles();
  const t = useT();
  return (
    <ol className={layout.plainList} aria-label={labelledBy ? undefined : label} aria-labelledby={labelledBy}>
      {steps.map((s, i) => (
        <li key={`${String(i)}-${s.name}`} className={styles.step}>
          <Mark
            ok={s.ok}
            warning={s.warning === true}
            className={!s.ok ? styles.fail : s.warning === true ? styles.warn : styles.pass}
          />
          <span className={styles.body}>
            <Text weight="semibold">{t(verdict(s), { name: stepName(s.name, t) })}</Text>
            {s.outcome ? <Text size={200}>{s.outcome}</Text> : null}
            {s.detail ? <Text size={200}>{s.detail}</Text> : null}
            {(!s.ok || s.warning === true) && s.remedy ? (
              <Text size={200}>{t('step.remedy', { remedy: s.remedy })}</Text>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
