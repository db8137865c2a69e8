import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RawIntlProvider } from 'react-intl';
import { describe, expect, test, vi } from 'vitest';
import { createApi } from '../../src/addin/api/client.ts';
import { PasswordForm } from '../../src/addin/components/PasswordForm.tsx';
import { createMockBackend, type MockBackendOptions } from '../../src/addin/dev/mock-backend.ts';
import { englishIntl } from './helpers.tsx';
import { server } from './msw.ts';

function renderForm(options: MockBackendOptions = {}, mailbox = 'alice@corp.test') {
  const backend = createMockBackend(options);
  server.use(...backend.handlers);
  const onSignedIn = vi.fn();
  const onFailed = vi.fn();
  render(
    <RawIntlProvider value={englishIntl}>
      <FluentProvider theme={webLightTheme}>
        <PasswordForm
          api={createApi()}
          ctx={{ mailbox, site: 'localhost' }}
          onSignedIn={onSignedIn}
          onFailed={onFailed}
        />
      </FluentProvider>
    </RawIntlProvider>,
  );
  const user = userEvent.setup({ delay: null });
  const username = screen.getByRole('textbox', { name: /Windows user name/ });
  const password = screen.getByLabelText(/^Password/);
  return { backend, onSignedIn, onFailed, user, username, password };
}

describe('password form', () => {
  test('labelled fields, a show-password toggle', async () => {
    const { user, password } = renderForm();
    expect(screen.getByRole('form', { name: 'Sign in with your domain password' })).toBeInTheDocument();
    expect(password).toHaveAttribute('type', 'password');
    expect(password).toHaveAttribute('autocomplete', 'current-password');
    await user.click(screen.getByRole('checkbox', { name: 'Show password' }));
    expect(password).toHaveAttribute('type', 'text');
    await user.click(screen.getByRole('checkbox', { name: 'Show password' }));
    expect(password).toHaveAttribute('type', 'password');
  });

  test('Enter submits; success hands over the session', async () => {
    const { user, username, password, onSignedIn } = renderForm();
    await user.type(username, 'alice');
    await user.type(password, 'correct horse{Enter}');
    await waitFor(() => {
      expect(onSignedIn).toHaveBeenCalledWith(
        expect.objectContaining({ method: 'password', mailbox: 'alice@corp.test' }),
      );
    });
    expect(password).toHaveValue('');
  });

  test('wrong password: the error is next to the password field, and the password is cleared', async () => {
    const { user, username, password, onFailed } = renderForm();
    await user.type(username, 'alice');
    await user.type(password, 'wrong{Enter}');
    await waitFor(() => {
      expect(password).toHaveAccessibleDescription('The user name or password is not correct.');
    });
    expect(password).toHaveValue('');
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(username).not.toHaveAttribute('aria-invalid', 'true');
    expect(onFailed).toHaveBeenCalledWith(expect.objectContaining({ code: 'AUTH_REJECTED' }));
    expect(document.body.innerHTML).not.toContain('wrong');
  });

  test('identity mismatch: the error is next to the user name and names both mailboxes', async () => {
    const { user, username, password } = renderForm(
      {
        password: () => ({
          error: 'IDENTITY_MISMATCH',
          details: { claimed: 'bob@corp.test', proven: 'alice@corp.test' },
        }),
      },
      'bob@corp.test',
    );
    await user.type(username, 'alice');
    await user.type(password, 'correct horse{Enter}');
    await waitFor(() => {
      expect(username).toHaveAccessibleDescription(/alice@corp\.test.*bob@corp\.test/);
    });
  });

  test('rate limited: a form-level alert', async () => {
    const { user, username, password } = renderForm({ password: () => ({ error: 'RATE_LIMITED' }) });
    await user.type(username, 'alice');
    await user.type(password, 'x{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-in attempts');
  });

  test('empty fields are checked before anything is sent', async () => {
    const { user, backend, username, password } = renderForm();
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(username).toHaveAccessibleDescription(/Enter your Windows user name/);
    expect(password).toHaveAccessibleDescription('Enter your password.');
    expect(backend.requests).toHaveLength(0);
  });
});
