/**
 * `serve --workers N`: N server processes on one port (node:cluster). The primary migrates the
 * database, forks the workers, replaces a worker that dies, forwards SIGHUP (certificate
 * reload), and on SIGTERM or SIGINT asks every worker to shut down gracefully and exits when
 * they have. Each worker runs the ordinary server (`startServer`).
 *
 * A Negotiate handshake never crosses workers: the primary hands each accepted connection, as
 * a whole, to one worker, and the relay keys a handshake by its client connection (see
 * docs/architecture.md and docs/interface.md, `serve --workers`).
 *
 * @see https://nodejs.org/api/cluster.html
 * @module
 */
import cluster, { type Worker } from 'node:cluster';

/** What the primary logs through; pino's shape, so the lines look like the workers'. */
export interface PrimaryLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PrimaryOptions {
  readonly workers: number;
  readonly log: PrimaryLog;
  /** Runs once, before any worker starts: the migrations. */
  readonly prepare: () => Promise<void>;
  /** Called with the exit code once every worker has gone; the default exits the process. */
  readonly onExit?: (code: number) => void;
}

/** Sent by a worker once its server listens, so the primary can say when all are serving. */
export const WORKER_READY = 'outlook-iwa:worker-serving';

/** True in a process that `runPrimary` forked. */
export const isWorker = (): boolean => cluster.isWorker;

/** Tells the primary that this worker serves (a no-op outside a cluster). */
export function reportWorkerServing(url: string): void {
  process.send?.({ type: WORKER_READY, url });
}

/**
 * Runs the primary: forks `workers` copies of this command and keeps that many running until
 * SIGTERM or SIGINT. A worker that exits before it ever served is not replaced (it would fail
 * the same way, e.g. port in use): the primary then stops the rest and exits with 1.
 */
export async function runPrimary(options: PrimaryOptions): Promise<void> {
  const { log } = options;
  await options.prepare();
  // Our own count: cluster.workers may still list a dead worker until its IPC channel closes.
  const live = new Set<Worker>();
  const serving = new Set<Worker>();
  let shuttingDown = false;
  let exitCode = 0;
  let announced = false;
  let exited = false;
  const exit = (code: number) => {
    if (exited) return;
    exited = true;
    (options.onExit ?? ((c: number) => process.exit(c)))(code);
  };

  const stopAll = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal, workers: live.size }, 'stopping the workers');
    // SIGTERM, not cluster's disconnect: the worker's own handler lets in-flight handshakes end.
    for (const w of live) w.process.kill('SIGTERM');
    if (live.size === 0) exit(exitCode);
  };

  const fork = () => {
    const worker = cluster.fork();
    live.add(worker);
    worker.on('message', (msg: { type?: unknown; url?: unknown }) => {
      if (msg.type !== WORKER_READY) return;
      serving.add(worker);
      if (announced) log.info({ worker: worker.id, pid: worker.process.pid }, 'replacement worker serving');
      else if (serving.size >= options.workers) {
        announced = true;
        log.info(
          { workers: serving.size, pids: [...serving].map((w) => w.process.pid), url: msg.url },
          'workers serving',
        );
      }
    });
    // A worker's IPC or spawn failure must not take the primary down; its exit follows.
    worker.on('error', (err: Error) => {
      log.warn({ worker: worker.id, err: err.message }, 'worker error');
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    const everServed = serving.delete(worker);
    const clean = shuttingDown && code === 0;
    const entry = { worker: worker.id, pid: worker.process.pid, code, signal };
    if (clean) log.info(entry, 'worker stopped');
    else log.error(entry, shuttingDown ? 'worker stopped with an error' : 'worker died');
    if (!shuttingDown && everServed) {
      fork();
      return;
    }
    if (!clean) exitCode = 1;
    if (!shuttingDown) {
      log.error(entry, 'a worker failed before serving; stopping');
      stopAll('SIGTERM');
    }
    if (shuttingDown && live.size === 0) exit(exitCode);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => {
      stopAll(signal);
    });
  process.on('SIGHUP', () => {
    for (const w of live) w.process.kill('SIGHUP');
  });
  for (let i = 0; i < options.workers; i++) fork();
}
