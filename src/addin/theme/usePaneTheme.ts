import { webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import { useSyncExternalStore } from 'react';
import type { HostTheme } from '../office/host.ts';

const QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  if (typeof globalThis.matchMedia !== 'function') return () => undefined;
  const mq = globalThis.matchMedia(QUERY);
  mq.addEventListener('change', onChange);
  return () => {
    mq.removeEventListener('change', onChange);
  };
}
const prefersDark = () => typeof globalThis.matchMedia === 'function' && globalThis.matchMedia(QUERY).matches;

/**
 * Light or dark: the Office theme where the client exposes it (Mailbox 1.14), else the
 * system's `prefers-color-scheme`.
 */
export function usePaneTheme(hostTheme: HostTheme | undefined): Theme {
  const systemDark = useSyncExternalStore(subscribe, prefersDark, () => false);
  const dark = hostTheme ? hostTheme.isDark : systemDark;
  return dark ? webDarkTheme : webLightTheme;
}
