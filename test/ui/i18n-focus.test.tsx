import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { loadCatalogue } from '../../src/addin/i18n/locales.ts';
import { renderPane, settingsHeading } from './helpers.tsx';

const liveRegion = () => document.querySelector('[data-pane-status]');

describe('the pane follows Office.context.displayLanguage', () => {
  test('de-AT: German pane, <html lang="de" dir="ltr">, German item notification', async () => {
    const de = await loadCatalogue('de');
    const { host } = renderPane({
      office: { displayLanguage: 'de-AT' },
      backend: { iwa: { error: 'AUTH_REJECTED' }, identityToken: { error: 'IDENTITY_TOKEN_UNBOUND' } },
    });
    expect(
      await screen.findByRole('heading', { level: 1, name: de['settings.heading'] }, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(document.documentElement).toHaveAttribute('lang', 'de');
    expect(document.documentElement).toHaveAttribute('dir', 'ltr');
    expect(await screen.findByText(de['settings.notSignedIn'])).toBeInTheDocument();
    expect(document.title).toBe(`${de['settings.heading']} – Outlook IWA`);
    await waitFor(() => {
      expect([...host.notifications.values()].map((n) => n.message)).toEqual([de['notification.failed']]);
    });
    expect(liveRegion()).toHaveTextContent(de['status.failed']);
  });

  test('ar-SA: right to left on <html> and on the FluentProvider', async () => {
    const ar = await loadCatalogue('ar');
    renderPane({ office: { displayLanguage: 'ar-SA' } });
    const heading = await screen.findByRole(
      'heading',
      { level: 1, name: ar['settings.heading'] },
      { timeout: 15_000 },
    );
    expect(document.documentElement).toHaveAttribute('lang', 'ar');
    expect(document.documentElement).toHaveAttribute('dir', 'rtl');
    expect(heading.closest('[dir]')).toHaveAttribute('dir', 'rtl');
    // Dates through Intl for the locale (Arabic month names).
    const expires = await screen.findByText(ar['settings.expires']);
    const time = expires.nextElementSibling?.querySelector('time');
    expect(time?.textContent).toBe(
      new Intl.DateTimeFormat('ar', { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(time?.getAttribute('datetime') ?? ''),
      ),
    );
  });

  test('zh-TW gets English (no Traditional Chinese catalogue)', async () => {
    renderPane({ office: { displayLanguage: 'zh-TW' } });
    await settingsHeading();
    expect(document.documentElement).toHaveAttribute('lang', 'en');
  });
});

describe('keyboard and screen reader', () => {
  test('focus moves to the heading of each new view; the live region announces status changes', async () => {
    const { user } = renderPane({ backend: { iwa: { error: 'AUTH_REJECTED' } } });
    await settingsHeading();
    await screen.findByText('You are not signed in.');
    expect(liveRegion()).toHaveTextContent('Sign-in did not work: you are not signed in.');

    await user.click(screen.getByRole('button', { name: 'Fix sign-in' }));
    const wizard = await screen.findByRole('heading', { level: 1, name: 'Sign-in help' });
    await waitFor(() => {
      expect(wizard).toHaveFocus();
    });

    await user.click(screen.getByRole('button', { name: 'Back to Authentication Settings' }));
    const settings = await settingsHeading();
    await waitFor(() => {
      expect(settings).toHaveFocus();
    });
  });

  test("a card's Fix moves focus to its checks; its password form takes focus to the form's heading", async () => {
    const { user } = renderPane({ backend: { iwa: { error: 'AUTH_REJECTED' } } });
    await settingsHeading();
    const iwa = await screen.findByRole('group', { name: 'Windows sign-in (IWA)' });
    await user.click(within(iwa).getByRole('button', { name: 'Fix Windows sign-in (IWA)' }));
    const checks = await within(iwa).findByRole('heading', { name: 'Checks for Windows sign-in (IWA)' });
    expect(checks).toHaveFocus();

    const pw = screen.getByRole('group', { name: /Domain password/ });
    await user.click(within(pw).getByRole('button', { name: 'Sign in with password' }));
    const formHeading = await within(pw).findByRole('heading', { name: 'Sign in with your domain password' });
    expect(formHeading).toHaveFocus();
    expect(within(pw).getByRole('form', { name: 'Sign in with your domain password' })).toBeInTheDocument();
  });

  test('sign out is announced', async () => {
    const { user } = renderPane();
    await settingsHeading();
    await waitFor(() => {
      expect(liveRegion()).toHaveTextContent('Signed in as alice@corp.test.');
    });
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    await waitFor(() => {
      expect(liveRegion()).toHaveTextContent('Signed out of Outlook IWA.');
    });
    expect(liveRegion()).toHaveAttribute('aria-live', 'polite');
  });
});
