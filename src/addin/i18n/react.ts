import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { useIntl, type IntlShape } from 'react-intl';
import {
  DEFAULT_LOCALE,
  directionOf,
  englishCatalogue,
  loadCatalogue,
  pickLocale,
  type Catalogue,
  type Locale,
} from './locales.ts';
import { intlFor, translator, type Translate } from './translate.ts';

/** The active catalogue's {@link Translate}, for components under the pane's `RawIntlProvider`. */
export function useT(): Translate {
  const intl = useIntl();
  return useMemo(() => translator(intl), [intl]);
}

export interface PaneLocale {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  readonly intl: IntlShape;
}

/**
 * The pane's locale for a display language (`Office.context.displayLanguage`; `undefined`
 * until Office is ready). Shows English until the locale's catalogue has loaded, then switches,
 * and keeps `<html lang dir>` in step so screen readers and the browser's own text shaping
 * follow.
 */
export function usePaneLocale(displayLanguage: string | undefined): PaneLocale {
  const wanted = pickLocale(displayLanguage);
  const [current, setCurrent] = useState<{ locale: Locale; messages: Catalogue }>({
    locale: DEFAULT_LOCALE,
    messages: englishCatalogue,
  });
  useEffect(() => {
    let live = true;
    void loadCatalogue(wanted).then((messages) => {
      // A catalogue that failed to load comes back as English: say so in `lang`.
      if (live) setCurrent({ locale: messages === englishCatalogue ? DEFAULT_LOCALE : wanted, messages });
    });
    return () => {
      live = false;
    };
  }, [wanted]);
  const { locale, messages } = current;
  const dir = directionOf(locale);
  // In the same commit as the text it describes: never a paint of Arabic text under dir="ltr",
  // nor a moment where the heading is translated and <html lang> is not.
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = dir;
  }, [locale, dir]);
  const intl = useMemo(() => intlFor(locale, messages), [locale, messages]);
  return { locale, dir, intl };
}
