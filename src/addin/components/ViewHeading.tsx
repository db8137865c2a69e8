import { Text, makeStyles, mergeClasses, typographyStyles } from '@fluentui/react-components';
import { useEffect, useRef, type ReactNode } from 'react';
import { useLayoutStyles } from './styles.ts';

// Fluent's Title2 look on a plain h1: Title2 does not take a ref, and focus needs one.
// A heading is a focus target for script, not a control: no focus ring on it (screen readers
// announce it; WCAG 2.4.7 asks for visible focus on operable components).
const useStyles = makeStyles({
  title: typographyStyles.title2,
  target: { ':focus': { outlineStyle: 'none' } },
});

/**
 * A view's level-1 heading. When the view appears, focus moves here, so keyboard and
 * screen-reader users land at the top of the new view instead of on a control that is gone
 * (WCAG 2.2 SC 2.4.3 Focus Order). `tabIndex={-1}`: focusable by script, not a tab stop.
 */
export function ViewHeading({
  id,
  children,
  focusOnMount = true,
}: {
  id: string;
  children: ReactNode;
  focusOnMount?: boolean;
}) {
  const layout = useLayoutStyles();
  const styles = useStyles();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);
  return (
    <h1 id={id} ref={ref} tabIndex={-1} className={mergeClasses(styles.title, styles.target, layout.heading)}>
      {children}
    </h1>
  );
}

/**
 * A heading inside a view for a part that replaces the control the user was on (a card's
 * diagnosis, the password form): focus moves here when it appears, for the same reason as
 * {@link ViewHeading}.
 */
export function FocusHeading({
  id,
  level,
  className,
  children,
}: {
  id: string;
  level: 2 | 3;
  className?: string;
  children: ReactNode;
}) {
  const styles = useStyles();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <H id={id} ref={ref} tabIndex={-1} className={mergeClasses(styles.target, className)}>
      {children}
    </H>
  );
}

/** A part of a view under its own level-2 heading, which names the section for screen readers. */
export function HeadedSection({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  const layout = useLayoutStyles();
  return (
    <section className={layout.section} aria-labelledby={id}>
      <h2 id={id} className={layout.heading}>
        <Text weight="semibold" size={400}>
          {title}
        </Text>
      </h2>
      {children}
    </section>
  );
}
