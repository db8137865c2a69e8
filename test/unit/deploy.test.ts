/**
 * The deployment files in `deploy/`, checked offline. No container engine runs here, so the
 * Containerfile is linted for its structure (non-root user, exposed port, health check, no
 * secrets, every COPY source present); the systemd unit for the settings the admin guide
 * promises, and with `systemd-analyze verify` where systemd is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/backend/cli/serve.ts';
import { ERRORS } from '../../src/protocol/errors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly stage: number;
}

/** Containerfile instructions with continuation lines joined and comments dropped. */
function parseContainerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    pending += `${line.replace(/\\$/, '').trim()} `;
    if (line.endsWith('\\')) continue;
    const [op = '', ...rest] = pending.trim().split(/\s+/);
    pending = '';
    if (op.toUpperCase() === 'FROM') stage++;
    out.push({ op: op.toUpperCase(), args: rest.join(' '), stage });
  }
  return out;
}

describe('deploy/Containerfile', () => {
  const text = read('deploy/Containerfile');
  const all = parseContainerfile(text);
  const lastStage = Math.max(...all.map((i) => i.stage));
  const final = all.filter((i) => i.stage === lastStage);
  const args = (op: string, list = final) => list.filter((i) => i.op === op).map((i) => i.args);

  it('is a multi-stage build on a supported Node LTS, node:24-bookworm-slim', () => {
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
    const froms = args('FROM', all);
    expect(froms).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE}']);
  });

  it('builds with the development packages, prunes them, and ships only compiled output and the pruned tree', () => {
    const build = all.filter((i) => i.stage === 0);
    const runs = args('RUN', build).join('\n');
    expect(runs).toMatch(/npm ci --no-audit/);
    expect(runs).toMatch(/npm run build && npm prune --omit=dev/);
    expect(args('COPY', build)).toContain('scripts/build-backend.js ./scripts/build-backend.js');
    expect(args('COPY')).toEqual([
      'package.json package-lock.json ./',
      'bin ./bin',
      '--from=build /src/node_modules ./node_modules',
      '--from=build /src/dist ./dist',
    ]);
    // No sources and no npm in the runtime stage: nothing is installed or compiled there.
    expect(args('RUN').join('\n')).not.toMatch(/npm|tsx/);
  });

  it('runs as a non-root user', () => {
    const users = args('USER');
    expect(users).toHaveLength(1);
    const user = users[0] ?? '';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // USER comes before the process starts, after everything that needs root.
    const lastRoot = final.findLastIndex((i) => i.op === 'RUN' || i.op === 'COPY');
    expect(final.findIndex((i) => i.op === 'USER')).toBeGreaterThan(lastRoot);
  });

  it('exposes the serving port and checks /healthz', () => {
    expect(args('EXPOSE')).toEqual(['8443']);
    expect(args('ENV').join(' ')).toContain('OUTLOOK_IWA_PORT=8443');
    const health = args('HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0]).toMatch(/^--interval=\d+s .*CMD \["node", "-e", ".*path:'\/healthz'.*"\]$/);
    expect(health[0]).toContain('process.env.OUTLOOK_IWA_PORT');
    expect(args('ENTRYPOINT')).toEqual(['["node", "/opt/outlook-iwa/bin/outlook-iwa.js"]']);
    expect(args('CMD')).toEqual(['["serve"]']);
    expect(args('STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('bakes in no secret', () => {
    for (const i of all.filter((x) => x.op === 'ENV' || x.op === 'ARG')) {
      expect(i.args).not.toMatch(/(PASSWORD|SECRET|TOKEN|PRIVATE|_KEY)\s*=/i);
      expect(i.args).not.toMatch(/postgres(ql)?:\/\/[^/\s]*:[^@\s]*@/);
    }
    for (const c of args('COPY', all)) expect(c).not.toMatch(/\.(pem|key|p12|pfx)\b|\bdata\b|\.env\b/);
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
  });

  it('every COPY source from the build context exists in the repository', () => {
    for (const c of args('COPY', all).filter((x) => !x.startsWith('--from='))) {
      const parts = c.split(/\s+/);
      for (const src of parts.slice(0, -1)) expect(existsSync(join(ROOT, src)), src).toBe(true);
    }
  });
});

/** The `[Service]` (or other) section of a unit file as key → values. */
function unitSection(text: string, section: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1] ?? '';
      continue;
    }
    if (current !== section) continue;
    const i = line.indexOf('=');
    const key = line.slice(0, i);
    out.set(key, [...(out.get(key) ?? []), line.slice(i + 1)]);
  }
  return out;
}

describe('deploy/outlook-iwa.service', () => {
  const text = read('deploy/outlook-iwa.service');
  const service = unitSection(text, 'Service');
  const one = (key: string) => service.get(key)?.at(-1);

  it('runs `outlook-iwa serve` as a dedicated user with the environment file', () => {
    expect(one('User')).toBe('outlook-iwa');
    expect(one('ExecStart')).toBe('/usr/bin/node /opt/outlook-iwa/bin/outlook-iwa.js serve');
    expect(one('EnvironmentFile')).toBe('/etc/outlook-iwa/env');
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(one('Restart')).toBe('on-failure');
    // Longer than the 60 s the server gives in-flight handshakes on SIGTERM.
    expect(Number(/^(\d+)s$/.exec(one('TimeoutStopSec') ?? '')?.[1])).toBeGreaterThan(60);
    expect(unitSection(text, 'Install').get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('is hardened', () => {
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ReadWritePaths')).toBe('/var/lib/outlook-iwa');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
    // Node's JIT needs W+X pages: this setting would kill it at start.
    expect(service.has('MemoryDenyWriteExecute')).toBe(false);
  });

  it('the example environment file only sets variables `serve` reads', () => {
    const known = new Set(serveCommand().options.map((o) => o.envVar));
    const example = read('deploy/outlook-iwa.env.example');
    const vars = [...example.matchAll(/^#?\s*(OUTLOOK_IWA_[A-Z_]+)=/gm)].map((m) => m[1]);
    expect(vars.length).toBeGreaterThanOrEqual(6);
    for (const v of vars) expect(known.has(v), v).toBe(true);
  });

  // systemd-analyze comes with the machine's systemd; the unit's ExecStart needs /usr/bin/node.
  it('systemd-analyze verify accepts it', () => {
    // verify prints problems on stderr and exits non-zero on errors.
    const out = execFileSync('systemd-analyze', ['verify', join(ROOT, 'deploy/outlook-iwa.service')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).toBe('');
  });
});

describe('docs/admin-guide.md', () => {
  const guide = read('docs/admin-guide.md');

  it('has a troubleshooting row for every error code, and no row for a code that does not exist', () => {
    const table = guide.slice(guide.indexOf('## 10. Troubleshooting'));
    const rows = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect([...rows].sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('links only to files that exist', () => {
    for (const [, target] of guide.matchAll(/\]\((\.\.\/[^)#]+)\)/g)) {
      expect(existsSync(join(ROOT, 'docs', target ?? '')), target).toBe(true);
    }
  });
});
