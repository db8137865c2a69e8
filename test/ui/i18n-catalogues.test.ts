import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, test } from 'vitest';
import {
  directionOf,
  englishCatalogue,
  loadCatalogue,
  LOCALES,
  pickLocale,
} from '../../src/addin/i18n/locales.ts';

/** The placeholder names a message uses, nested ones (inside plural/select) included. */
function placeholders(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (e.type === TYPE.literal || e.type === TYPE.pound) continue;
    into.add(e.value);
    if (e.type === TYPE.select || e.type === TYPE.plural)
      for (const option of Object.values(e.options)) placeholders(option.value, into);
    if (e.type === TYPE.tag) placeholders(e.children, into);
  }
  return into;
}

const placeholdersOf = (message: string) => [...placeholders(parse(message))].sort();

/** Messages that are the same in every language: names, pure punctuation around placeholders. */
const SAME_EVERYWHERE = new Set([
  'product.name',
  'document.title',
  'mechanism.kerberos',
  'mechanism.ntlm',
  'settings.failureTitle',
  'password.formError',
]);

/** Words that are spelled the same as in English in one language, checked by a reader of it. */
const SAME_IN: Partial<Record<string, readonly string[]>> = {
  de: ['card.status'], // "Status:"
  fr: ['card.badge.active'], // "Active" (la méthode)
  es: ['wizard.setup.no'], // "No"
  'zh-CN': ['card.fixLabel'], // "{action} {method}"
};

const english = Object.entries(englishCatalogue);
const others = LOCALES.filter((l) => l !== 'en');

describe('message catalogues', () => {
  test('English is valid ICU MessageFormat throughout', () => {
    for (const [id, message] of english) expect(() => parse(message), id).not.toThrow();
  });

  test.each(others)('%s has exactly the English keys', async (locale) => {
    const catalogue = await loadCatalogue(locale);
    expect(catalogue).not.toBe(englishCatalogue);
    const missing = Object.keys(englishCatalogue).filter((k) => !Object.hasOwn(catalogue, k));
    const stale = Object.keys(catalogue).filter((k) => !Object.hasOwn(englishCatalogue, k));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  test.each(others)('%s uses the same placeholders as English in every message', async (locale) => {
    const catalogue: Readonly<Record<string, string>> = await loadCatalogue(locale);
    const differ = english
      .filter(([id, message]) => {
        const translated = catalogue[id];
        return (
          translated === undefined ||
          JSON.stringify(placeholdersOf(translated)) !== JSON.stringify(placeholdersOf(message))
        );
      })
      .map(([id]) => id);
    expect(differ).toEqual([]);
  });

  test.each(others)('%s is translated, not English left in place', async (locale) => {
    const catalogue: Readonly<Record<string, string>> = await loadCatalogue(locale);
    const untranslated = english
      .filter(
        ([id, message]) =>
          !SAME_EVERYWHERE.has(id) && !SAME_IN[locale]?.includes(id) && catalogue[id] === message,
      )
      .map(([id]) => id);
    expect(untranslated).toEqual([]);
  });
});

describe('pickLocale (Office.context.displayLanguage → shipped locale)', () => {
  test.each([
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['DE_ch', 'de'],
    ['fr-CA', 'fr'],
    ['es-MX', 'es'],
    ['ja-JP', 'ja'],
    ['ar-SA', 'ar'],
    ['ar-EG', 'ar'],
    ['zh-CN', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-Hans-HK', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW', 'en'],
    ['zh-HK', 'en'],
    ['zh-Hant', 'en'],
    ['en-GB', 'en'],
    ['pt-BR', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ] as const)('%s → %s', (tag, locale) => {
    expect(pickLocale(tag)).toBe(locale);
  });

  test('only Arabic is right to left', () => {
    expect(LOCALES.filter((l) => directionOf(l) === 'rtl')).toEqual(['ar']);
  });
});
