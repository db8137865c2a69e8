import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi } from './api/client.ts';
import { App } from './components/App.tsx';
import type { OfficeHost } from './office/host.ts';
import { createOfficeJsHost } from './office/office-js-host.ts';

async function start(): Promise<void> {
  const root = document.getElementById('root');
  if (!root || (globalThis as { __outlookIwaLegacy?: boolean }).__outlookIwaLegacy) return;

  let host: OfficeHost = createOfficeJsHost();
  let footer: ReactNode = null;
  if (import.meta.env.DEV) {
    // Dev only (tree-shaken from the production build): Office fake, msw mocks, state switcher.
    const dev = await import('./dev/dev.tsx');
    ({ host, footer } = await dev.startDev());
  }

  let storage: Storage | undefined;
  try {
    storage = globalThis.sessionStorage;
  } catch {
    storage = undefined;
  }
  createRoot(root).render(
    <StrictMode>
      <App host={host} api={createApi()} storage={storage} footer={footer} />
    </StrictMode>,
  );
}

void start();
