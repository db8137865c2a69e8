/**
 * CPU time of a process tree from /proc (Linux): for the CAS (Apache and its workers, the EWS
 * stand-in) and for `serve --workers N` (the primary and its workers).
 *
 * @see https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * utime, stime, cutime and cstime of one process, in clock ticks; undefined once it is gone.
 * The command name (field 2) may hold spaces and parentheses, so fields are counted from the
 * last ")".
 */
export function parseStat(stat: string): { self: number; children: number } | undefined {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): utime is field 14, so rest[11].
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(rest[i]));
  if ([utime, stime, cutime, cstime].some((n) => n === undefined || !Number.isFinite(n))) return undefined;
  return { self: (utime ?? 0) + (stime ?? 0), children: (cutime ?? 0) + (cstime ?? 0) };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const text = read(`/proc/${pid}/task/${pid}/children`)?.trim() ?? '';
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

/**
 * CPU microseconds (user + system) used so far by `pid`, its live descendants, and the
 * descendants it has reaped: the sum does not drop when a worker exits, so a before/after
 * difference is the tree's CPU in between (10 ms resolution at 100 ticks/s).
 */
export function treeCpuMicros(pid: number): number {
  let ticks = 0;
  const seen = new Set<number>();
  const walk = (p: number) => {
    if (seen.has(p) || p <= 0) return;
    seen.add(p);
    const s = parseStat(read(`/proc/${p}/stat`) ?? '');
    if (s === undefined) return;
    ticks += s.self + s.children;
    for (const c of childrenOf(p)) walk(c);
  };
  walk(pid);
  return (ticks / clockTicks()) * 1e6;
}
