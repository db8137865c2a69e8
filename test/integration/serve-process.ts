/**
 * `outlook-iwa` as a child process, the way systemd or a container runs it: spawn it, collect
 * its JSON log lines and stderr, and wait for its "serving" line. Used by serve.test.ts (the
 * sources through tsx) and packaging.test.ts (the compiled, pruned install, as another user).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliRun {
  readonly child: ChildProcess;
  /** Every stdout line, as written. */
  readonly lines: string[];
  stderr(): string;
  readonly exited: Promise<Exit>;
}

/** The environment without any OUTLOOK_IWA_* setting of the caller's, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OUTLOOK_IWA_')) env[k] = v;
  return { ...env, ...extra };
}

/**
 * Runs `node ARGS` (e.g. `outlookIwaArgs('serve', …)` or `[bin, 'serve', …]`) with a clean
 * environment. `node` picks another Node binary; `uid`/`gid` run it as another user.
 */
export function spawnCli(
  args: readonly string[],
  opts: { cwd: string; env?: Record<string, string>; node?: string; uid?: number; gid?: number },
): CliRun {
  const child = spawn(opts.node ?? process.execPath, args, {
    cwd: opts.cwd,
    env: cleanEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid === undefined ? {} : { uid: opts.uid }),
    ...(opts.gid === undefined ? {} : { gid: opts.gid }),
  });
  const lines: string[] = [];
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
    const parts = out.split('\n');
    out = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  child.stderr.on('data', (d: string) => (err += d));
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      if (out !== '') lines.push(out);
      resolve({ code, signal });
    });
  });
  return { child, lines, stderr: () => err, exited };
}

/** The run's stdout lines that are JSON (pino's log lines), parsed. */
export function jsonLogs(run: CliRun): Record<string, unknown>[] {
  return run.lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** Waits for `serve`'s "serving" log line; throws with its stderr if it exits or never gets there. */
export async function waitServing(run: CliRun, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: Exit | undefined;
  void run.exited.then((e) => (exit = e));
  while (!jsonLogs(run).some((l) => l.msg === 'serving')) {
    if (exit !== undefined) {
      throw new Error(`serve exited (${String(exit.code)}) before serving: ${run.stderr()}`);
    }
    if (Date.now() > deadline) throw new Error(`serve did not start: ${run.stderr()}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
