/**
 * Drives `bench/load.py` (the lab's Python GSSAPI client, `one_sign_in`) against one target:
 * the relay, the CAS directly, or the CAS through HAProxy. Every sign-in is complete and proves
 * identity: through the relay the relay runs GetFolder + ConvertId; directly, the client does.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { krbEnv, missingCcache, SYSTEM_PYTHON } from '../test/lab/clients.ts';
import type { LabInfo } from '../test/lab/lab.ts';
import { convertIdRequest, getFolderRequest } from '../test/lab/ews-xml.ts';
import { run } from '../test/lab/proc.ts';

export const LOAD_PY = fileURLToPath(new URL('./load.py', import.meta.url));

export type Mech = 'krb5' | 'ntlm';

export interface Target {
  readonly name: string;
  readonly url: string;
  readonly connectPort: number;
  readonly spnHost: string;
  /** Direct targets POST GetFolder and then ConvertId themselves, like the relay does. */
  readonly direct: boolean;
  /** Offer the last TLS session on each new connection (`load.py --resume-tls`). */
  readonly resumeTls?: boolean;
}

/** The same target with a client that resumes its TLS session on every new connection. */
export function resumingTls(t: Target): Target {
  return { ...t, name: `${t.name}-resumed`, resumeTls: true };
}

export function relayTarget(lab: LabInfo, port: number, name = 'relay'): Target {
  return {
    name,
    url: `https://${lab.hosts.relay}:${port}/api/auth/iwa?mailbox=${encodeURIComponent('alice@corp.test')}`,
    connectPort: port,
    spnHost: lab.hosts.relay,
    direct: false,
  };
}

export function directTarget(lab: LabInfo, connectPort = lab.cas.port, name = 'direct'): Target {
  return { name, url: lab.cas.ewsUrl, connectPort, spnHost: lab.hosts.cas, direct: true };
}

export interface SignInDetail {
  ms: number;
  legsMs: number[];
  legStatus: number[];
  followUpsMs: number[];
  mech: string | null;
}

export interface LoadResult {
  completed: number;
  failed: number;
  latenciesMs: number[];
  errors: Record<string, number>;
  detail: SignInDetail[];
  /** Connections on which the server resumed the offered TLS session. */
  tlsResumed?: number;
}

export interface Credentials {
  /** A FILE: ccache holding alice's TGT (and, once warmed, her service tickets). */
  readonly ccache: string;
  readonly lab: LabInfo;
}

export class LoadRunner {
  readonly #lab: LabInfo;
  readonly #ccache: string;
  #dir: string | undefined;

  constructor(creds: Credentials) {
    this.#lab = creds.lab;
    this.#ccache = creds.ccache;
  }

  async #files(): Promise<string> {
    if (this.#dir !== undefined) return this.#dir;
    const dir = await mkdtemp(join(this.#lab.dir, 'bench-'));
    await writeFile(join(dir, 'getfolder.xml'), getFolderRequest());
    await writeFile(join(dir, 'convertid.xml'), convertIdRequest('{{FolderId}}'));
    this.#dir = dir;
    return dir;
  }

  async close(): Promise<void> {
    if (this.#dir !== undefined) await rm(this.#dir, { recursive: true, force: true });
  }

  env(mech: Mech): NodeJS.ProcessEnv {
    if (mech === 'krb5') return krbEnv(this.#lab, { KRB5CCNAME: `FILE:${this.#ccache}` });
    return krbEnv(this.#lab, {
      KRB5CCNAME: `FILE:${missingCcache(this.#lab)}`,
      NTLM_USER_FILE: this.#lab.users.alice.ntlmUserFile,
    });
  }

  async #args(t: Target): Promise<string[]> {
    const dir = await this.#files();
    const args = [
      LOAD_PY,
      '--url',
      t.url,
      '--connect',
      `127.0.0.1:${t.connectPort}`,
      '--spn-host',
      t.spnHost,
      '--ca',
      this.#lab.tls.caCertPath,
    ];
    if (t.direct) {
      args.push('--method', 'POST', '--body-file', join(dir, 'getfolder.xml'));
      args.push('--then-body-file', join(dir, 'convertid.xml'));
    } else args.push('--method', 'GET');
    if (t.resumeTls === true) args.push('--resume-tls');
    return args;
  }

  /** `count` sequential sign-ins on one thread, with per-sign-in detail. */
  async sequential(t: Target, mech: Mech, count: number): Promise<LoadResult> {
    const args = [...(await this.#args(t)), '--count', String(count), '--detail'];
    const r = await run(SYSTEM_PYTHON, args, { env: this.env(mech), timeoutMs: 20_000 + count * 2_000 });
    const result = parse(r);
    // Every sign-in asked for is either completed or failed; fewer means the client broke.
    if (result.completed + result.failed !== count) {
      throw new Error(
        `bench/load.py ran ${result.completed + result.failed} of ${count} sign-ins against ${t.name}: ${r.stderr.slice(-2000)}`,
      );
    }
    return result;
  }

  /**
   * Closed loop at `concurrency`: `procs` processes × threads, all counting sign-ins that finish
   * inside the same window [start, start + seconds] (Python start-up is outside it).
   */
  async closedLoop(
    t: Target,
    mech: Mech,
    concurrency: number,
    seconds: number,
  ): Promise<LoadResult & { seconds: number }> {
    const procs = Math.min(concurrency, 8);
    const base = await this.#args(t);
    const children = Array.from({ length: procs }, (_, i) => {
      const threads = Math.floor(concurrency / procs) + (i < concurrency % procs ? 1 : 0);
      return startLoad([...base, '--threads', String(threads), '--window-from-stdin'], this.env(mech));
    });
    // The window opens once every process has started (Python and GSSAPI loaded).
    await Promise.all(children.map((c) => c.ready));
    const start = Date.now() / 1000 + 0.2;
    for (const c of children) c.go(start, start + seconds);
    const runs = children.map((c) => c.done);
    const results = (await Promise.all(runs)).map(parse);
    const merged: LoadResult = {
      completed: 0,
      failed: 0,
      latenciesMs: [],
      errors: {},
      detail: [],
      tlsResumed: 0,
    };
    for (const r of results) {
      merged.tlsResumed = (merged.tlsResumed ?? 0) + (r.tlsResumed ?? 0);
      merged.completed += r.completed;
      merged.failed += r.failed;
      merged.latenciesMs.push(...r.latenciesMs);
      for (const [k, v] of Object.entries(r.errors)) merged.errors[k] = (merged.errors[k] ?? 0) + v;
    }
    return { ...merged, seconds };
  }
}

interface LoadChild {
  ready: Promise<void>;
  go(start: number, end: number): void;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** A load.py process that waits for its window on stdin; killed if it outlives 120 s. */
function startLoad(args: string[], env: NodeJS.ProcessEnv): LoadChild {
  const child = spawn(SYSTEM_PYTHON, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (stderr.includes('ready\n')) signalReady();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      signalReady();
      resolve({ code, stdout, stderr });
    });
    child.on('error', () => {
      clearTimeout(killer);
      signalReady();
      resolve({ code: null, stdout, stderr });
    });
  });
  child.stdin.on('error', () => undefined);
  return {
    ready,
    go: (start, end) => child.stdin.end(`${start} ${end}\n`),
    done,
  };
}

function parse(r: { code: number | null; stdout: string; stderr: string }): LoadResult {
  try {
    return JSON.parse(r.stdout) as LoadResult;
  } catch {
    throw new Error(`bench/load.py gave no JSON (exit ${String(r.code)}): ${r.stderr.slice(-2000)}`);
  }
}
