/** HAProxy in `mode tcp` in front of the lab CAS: the floor any relay can hope for. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, waitForTcp } from '../test/lab/proc.ts';

export interface HaproxyPassThrough {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startHaproxy(casPort: number): Promise<HaproxyPassThrough> {
  const dir = await mkdtemp(join(tmpdir(), 'iwa-bench-haproxy-'));
  const port = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  await writeFile(
    cfg,
    [
      'global',
      '  maxconn 4096',
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 60s',
      '  timeout server 60s',
      'frontend fe',
      `  bind 127.0.0.1:${port}`,
      '  default_backend cas',
      'backend cas',
      `  server cas 127.0.0.1:${casPort}`,
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  try {
    await waitForTcp(port, {
      timeoutMs: 10_000,
      alive: () => (child.exitCode === null ? undefined : `haproxy exited: ${stderr}`),
    });
  } catch (err) {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    pid: child.pid ?? 0,
    async stop() {
      await stopChild(child, [], 2_000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
