/** The sweep schedule: injected timers and clock; the deletions themselves are in the store contract. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/backend/storage/types.ts';
import { SWEEP_INTERVAL_MS, startSweeper, type IntervalTimers } from '../../src/backend/sweeper.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-06-01T00:00:00Z');

function fakeTimers() {
  const timers = {
    callback: undefined as (() => void) | undefined,
    ms: 0,
    cleared: false,
    setInterval(fn: () => void, ms: number) {
      timers.callback = fn;
      timers.ms = ms;
      return 'handle';
    },
    clearInterval(handle: unknown) {
      timers.cleared = handle === 'handle';
    },
  };
  return timers satisfies IntervalTimers;
}

describe('startSweeper', () => {
  it('sweeps on each tick with cut-offs from the clock, reports failures and stops', async () => {
    const calls: string[] = [];
    let fail = true;
    const store = {
      sessions: {
        sweepExpired: () => {
          calls.push('sessions');
          if (fail) return Promise.reject(new Error('database down'));
          return Promise.resolve(2);
        },
      },
      bindings: {
        prune: (d: Date) => {
          calls.push(`bindings<${String((NOW.getTime() - d.getTime()) / DAY)}d`);
          return Promise.resolve(1);
        },
      },
      audit: {
        prune: (d: Date) => {
          calls.push(`audit<${String((NOW.getTime() - d.getTime()) / DAY)}d`);
          return Promise.resolve(3);
        },
      },
    } as unknown as Store;
    const timers = fakeTimers();
    const errors: unknown[] = [];
    const swept: unknown[] = [];
    const sweeper = startSweeper({
      store,
      clock: { now: () => NOW },
      settings: { auditRetentionDays: 30, bindingMaxAgeDays: 90 },
      timers,
      onError: (err) => errors.push(err),
      onSwept: (r) => swept.push(r),
    });
    expect(timers.ms).toBe(SWEEP_INTERVAL_MS);
    expect(await sweeper.lastSweep()).toBeUndefined();

    timers.callback?.();
    expect(await sweeper.lastSweep()).toBeUndefined();
    expect(errors).toHaveLength(1);

    fail = false;
    timers.callback?.();
    expect(await sweeper.lastSweep()).toEqual({ sessions: 2, bindings: 1, audit: 3 });
    expect(calls).toEqual(['sessions', 'sessions', 'bindings<90d', 'audit<30d']);
    expect(swept).toHaveLength(1);

    sweeper.stop();
    expect(timers.cleared).toBe(true);
  });
});
