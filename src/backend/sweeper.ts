/**
 * Deletes what has expired on a schedule, so the tables stay bounded: sessions past their
 * absolute or idle expiry, identity-token bindings older than `--binding-max-age-days`, and
 * audit entries older than `--audit-retention-days` (docs/admin-guide.md, security).
 */
import type { Store } from './storage/types.ts';
import type { Clock } from './domain.ts';

export interface SweepSettings {
  /** 0 keeps the audit trail forever. */
  readonly auditRetentionDays: number;
  readonly bindingMaxAgeDays: number;
}

export interface SweepResult {
  readonly sessions: number;
  readonly bindings: number;
  readonly audit: number;
}

/** The timer functions the sweeper uses; injected so tests run a sweep when they choose. */
export interface IntervalTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const DAY_MS = 86_400_000;
export const SWEEP_INTERVAL_MS = 15 * 60_000;

/** One sweep at `clock.now()`. */
export async function sweepOnce(store: Store, clock: Clock, settings: SweepSettings): Promise<SweepResult> {
  const now = clock.now().getTime();
  const sessions = await store.sessions.sweepExpired();
  const bindings = await store.bindings.prune(new Date(now - settings.bindingMaxAgeDays * DAY_MS));
  const audit =
    settings.auditRetentionDays === 0
      ? 0
      : await store.audit.prune(new Date(now - settings.auditRetentionDays * DAY_MS));
  return { sessions, bindings, audit };
}

export interface Sweeper {
  /** The sweep the timer started last (resolved when none has run yet). */
  lastSweep(): Promise<SweepResult | undefined>;
  stop(): void;
}

/** Sweeps every `intervalMs`; a failed sweep is reported and the next one tries again. */
export function startSweeper(o: {
  readonly store: Store;
  readonly clock: Clock;
  readonly settings: SweepSettings;
  readonly intervalMs?: number;
  readonly timers?: IntervalTimers;
  readonly onSwept?: (result: SweepResult) => void;
  readonly onError?: (err: unknown) => void;
}): Sweeper {
  const timers: IntervalTimers = o.timers ?? {
    setInterval: (fn, ms) => setInterval(fn, ms).unref(),
    clearInterval: (handle) => {
      clearInterval(handle as NodeJS.Timeout);
    },
  };
  let last: Promise<SweepResult | undefined> = Promise.resolve(undefined);
  let running = false;
  const handle = timers.setInterval(() => {
    // A slow database must not pile sweeps up.
    if (running) return;
    running = true;
    last = sweepOnce(o.store, o.clock, o.settings).then(
      (result) => {
        running = false;
        o.onSwept?.(result);
        return result;
      },
      (err: unknown) => {
        running = false;
        o.onError?.(err);
        return undefined;
      },
    );
  }, o.intervalMs ?? SWEEP_INTERVAL_MS);
  return {
    lastSweep: () => last,
    stop: () => {
      timers.clearInterval(handle);
    },
  };
}
