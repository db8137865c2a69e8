/** `serve --workers` (OUTLOOK_IWA_WORKERS): a whole number 1-64, 1 by default. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKERS, MAX_WORKERS, parseServeConfig } from '../../src/backend/config.ts';
import { IwaError } from '../../src/protocol/errors.ts';

const flags = { host: '127.0.0.1', port: '8443', database: 'sqlite::memory:' };

describe('serve --workers', () => {
  it('defaults to one process', () => {
    expect(DEFAULT_WORKERS).toBe(1);
    expect(parseServeConfig(flags, {}).workers).toBe(1);
  });

  it.each(['1', '2', '64'])('accepts %s', (workers) => {
    expect(parseServeConfig({ ...flags, workers }, {}).workers).toBe(Number(workers));
  });

  it.each(['0', '65', '-1', '1.5', '2x', '', ' 2', '1e1'])(
    'refuses "%s" with CONFIG_INVALID naming the flag and its variable',
    (workers) => {
      let error: unknown;
      try {
        parseServeConfig({ ...flags, workers }, {});
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(IwaError);
      const e = error as IwaError;
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.details).toMatchObject({ flag: '--workers', env: 'OUTLOOK_IWA_WORKERS' });
      expect(e.message).toContain(`1-${MAX_WORKERS}`);
    },
  );
});
