import en, { type Catalogue, type MessageId } from './messages/en.ts';

/**
 * The locales the pane ships, as BCP 47 tags. Adding one: a catalogue in `messages/`, an entry in
 * {@link loadCatalogue}, the manifest's overrides (`src/backend/manifest/locales.ts`) and
 * `docs/decisions/0004-i18n.md`.
 */
export const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'zh-CN', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Script or region subtags of Chinese written in Traditional characters. */
const TRADITIONAL_CHINESE = new Set(['hant', 'tw', 'hk', 'mo']);

/**
 * Picks the shipped locale for a display language such as `Office.context.displayLanguage`
 * (a BCP 47 tag, e.g. `de-AT`); pure. Regional variants get their language (`de-AT` → `de`,
 * `es-MX` → `es`, `ar-EG` → `ar`). Chinese in Simplified script (`zh`, `zh-CN`, `zh-SG`,
 * `zh-Hans-…`) gets `zh-CN`; Traditional (`zh-TW`, `zh-HK`, `zh-MO`, `zh-Hant-…`) gets English,
 * because we ship no Traditional catalogue and Office itself never shows Simplified to those
 * users (docs/decisions/0004-i18n.md). Anything else, or nothing, gets English.
 */
export function pickLocale(tag: string | undefined): Locale {
  if (!tag) return DEFAULT_LOCALE;
  const parts = tag.trim().replace(/_/g, '-').toLowerCase().split('-');
  const language = parts[0] ?? '';
  if (language === 'zh') {
    // The script subtag decides where there is one (zh-Hans-HK is Simplified); else the region.
    const rest = parts.slice(1);
    if (rest.includes('hans')) return 'zh-CN';
    return rest.some((p) => TRADITIONAL_CHINESE.has(p)) ? DEFAULT_LOCALE : 'zh-CN';
  }
  return LOCALES.find((l) => l === language) ?? DEFAULT_LOCALE;
}

/** Writing direction of a locale (Unicode CLDR `characterOrder`). */
export function directionOf(locale: Locale): 'ltr' | 'rtl' {
  return locale === 'ar' ? 'rtl' : 'ltr';
}

const loaded = new Map<Locale, Promise<Catalogue>>([[DEFAULT_LOCALE, Promise.resolve(en)]]);

/**
 * The catalogue of a locale. English is in the initial bundle; every other catalogue is its own
 * chunk, fetched once on first use (a dynamic `import()` per locale, so the bundler splits them).
 * A failed fetch falls back to English and may be retried later.
 */
export function loadCatalogue(locale: Locale): Promise<Catalogue> {
  const cached = loaded.get(locale);
  if (cached) return cached;
  let p: Promise<{ default: Catalogue }>;
  switch (locale) {
    case 'de':
      p = import('./messages/de.ts');
      break;
    case 'fr':
      p = import('./messages/fr.ts');
      break;
    case 'es':
      p = import('./messages/es.ts');
      break;
    case 'ja':
      p = import('./messages/ja.ts');
      break;
    case 'zh-CN':
      p = import('./messages/zh-CN.ts');
      break;
    case 'ar':
      p = import('./messages/ar.ts');
      break;
    default:
      return Promise.resolve(en);
  }
  const catalogue = p.then(
    (m) => m.default,
    () => {
      loaded.delete(locale);
      return en;
    },
  );
  loaded.set(locale, catalogue);
  return catalogue;
}

export type { Catalogue, MessageId };
export { en as englishCatalogue };
