/**
 * Global setup of the `db` project: one throw-away PostgreSQL cluster for the whole run.
 * Tests read its URL with `inject('pgUrl')` and make their own databases in it.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A database in the throw-away cluster; its owner may create more. */
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgres();
  try {
    project.provide('pgUrl', await cluster.createDatabase('outlook_iwa_test'));
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return () => cluster.stop();
}
