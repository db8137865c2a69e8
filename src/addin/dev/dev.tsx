/** `npm run dev` only: the Office fake, msw mocks and the state switcher. */
import type { ReactNode } from 'react';
import { setupWorker } from 'msw/browser';
import { createFakeOfficeHost } from '../office/fake-host.ts';
import type { OfficeHost } from '../office/host.ts';
import { createOfficeJsHost } from '../office/office-js-host.ts';
import { createMockBackend } from './mock-backend.ts';
import { SCENARIOS } from './scenarios.ts';
import { StateSwitcher } from './StateSwitcher.tsx';

export async function startDev(): Promise<{ host: OfficeHost; footer: ReactNode }> {
  const params = new URLSearchParams(location.search);
  // `?backend=real` talks to a real backend (e.g. through a proxy); `?office=real` uses office.js.
  const name = params.get('state') ?? 'iwa-kerberos';
  const scenario = SCENARIOS[name] ?? SCENARIOS['iwa-kerberos'];
  if (params.get('backend') !== 'real') {
    const backend = createMockBackend({ latencyMs: 400, ...scenario?.backend });
    await setupWorker(...backend.handlers).start({ onUnhandledRequest: 'bypass', quiet: true });
  }
  // A new page per state: forget the previous state's session.
  sessionStorage.clear();
  const host =
    params.get('office') === 'real' && 'Office' in globalThis
      ? createOfficeJsHost()
      : createFakeOfficeHost({ readyDelayMs: 300, ...scenario?.office });
  return { host, footer: <StateSwitcher current={name} /> };
}
