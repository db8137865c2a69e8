/** What only SQLite has: the file and its directory, WAL, and a writer that holds the lock. */
import { existsSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, parseDatabaseUrl } from '../../src/backend/storage/index.ts';
import { CAS_URL } from './fixtures.ts';
import { cleanupSqlite, iwaError, rawQuery, sqliteTarget } from './helpers.ts';

afterAll(cleanupSqlite);

describe('SQLite store', () => {
  it('creates the directory and the file on first use, in WAL mode', async () => {
    const url = await sqliteTarget.fresh();
    const path = url.slice('sqlite:'.length);
    expect(existsSync(path)).toBe(false);
    const store = await openStore(url);
    await store.close();
    expect(existsSync(path)).toBe(true);
    expect(await rawQuery(url, 'pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('reports a lock held too long as DATABASE_UNAVAILABLE and writes nothing', async () => {
    const url = await sqliteTarget.fresh();
    const store = await openStore(url, { busyTimeoutMs: 200 });
    const other = new BetterSqlite3(url.slice('sqlite:'.length));
    try {
      other.exec('begin exclusive');
      const err = await iwaError(store.profiles.create({ name: 'lab', casUrl: CAS_URL }));
      expect(err.code).toBe('DATABASE_UNAVAILABLE');
      expect(err.details).toEqual({ cause: 'SQLITE_BUSY' });
      other.exec('rollback');
      expect(await store.profiles.list()).toEqual([]);
      await store.profiles.create({ name: 'lab', casUrl: CAS_URL });
      expect(await store.profiles.list()).toHaveLength(1);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('reads a --database value', () => {
    expect(parseDatabaseUrl('sqlite:./data/outlook-iwa.db')).toEqual({
      dialect: 'sqlite',
      path: './data/outlook-iwa.db',
    });
    expect(parseDatabaseUrl('sqlite:///var/lib/iwa.db')).toEqual({
      dialect: 'sqlite',
      path: '/var/lib/iwa.db',
    });
    expect(parseDatabaseUrl('postgresql://u@h/db')).toEqual({
      dialect: 'postgres',
      url: 'postgresql://u@h/db',
    });
    for (const bad of ['', 'sqlite:', 'mysql://h/db', './file.db']) {
      expect(() => parseDatabaseUrl(bad)).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }) as Error,
      );
    }
  });

  it('works in memory, for throw-away use', async () => {
    const store = await openStore('sqlite::memory:');
    await store.profiles.create({ name: 'lab', casUrl: CAS_URL });
    expect(await store.profiles.list()).toHaveLength(1);
    await store.close();
  });
});
