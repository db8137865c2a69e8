import { useEffect } from 'react';

export const PRODUCT = 'Outlook IWA';

/** Sets `document.title` to "View – Outlook IWA" while the view is shown. */
export function useDocumentTitle(view: string): void {
  useEffect(() => {
    document.title = `${view} – ${PRODUCT}`;
  }, [view]);
}
