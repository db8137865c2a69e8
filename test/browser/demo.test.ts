/** `npm run demo`'s main part, end to end: it signs alice in and leaves nothing running. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo-run.ts'], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 110_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run demo', () => {
  it('signs alice in silently through the relay, prints who and how, and stops everything', async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^signed in: {2}alice@corp\.test$/m);
    expect(stdout).toMatch(/^method: {5}iwa \(kerberos\)/m);
    expect(stdout).toMatch(/^time: {7}\d+ ms/m);
    const shot = /^screenshot: (.+)$/m.exec(stdout)?.[1];
    expect(shot !== undefined && existsSync(shot)).toBe(true);
    // Nothing the demo started outlives it: no process runs from its lab directory.
    const labDir = /^lab: .*, dir (\S+)\)$/m.exec(stdout)?.[1];
    expect(labDir).toBeDefined();
    const survivors = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(labDir ?? '\0');
        } catch {
          return false;
        }
      });
    expect(survivors).toEqual([]);
  }, 120_000);
});
