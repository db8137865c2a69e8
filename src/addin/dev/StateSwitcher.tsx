import { makeStyles, tokens } from '@fluentui/react-components';
import { SCENARIOS } from './scenarios.ts';

const useStyles = makeStyles({
  panel: {
    marginTop: tokens.spacingVerticalXXL,
    paddingTop: tokens.spacingVerticalM,
    borderTop: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    color: tokens.colorNeutralForeground2,
  },
  select: { maxWidth: '100%' },
});

/** Dev-only: pick a state; the page reloads with `?state=NAME`. */
export function StateSwitcher({ current }: { current: string }) {
  const styles = useStyles();
  return (
    <aside className={styles.panel} aria-label="Development state switcher">
      <label htmlFor="dev-state">Dev state</label>
      <select
        id="dev-state"
        className={styles.select}
        value={current}
        onChange={(e) => {
          const url = new URL(location.href);
          url.searchParams.set('state', e.target.value);
          location.assign(url);
        }}
      >
        {Object.entries(SCENARIOS).map(([name, s]) => (
          <option key={name} value={name}>
            {s.label}
          </option>
        ))}
      </select>
    </aside>
  );
}
