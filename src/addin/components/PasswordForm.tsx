import { Button, Checkbox, Field, Input, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useId, useState, type SyntheticEvent } from 'react';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { Session } from '../auth/session-store.ts';
import { explain, type ExplainContext } from '../auth/outcomes.ts';
import { useT } from '../i18n/react.ts';
import type { Translate } from '../i18n/translate.ts';
import { FocusHeading } from './ViewHeading.tsx';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  heading: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
});

export interface PasswordFormProps {
  readonly api: Api;
  readonly ctx: ExplainContext;
  readonly onSignedIn: (session: Session) => void;
  readonly onFailed?: (failure: Failure) => void;
  /**
   * Give the form a heading and move focus to it when the form opens in place of the button
   * that opened it (a card's "Sign in with password").
   */
  readonly focusHeading?: boolean;
}

type FieldErrors = { username?: string; password?: string; form?: string };

/** Which field an error belongs to; pure. */
export function passwordErrors(failure: Failure, ctx: ExplainContext, t: Translate): FieldErrors {
  switch (failure.code) {
    case 'AUTH_REJECTED':
      return { password: t('password.wrong') };
    case 'IDENTITY_MISMATCH': {
      const e = explain(failure, ctx, t);
      return { username: t('password.mismatch', { what: e.what, mailbox: ctx.mailbox }) };
    }
    case 'INPUT_INVALID':
      return { username: t('password.badUsername') };
    default: {
      const e = explain(failure, ctx, t);
      return { form: t('password.formError', { title: e.title, next: e.next }) };
    }
  }
}

/** A required field with its error next to it. */
function TextField({
  label,
  hint,
  error,
  onChange,
  ...input
}: {
  label: string;
  hint?: string;
  error: string | undefined;
  name: string;
  type?: 'text' | 'password';
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field
      label={label}
      hint={hint}
      validationMessage={error}
      validationState={error ? 'error' : 'none'}
      required
    >
      <Input
        {...input}
        onChange={(_, d) => {
          onChange(d.value);
        }}
      />
    </Field>
  );
}

/**
 * Domain-password sign-in: labelled fields, a show-password toggle, Enter submits, errors
 * next to the field, and the password is cleared after every attempt. The password lives
 * only in this component's state and the request body.
 */
export function PasswordForm({ api, ctx, onSignedIn, onFailed, focusHeading = false }: PasswordFormProps) {
  const styles = useStyles();
  const t = useT();
  const headingId = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const formErrorId = useId();

  async function submit(e: SyntheticEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const missing: FieldErrors = {};
    if (username.trim() === '') missing.username = t('password.enterUsername');
    if (password === '') missing.password = t('password.enterPassword');
    if (missing.username ?? missing.password) {
      setErrors(missing);
      return;
    }
    setBusy(true);
    setErrors({});
    const attempt = password;
    setPassword('');
    const result = await api.password({ mailbox: ctx.mailbox, username: username.trim(), password: attempt });
    setBusy(false);
    if (result.ok) {
      onSignedIn(result.value);
      return;
    }
    setErrors(passwordErrors(result.failure, ctx, t));
    onFailed?.(result.failure);
  }

  return (
    <form
      className={styles.form}
      aria-label={focusHeading ? undefined : t('password.formLabel')}
      aria-labelledby={focusHeading ? headingId : undefined}
      aria-describedby={errors.form ? formErrorId : undefined}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      {focusHeading ? (
        <FocusHeading id={headingId} level={3} className={styles.heading}>
          {t('password.formLabel')}
        </FocusHeading>
      ) : null}
      <TextField
        label={t('password.username')}
        hint={t('password.usernameHint')}
        error={errors.username}
        name="username"
        autoComplete="username"
        value={username}
        onChange={setUsername}
      />
      <TextField
        label={t('password.password')}
        error={errors.password}
        name="password"
        type={show ? 'text' : 'password'}
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
      />
      <Checkbox
        label={t('password.show')}
        checked={show}
        onChange={(_, d) => {
          setShow(d.checked === true);
        }}
      />
      {errors.form ? (
        <div id={formErrorId} role="alert">
          {errors.form}
        </div>
      ) : null}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" disabled={busy}>
          {t('password.submit')}
        </Button>
        {busy ? <Spinner size="tiny" label={t('password.signingIn')} /> : null}
      </div>
    </form>
  );
}
