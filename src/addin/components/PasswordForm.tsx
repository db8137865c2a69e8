import { Button, Checkbox, Field, Input, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useId, useState, type SyntheticEvent } from 'react';
import type { Api } from '../api/client.ts';
import type { Failure } from '../api/failure.ts';
import type { Session } from '../api/types.ts';
import { toSession } from '../auth/methods.ts';
import { explain, type ExplainContext } from '../auth/outcomes.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

export interface PasswordFormProps {
  readonly api: Api;
  readonly ctx: ExplainContext;
  readonly onSignedIn: (session: Session) => void;
  readonly onFailed?: (failure: Failure) => void;
}

type FieldErrors = { username?: string; password?: string; form?: string };

/** Which field an error belongs to; pure. */
export function passwordErrors(failure: Failure, ctx: ExplainContext): FieldErrors {
  switch (failure.code) {
    case 'AUTH_REJECTED':
      return { password: 'The user name or password is not correct.' };
    case 'IDENTITY_MISMATCH': {
      const e = explain(failure, ctx);
      return { username: `${e.what} Use the account of ${ctx.mailbox}.` };
    }
    case 'INPUT_INVALID':
      return { username: 'Enter your Windows user name, for example CORP\\alice or alice@corp.test.' };
    default: {
      const e = explain(failure, ctx);
      return { form: `${e.title}. ${e.next}` };
    }
  }
}

/**
 * Domain-password sign-in: labelled fields, a show-password toggle, Enter submits, errors
 * next to the field, and the password is cleared after every attempt. The password lives
 * only in this component's state and the request body.
 */
export function PasswordForm({ api, ctx, onSignedIn, onFailed }: PasswordFormProps) {
  const styles = useStyles();
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
    if (username.trim() === '') missing.username = 'Enter your Windows user name.';
    if (password === '') missing.password = 'Enter your password.';
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
      onSignedIn(toSession(result.value));
      return;
    }
    setErrors(passwordErrors(result.failure, ctx));
    onFailed?.(result.failure);
  }

  return (
    <form
      className={styles.form}
      aria-label="Sign in with your domain password"
      aria-describedby={errors.form ? formErrorId : undefined}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <Field
        label="Windows user name"
        hint="For example CORP\alice or alice@corp.test"
        validationMessage={errors.username}
        validationState={errors.username ? 'error' : 'none'}
        required
      >
        <Input
          name="username"
          autoComplete="username"
          value={username}
          onChange={(_, d) => {
            setUsername(d.value);
          }}
        />
      </Field>
      <Field
        label="Password"
        validationMessage={errors.password}
        validationState={errors.password ? 'error' : 'none'}
        required
      >
        <Input
          name="password"
          type={show ? 'text' : 'password'}
          autoComplete="current-password"
          value={password}
          onChange={(_, d) => {
            setPassword(d.value);
          }}
        />
      </Field>
      <Checkbox
        label="Show password"
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
          Sign in
        </Button>
        {busy ? <Spinner size="tiny" label="Signing in…" /> : null}
      </div>
    </form>
  );
}
