import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createApi } from '../../src/addin/api/client.ts';
import { App } from '../../src/addin/components/App.tsx';
import { createMockBackend, type MockBackendOptions } from '../../src/addin/dev/mock-backend.ts';
import { createFakeOfficeHost, type FakeOfficeHostOptions } from '../../src/addin/office/fake-host.ts';
import { englishCatalogue } from '../../src/addin/i18n/locales.ts';
import { intlFor } from '../../src/addin/i18n/translate.ts';
import { server } from './msw.ts';

/** The English `IntlShape`, for rendering a part of the pane on its own (`RawIntlProvider`). */
export const englishIntl = intlFor('en', englishCatalogue);

export interface PaneOptions {
  readonly office?: FakeOfficeHostOptions;
  readonly backend?: MockBackendOptions;
}

/** Renders the whole pane over the Office fake and the msw mock backend. */
export function renderPane(options: PaneOptions = {}) {
  const host = createFakeOfficeHost(options.office);
  const backend = createMockBackend(options.backend);
  server.use(...backend.handlers);
  const user = userEvent.setup({ delay: null });
  const view = render(<App host={host} api={createApi()} storage={sessionStorage} />);
  const count = (path: string) => backend.requests.filter((r) => r.path === path).length;
  return { host, backend, user, view, count };
}

export const settingsHeading = () =>
  screen.findByRole('heading', { level: 1, name: 'Authentication Settings' }, { timeout: 3000 });

/** The card of one method, found by its heading. */
export function card(title: string | RegExp): HTMLElement {
  return screen.getByRole('group', { name: title });
}

/** axe-core over the document; returns serious and critical violations. */
export async function seriousViolations(): Promise<axe.Result[]> {
  const results = await axe.run(document.body, {
    // jsdom cannot compute colours reliably
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
