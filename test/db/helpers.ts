/**
 * What the storage tests share: one fresh database per test on each dialect, a fake clock,
 * and raw SQL access for the checks the interface deliberately cannot make (what is stored).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { IwaError } from '../../src/protocol/errors.ts';
import type { Clock } from '../../src/backend/domain.ts';

export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(date: Date): void;
}

export const T0 = new Date('2030-01-01T09:00:00Z');

export function fakeClock(start: Date = T0): FakeClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (date) => {
      t = date.getTime();
    },
  };
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Target {
  readonly name: 'sqlite' | 'postgres';
  /** A URL to a new, empty database. */
  fresh(): Promise<string>;
  /** A URL that cannot be opened. */
  unavailable(): string;
}

const sqliteDirs: string[] = [];

/** Removes the SQLite temp dirs this file made; call from afterAll. */
export function cleanupSqlite(): void {
  for (const dir of sqliteDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const sqliteTarget: Target = {
  name: 'sqlite',
  fresh: () => {
    const dir = mkdtempSync(join(tmpdir(), 'outlook-iwa-db-'));
    sqliteDirs.push(dir);
    // A subdirectory that does not exist yet: the store must create it on first use.
    return Promise.resolve(`sqlite:${join(dir, 'data', 'outlook-iwa.db')}`);
  },
  // A path under a regular file: neither the directory nor the file can be created.
  unavailable: () => 'sqlite:/dev/null/outlook-iwa.db',
};

export const postgresTarget: Target = {
  name: 'postgres',
  fresh: async () => {
    const base = inject('pgUrl');
    const name = `t_${randomUUID().replaceAll('-', '')}`;
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    const url = new URL(base);
    url.pathname = `/${name}`;
    return url.toString();
  },
  // Port 1 on loopback: nothing listens there.
  unavailable: () => 'postgres://postgres@127.0.0.1:1/none',
};

export const TARGETS: readonly Target[] = [sqliteTarget, postgresTarget];

/** Runs one SQL statement directly against the database behind a store URL. */
export async function rawQuery(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  if (url.startsWith('sqlite:')) {
    const db = new BetterSqlite3(url.slice('sqlite:'.length));
    try {
      const stmt = db.prepare(text.replace(/\$\d+/g, '?'));
      return stmt.reader ? (stmt.all(...params) as Record<string, unknown>[]) : (stmt.run(...params), []);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Awaits a promise that must reject with an IwaError and returns it. */
export async function iwaError(promise: Promise<unknown>): Promise<IwaError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof IwaError) return err;
    throw err;
  }
  throw new Error('expected an IwaError, but the call succeeded');
}
