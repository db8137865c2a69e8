import { Option } from 'commander';

/**
 * A commander option that also reads `OUTLOOK_IWA_<FLAG>` from the environment, as
 * `interface.md` promises for every flag (`--public-url` ↔ `OUTLOOK_IWA_PUBLIC_URL`).
 */
export function option(flags: string, description: string): Option {
  const long = /--([a-z0-9-]+)/.exec(flags)?.[1];
  const opt = new Option(flags, description);
  return long === undefined ? opt : opt.env(`OUTLOOK_IWA_${long.toUpperCase().replaceAll('-', '_')}`);
}

export const DEFAULT_DATABASE = 'sqlite:./data/outlook-iwa.db';

export function databaseOption(): Option {
  return option('--database <db>', 'sqlite:PATH or a postgres:// URL').default(DEFAULT_DATABASE);
}

/** Renders rows as an aligned plain-text table for humans. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * A formatter for a list command: `table()` with a row per item, or the sentence `empty`
 * (which says how to get some) when there are none.
 */
export function tableOr<T>(
  empty: string,
  headers: readonly string[],
  row: (item: T) => readonly string[],
): (items: readonly T[]) => string {
  return (items) => (items.length === 0 ? empty : table(headers, items.map(row)));
}
