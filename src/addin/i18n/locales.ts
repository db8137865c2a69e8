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

/** One dynamic `import()` per locale with a literal path, so the bundler makes each its own chunk. */
const LAZY: Record<Exclude<Locale, 'en'>, () => Promise<{ default: Catalogue }>> = {
  de: () => import('./messages/de.ts'),
  fr: () => import('./messages/fr.ts'),
  es: () => import('./messages/es.ts'),
  ja: () => import('./messages/ja.ts'),
  'zh-CN': () => import('./messages/zh-CN.ts'),
  ar: () => import('./messages/ar.ts'),
};

/**
 * The catalogue of a locale. English is in the initial bundle; every other catalogue is its own
 * chunk, fetched once on first use: the module loader keeps what it fetched, so this module keeps
 * nothing. A failed fetch falls back to English and is tried again on the next call.
 */
export function loadCatalogue(locale: Locale): Promise<Catalogue> {
  if (locale === 'en') return Promise.resolve(en);
  return LAZY[locale]().then(
    (m) => m.default,
    () => en,
  );
}

export type { Catalogue, MessageId };
export { en as englishCatalogue };
