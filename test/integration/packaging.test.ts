/**
 * The production install, end to end, as the README's "Production install" section tells an
 * admin: a fresh `git clone` of the committed HEAD, `npm ci`, `npm run build`,
 * `npm prune --omit=dev`, packed with `tar` and unpacked into the layout the container's
 * runtime stage copies (`/opt/outlook-iwa`: package.json, bin, dist, pruned node_modules;
 * owned by root, run as an unprivileged user). Then the compiled `outlook-iwa` runs there as
 * `nobody`: `profile create`, then `serve` with the lab relay's certificate, and the test checks
 * `/healthz`, the pane (no test doubles in it), and a Kerberos sign-in through the lab's CAS,
 * and that no development package survived the prune.
 *
 * One deviation from the README, to keep this a couple of minutes: `npm ci --ignore-scripts`
 * and then the checkout's own compiled `better_sqlite3.node` (same locked version, same Node)
 * instead of better-sqlite3's install script, which compiles SQLite from source for minutes
 * when no prebuilt binary can be downloaded. The install script of every other package with
 * one (esbuild, msw) is a development tool's. `.ci/run` runs the plain `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { negotiateRequest } from '../lab/clients.ts';
import { freePort, runOk, type RunOptions } from '../lab/proc.ts';
import { spawnCli, waitServing, type CliRun } from './serve-process.ts';

const lab = inject('lab');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const NOBODY = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
const NOGROUP = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
const MINUTES = 60_000;

/** The README's production commands, in order; each must appear there verbatim. */
const BUILD_STEPS = ['npm ci', 'npm run build', 'npm prune --omit=dev'];
const PACK = 'tar -czf outlook-iwa.tar.gz package.json package-lock.json bin dist node_modules';
const UNPACK = 'tar -xzf outlook-iwa.tar.gz -C /opt/outlook-iwa';

let work: string;
let clone: string;
/** Stands for /opt/outlook-iwa. */
let app: string;
/** Stands for /var/lib/outlook-iwa: the service user's working directory and database. */
let data: string;
let served: CliRun | undefined;
let port: number;

function sh(command: string, cwd: string, opts: RunOptions = {}) {
  const [cmd = '', ...args] = command.split(' ');
  return runOk(cmd, args, { cwd, timeoutMs: 5 * MINUTES, ...opts });
}

/** The compiled `outlook-iwa` from the unpacked install, as `nobody`. */
function asService(args: readonly string[]): CliRun {
  return spawnCli([join(app, 'bin', 'outlook-iwa.js'), ...args], {
    cwd: data,
    env: { HOME: data },
    uid: NOBODY,
    gid: NOGROUP,
  });
}

