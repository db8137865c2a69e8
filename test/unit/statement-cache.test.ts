/** src/backend/storage/statement-cache.ts over a real in-memory better-sqlite3 database. */
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { preparedOnce } from '../../src/backend/storage/statement-cache.ts';

describe('preparedOnce', () => {
  const raw = new BetterSqlite3(':memory:');
  const prepare = vi.spyOn(raw, 'prepare');
  afterEach(() => prepare.mockClear());

  it('prepares each SQL text once and answers from the same statement after that', () => {
    const db = preparedOnce(raw);
    db.prepare('create table t (a integer)').run([]);
    const insert = db.prepare('insert into t values (?)');
    insert.run([1]);
    expect(db.prepare('insert into t values (?)')).toBe(insert);
    db.prepare('insert into t values (?)').run([2]);
    expect(db.prepare('select a from t order by a').all([])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(db.prepare('select a from t order by a').all([])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(prepare.mock.calls.map(([sql]) => sql)).toEqual([
      'create table t (a integer)',
      'insert into t values (?)',
      'select a from t order by a',
    ]);
  });

  it('keeps at most its bound of statements, dropping the oldest', () => {
    const db = preparedOnce(raw, 2);
    db.prepare('select 1');
    db.prepare('select 2');
    db.prepare('select 3'); // drops `select 1`
    db.prepare('select 3');
    db.prepare('select 2');
    db.prepare('select 1'); // prepared again
    expect(prepare.mock.calls.map(([sql]) => sql)).toEqual(['select 1', 'select 2', 'select 3', 'select 1']);
  });

  it('a cached statement sees a schema change made after it was prepared (migrations)', () => {
    const db = preparedOnce(raw);
    db.prepare('create table m (a integer)').run([]);
    db.prepare('insert into m values (1)').run([]);
    expect(db.prepare('select * from m').all([])).toEqual([{ a: 1 }]);
    db.prepare('alter table m add column b integer default 7').run([]);
    expect(db.prepare('select * from m').all([])).toEqual([{ a: 1, b: 7 }]);
  });

  it('close closes the database', () => {
    const own = new BetterSqlite3(':memory:');
    preparedOnce(own).close();
    expect(own.open).toBe(false);
  });
});
