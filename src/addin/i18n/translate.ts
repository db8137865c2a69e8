import { createIntl, createIntlCache, type IntlShape } from 'react-intl';
import type { Catalogue, MessageId } from './messages/en.ts';
import type { Locale } from './locales.ts';

/** Values a message may quote; ICU placeholders are named in the English catalogue. */
export type MessageValues = Readonly<Record<string, string | number>>;

/** Formats one message of the active catalogue. */
export type Translate = (id: MessageId, values?: MessageValues) => string;

/** A message to format later: pure modules return these and the view formats them. */
export interface Message {
  readonly id: MessageId;
  readonly values?: MessageValues;
}

const cache = createIntlCache();

/** An `IntlShape` (FormatJS) over one catalogue; `en` must be the fallback catalogue. */
export function intlFor(locale: Locale, messages: Catalogue): IntlShape {
  return createIntl({ locale, messages, defaultLocale: 'en' }, cache);
}

/** A {@link Translate} over an `IntlShape`. */
export function translator(intl: IntlShape): Translate {
  return (id, values) => intl.formatMessage({ id }, values);
}

/** A {@link Translate} over one catalogue (outside React: notifications, tests). */
export function translate(locale: Locale, messages: Catalogue): Translate {
  return translator(intlFor(locale, messages));
}
