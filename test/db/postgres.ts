/**
 * A private, throw-away PostgreSQL cluster from Debian's `postgresql` package, on loopback,
 * for tests. It never touches the system cluster: its own data directory, port and socket
 * directory, all under one temp dir that `stop()` removes. Reused by any test that needs a
 * real PostgreSQL (the storage contract suite, the several-instances test).
 *
 * `initdb` refuses to run as root, so as root every server command runs as the `postgres`
 * user (`runuser`), on directories it owns; as anyone else they run as that user.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const PG_BIN = process.env.OUTLOOK_IWA_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  /** URL of the cluster's `postgres` database, as superuser `postgres` (trust auth). */
  readonly url: string;
  readonly port: number;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes every file it had. Safe to call twice. */
  stop(): Promise<void>;
}

/** A free loopback TCP port (free when asked; the caller retries if it is taken meanwhile). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Initialises and starts a cluster; throws with the server log if it does not come up. */
export async function startPostgres(): Promise<PostgresCluster> {
  const initdb = join(PG_BIN, 'initdb');
  const pgCtl = join(PG_BIN, 'pg_ctl');
  if (!existsSync(initdb)) {
    throw new Error(
      `${initdb} not found: install Debian's postgresql package (scripts/install-deps.sh) or set OUTLOOK_IWA_PG_BIN`,
    );
  }
  const asRoot = process.getuid?.() === 0;
  const root = mkdtempSync(join(tmpdir(), 'outlook-iwa-pg-'));
  const data = join(root, 'data');
  const sockets = join(root, 'sock');
  const log = join(root, 'server.log');
  mkdirSync(sockets);
  if (asRoot) {
    const { uid, gid } = postgresIds();
    for (const p of [root, sockets]) chownSync(p, uid, gid);
  }
  const asServer = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const exec = async (cmd: string, args: string[]) => {
    const [c, a] = asServer(cmd, args);
    await run(c, a, { cwd: root });
  };

  let running = false;
  const stopSync = () => {
    if (!running) return;
    running = false;
    try {
      const [c, a] = asServer(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      execFileSync(c, a, { stdio: 'ignore', cwd: root });
    } catch {
      // Last resort: the postmaster's pid is the first line of postmaster.pid.
      try {
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        if (pid > 0) process.kill(pid, 'SIGQUIT');
      } catch {
        // Nothing left to stop.
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  // If the test runner dies without teardown, do not leave a server behind.
  process.once('exit', stopSync);

  try {
    await exec(initdb, [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        '-c listen_addresses=127.0.0.1',
        `-p ${port}`,
        `-k ${sockets}`,
        // A throw-away cluster: durability only costs time.
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
      ].join(' ');
      try {
        await exec(pgCtl, ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
        break;
      } catch (err) {
        // Another process may have taken the port between our probe and the start.
        if (attempt >= 3) throw err;
      }
    }
    running = true;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

    return {
      url,
      port,
      async createDatabase(name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        process.removeListener('exit', stopSync);
        if (!running) return;
        running = false;
        try {
          await exec(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    running = true;
    stopSync();
    process.removeListener('exit', stopSync);
    throw new Error(
      `could not start PostgreSQL: ${err instanceof Error ? err.message : String(err)}\n${serverLog}`,
      { cause: err },
    );
  }
}