function get(path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, servername: lab.hosts.relay, ca: lab.tls.caCertPem, timeout: 20_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'iwa-packaging-'));
  await chmod(work, 0o755); // mkdtemp makes it 0700: the service user must reach /opt below it
  clone = join(work, 'clone');
  await runOk('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);

  // npm ci, without better-sqlite3's compile (see the header).
  const lock = JSON.parse(readFileSync(join(clone, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const ours = JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as {
    version: string;
  };
  expect(lock.packages['node_modules/better-sqlite3']?.version).toBe(ours.version);
  await sh('npm ci --ignore-scripts --no-audit --no-fund --prefer-offline', clone);
  const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  await mkdir(join(clone, addon, '..'), { recursive: true });
  await copyFile(join(ROOT, addon), join(clone, addon));

  for (const step of BUILD_STEPS.slice(1)) await sh(step, clone);
  await sh(PACK, clone);

  app = join(work, 'opt', 'outlook-iwa');
  await mkdir(app, { recursive: true });
  await chmod(join(work, 'opt'), 0o755);
  await copyFile(join(clone, 'outlook-iwa.tar.gz'), join(work, 'outlook-iwa.tar.gz'));
  await sh(UNPACK.replace('/opt/outlook-iwa', app), work);

  data = join(work, 'var');
  await mkdir(data, { mode: 0o700 });
  await chown(data, NOBODY, NOGROUP);
  // The certificate and key as an admin would provide them: readable by the service user only.
  for (const [from, to] of [
    [lab.tls.relayCertPath, 'tls.crt'],
    [lab.tls.relayKeyPath, 'tls.key'],
    [lab.tls.caCertPath, 'cas-ca.pem'],
  ] as const) {
    await copyFile(from, join(data, to));
    await chown(join(data, to), NOBODY, NOGROUP);
    await chmod(join(data, to), 0o600);
  }

  const db = ['--database', `sqlite:${join(data, 'outlook-iwa.db')}`];
  const create = asService([
    'profile',
    'create',
    '--name',
    'lab',
    '--cas-url',
    lab.cas.ewsUrl,
    '--cas-ca',
    join(data, 'cas-ca.pem'),
    '--domains',
    'corp.test',
    ...db,
  ]);
  const created = await create.exited;
  expect(created.code, create.stderr()).toBe(0);

  port = await freePort();
  served = asService([
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--public-url',
    `https://${lab.hosts.relay}:${port}`,
    '--tls-cert',
    join(data, 'tls.crt'),
    '--tls-key',
    join(data, 'tls.key'),
    '--resolve',
    `${lab.hosts.cas}:127.0.0.1`,
    ...db,
  ]);
  await waitServing(served);
}, 12 * MINUTES);

afterAll(async () => {
  if (served !== undefined && served.child.exitCode === null) {
    served.child.kill('SIGTERM');
    await served.exited;
  }
  await rm(work, { recursive: true, force: true });
});

describe('production install from a fresh clone', () => {
  it('the README gives these commands', () => {
    for (const step of [...BUILD_STEPS, PACK, UNPACK]) expect(README).toContain(step);
  });

  it('the pruned tree holds no development package', () => {
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const dev = Object.keys(pkg.devDependencies);
    for (const name of [
      'tsx',
      'react',
      'react-dom',
      '@fluentui/react-components',
      'vite',
      'vitest',
      'esbuild',
    ]) {
      expect(dev).toContain(name);
    }
    // npm prune leaves empty scope directories behind (@vitejs/, @esbuild/): count packages.
    const installed = (name: string) => existsSync(join(app, 'node_modules', name, 'package.json'));
    expect(dev.filter(installed)).toEqual([]);
    // Nor anything that only they pulled in.
    const devOnly = ['typescript', '@vitejs/plugin-react', 'rolldown', '@esbuild/linux-x64', 'msw', 'jsdom'];
    expect(devOnly.filter(installed)).toEqual([]);
    expect(installed('fastify')).toBe(true); // the check itself can see a package
    // The sources are not part of the install: the compiled code is.
    expect(readdirSync(app).sort()).toEqual([
      'bin',
      'dist',
      'node_modules',
      'package-lock.json',
      'package.json',
    ]);
  });

  it('the compiled code keeps source maps that name the TypeScript files', () => {
    const map = JSON.parse(readFileSync(join(app, 'dist/backend/main.js.map'), 'utf8')) as {
      sources: string[];
    };
    expect(map.sources).toContain('../../src/backend/cli.ts');
  });

  it('admin commands load neither the server nor its network stack', () => {
    const dir = join(app, 'dist', 'backend');
    /** The packages a chunk imports statically, through the chunks it imports statically. */
    const packages = (file: string, seen = new Set<string>()): Set<string> => {
      const out = new Set<string>();
      if (seen.has(file)) return out;
      seen.add(file);
      const code = readFileSync(join(dir, file), 'utf8');
      for (const [, spec = ''] of code.matchAll(/^import\s(?:[^;]*?\sfrom\s*)?"([^"]+)";/gm)) {
        if (spec.startsWith('./')) for (const p of packages(spec.slice(2), seen)) out.add(p);
        else if (!spec.startsWith('node:')) out.add(spec);
      }
      return out;
    };
    const chunk = (prefix: string) =>
      readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.js')) ?? '';
    // `profile list`: the CLI (main.js), then the store it imports when it opens the database.
    const admin = new Set([...packages('main.js'), ...packages(chunk('storage-'))]);
    expect([...admin].sort()).toEqual(['better-sqlite3']);
    // The check sees imports: `serve` does load them.
    expect([...packages(chunk('server-'))]).toEqual(expect.arrayContaining(['fastify', 'prom-client']));
  });

  it('serves /healthz as an unprivileged user', async () => {
    const r = await get('/healthz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true });
    const pid = served?.child.pid ?? 0;
    const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    expect(Number(uid)).toBe(NOBODY);
  });

  it('serves the built pane and Office.js from our origin, and no test double', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).toContain('<script src="/office-js/office.js"></script>');
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1];
    expect(script).toBeDefined();
    const js = await get(script ?? '');
    expect(js.status).toBe(200);
    expect(js.body).not.toMatch(/setupWorker|iwa-kerberos|createFakeOfficeHost/);
    expect((await get('/office-js/office.js')).status).toBe(200);
    for (const double of ['/office-fake.js', '/mockServiceWorker.js']) {
      expect((await get(double)).status, double).toBe(404);
    }
    const addin = join(app, 'dist', 'addin');
    expect(readdirSync(addin).sort()).toEqual(
      [
        'assets',
        'icon-128.png',
        'icon-16.png',
        'icon-32.png',
        'icon-64.png',
        'icon-80.png',
        'index.html',
      ].sort(),
    );
    for (const file of readdirSync(join(addin, 'assets'))) {
      expect(readFileSync(join(addin, 'assets', file), 'utf8'), file).not.toMatch(
        /setupWorker|createFakeOfficeHost|outcome-CAS_NO_NEGOTIATE/,
      );
    }
  });

  it('signs alice in with Kerberos through the lab CAS', async () => {
    const r = await negotiateRequest(lab, {
      user: 'alice',
      mech: 'krb5',
      url: `https://${lab.hosts.relay}:${port}/api/auth/iwa?mailbox=alice%40corp.test`,
      connectPort: port,
      spnHost: lab.hosts.relay,
    });
    expect(r.error).toBeNull();
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body ?? '{}')).toMatchObject({
      mailbox: 'alice@corp.test',
      method: 'iwa',
      mechanism: 'kerberos',
    });
  });
});
