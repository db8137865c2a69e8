import { useEffect } from 'react';
import { useT } from '../i18n/react.ts';
import type { MessageId } from '../i18n/locales.ts';

/** Sets `document.title` to "View – Outlook IWA" (in the pane's language) while the view is shown. */
export function useDocumentTitle(view: MessageId): void {
  const t = useT();
  const title = t('document.title', { view: t(view), product: t('product.name') });
  useEffect(() => {
    document.title = title;
  }, [title]);
}
