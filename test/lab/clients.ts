/**
 * Client-side helpers for tests: Kerberos tickets, the Python GSSAPI Negotiate client, curl,
 * the stand-in's control surface, and host-name resolution for `*.corp.test`. They all take
 * the JSON-only {@link LabInfo} (what `inject('lab')` returns), not the live Lab.
 */
import { randomBytes } from 'node:crypto';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabInfo, LabUser } from './lab.ts';
import type { RequestRecord, StandinMode } from './ews-standin.ts';
import { run, runOk } from './proc.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Debian's interpreter: the `python3` on PATH may be a build without python3-gssapi. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const NEGOTIATE_CLIENT = join(here, 'negotiate_client.py');

// ------------------------------------------------------------------ name resolution

/** 127.0.0.1 for the lab's host names (`*.corp.test`), undefined for anything else. */
export function resolveLab(hostname: string): string | undefined {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'corp.test' || h.endsWith('.corp.test') ? '127.0.0.1' : undefined;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `dns.lookup`-compatible function for Node clients (net/tls/http `lookup` option, undici
 * `connect.lookup`): lab names go to 127.0.0.1, everything else fails with ENOTFOUND so a
 * test can never reach a network it did not ask for.
 */
export function labLookup(
  hostname: string,
  options: LookupOptions | number | LookupCallback,
  callback?: LookupCallback,
): void {
  const cb = typeof options === 'function' ? options : callback;
  if (cb === undefined) throw new TypeError('labLookup needs a callback');
  const all = typeof options === 'object' && options.all === true;
  const addr = resolveLab(hostname);
  process.nextTick(() => {
    if (addr === undefined) {
      const err: NodeJS.ErrnoException = Object.assign(
        new Error(`getaddrinfo ENOTFOUND ${hostname} (not a lab host)`),
        { code: 'ENOTFOUND', hostname },
      );
      cb(err, all ? [] : '', 4);
      return;
    }
    if (all) cb(null, [{ address: addr, family: 4 }]);
    else cb(null, addr, 4);
  });
}

// ------------------------------------------------------------------ Kerberos

/** A minimal environment for Kerberos/GSSAPI tools pointed at this lab. */
export function krbEnv(lab: LabInfo, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    HOME: lab.dir,
    KRB5_CONFIG: lab.env.KRB5_CONFIG,
    ...extra,
  };
}

/** A path in the lab for a credential cache that does not exist (forces NTLM in SPNEGO). */
export const missingCcache = (lab: LabInfo): string =>
  join(lab.dir, 'ccache', `none-${randomBytes(6).toString('hex')}`);

/**
 * Gets a TGT for `user` into a private FILE: ccache (password on stdin, never on the command
 * line) and returns the ccache's path. Use it as `KRB5CCNAME=FILE:<path>`.
 */
export async function kinit(
  lab: LabInfo,
  user: LabUser,
  opts: { password?: string; ccache?: string } = {},
): Promise<string> {
  const ccache = opts.ccache ?? join(lab.dir, 'ccache', `${user}-${randomBytes(6).toString('hex')}`);
  const u = lab.users[user];
  await runOk('kinit', [u.principal], {
    env: krbEnv(lab, { KRB5CCNAME: `FILE:${ccache}` }),
    input: `${opts.password ?? u.password}\n`,
    timeoutMs: 10_000,
  });
  return ccache;
}

// ------------------------------------------------------------------ Python GSSAPI client

export interface NegotiateRequestOptions {
  user: LabUser;
  mech: 'krb5' | 'ntlm';
  /** Default: the CAS EWS URL. */
  url?: string;
  /** Port on 127.0.0.1 to connect to. Default: the URL's port. */
  connectPort?: number;
  /** Local address to connect from (another loopback address, e.g. 127.0.0.2). */
  sourceAddress?: string;
  /** Host part of the service name HTTP@host. Default: the URL's host. */
  spnHost?: string;
  method?: 'GET' | 'POST';
  body?: string;
  /** Bodies POSTed afterwards on the same, authenticated connection without Authorization;
   * `{{FolderId}}`/`{{ChangeKey}}` are filled from the previous response. */
  thenBodies?: string[];
  headers?: Record<string, string>;
  /** Complete sign-ins, each on a fresh connection (for timings). */
  repeat?: number;
  /** krb5: use this ccache instead of a fresh kinit. */
  ccache?: string;
  /** ntlm: sign in with this password instead of the user's (e.g. a wrong one). */
  password?: string;
  /** Bind the token to the server certificate (RFC 5929 tls-server-end-point). */
  channelBindings?: boolean;
  /** CA to trust; default the lab CA. `false`: do not verify (untrusted-cert port). */
  ca?: string | false;
  /** Send the first token right away instead of an anonymous request first. */
  preemptive?: boolean;
  /** Write every raw token (base64) sent and received to this directory. */
  dumpTokensDir?: string;
  timeoutMs?: number;
}

export interface NegotiateLeg {
  status: number;
  sentToken: boolean;
  sentTokenLength: number;
  /** Scheme of each WWW-Authenticate header (tokens are never reported). */
  wwwAuthenticate: string[];
  receivedTokenLength: number;
  bodyLength: number;
  ms: number;
}

export interface NegotiateFollowUp {
  status: number;
  wwwAuthenticate: string[];
  headers: [string, string][];
  body: string;
  ms: number;
}

export interface NegotiateResult {
  mechRequested: 'krb5' | 'ntlm';
  url: string;
  status: number | null;
  /** Final response headers; Negotiate tokens replaced by `<token>`. */
  headers: [string, string][] | null;
  body: string | null;
  legs: NegotiateLeg[];
  followUps: NegotiateFollowUp[];
  /** Mechanism SPNEGO settled on: 'krb5' or 'ntlmssp'. */
  mech: string | null;
  initiator: string | null;
  error: string | null;
  timingsMs: number[];
  iterations: { legs: NegotiateLeg[]; status?: number; ms: number; mech?: string; error?: string }[] | null;
  exitCode: number | null;
}

/** Runs `negotiate_client.py` with the right environment and returns its parsed JSON. */
export async function negotiateRequest(lab: LabInfo, o: NegotiateRequestOptions): Promise<NegotiateResult> {
  const url = o.url ?? lab.cas.ewsUrl;
  const u = new URL(url);
  const connectPort = o.connectPort ?? Number(u.port || 443);
  const tmp = await mkdtemp(join(lab.dir, 'req-'));
  try {
    const env: NodeJS.ProcessEnv = krbEnv(lab);
    if (o.mech === 'krb5') {
      env.KRB5CCNAME = `FILE:${o.ccache ?? (await kinit(lab, o.user))}`;
    } else {
      env.KRB5CCNAME = `FILE:${missingCcache(lab)}`;
      let file = lab.users[o.user].ntlmUserFile;
      if (o.password !== undefined) {
        file = join(tmp, 'ntlm-user');
        await writeFile(file, `${lab.ntlmDomain}:${o.user}:${o.password}\n`, { mode: 0o600 });
      }
      env.NTLM_USER_FILE = file;
    }
    const args = [NEGOTIATE_CLIENT, '--url', url, '--connect', `127.0.0.1:${connectPort}`, '--mech', o.mech];
    args.push('--method', o.method ?? (o.body === undefined ? 'GET' : 'POST'));
    if (o.spnHost !== undefined) args.push('--spn-host', o.spnHost);
    if (o.sourceAddress !== undefined) args.push('--source', o.sourceAddress);
    if (o.body !== undefined) {
      await writeFile(join(tmp, 'body'), o.body);
      args.push('--body-file', join(tmp, 'body'));
    }
    for (const [i, b] of (o.thenBodies ?? []).entries()) {
      await writeFile(join(tmp, `then-${i}`), b);
      args.push('--then-body-file', join(tmp, `then-${i}`));
    }
    for (const [k, v] of Object.entries(o.headers ?? {})) args.push('--header', `${k}:${v}`);
    if (o.repeat !== undefined) args.push('--repeat', String(o.repeat));
    if (o.channelBindings === true) args.push('--channel-bindings', 'tls-server-end-point');
    if (o.ca === false) args.push('--insecure');
    else args.push('--ca', o.ca ?? lab.tls.caCertPath);
    if (o.preemptive === true) args.push('--preemptive');
    if (o.dumpTokensDir !== undefined) args.push('--dump-tokens', o.dumpTokensDir);
    args.push('--timeout', String((o.timeoutMs ?? 20_000) / 1000));
    const r = await run(SYSTEM_PYTHON, args, {
      env,
      timeoutMs: (o.timeoutMs ?? 20_000) * (o.repeat ?? 1) + 10_000,
    });
    let parsed: Omit<NegotiateResult, 'exitCode'>;
    try {
      parsed = JSON.parse(r.stdout) as Omit<NegotiateResult, 'exitCode'>;
    } catch {
      throw new Error(`negotiate_client.py gave no JSON (exit ${String(r.code)}): ${r.stderr.slice(-2000)}`);
    }
    return { ...parsed, exitCode: r.code };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ curl

export interface CurlOptions {
  /** krb5: ccache path from {@link kinit}. */
  ccache?: string;
  /** ntlm inside SPNEGO (through gss-ntlmssp) as this user, instead of a ccache. */
  ntlmUser?: LabUser;
  url?: string;
  connectPort?: number;
  method?: string;
  data?: string;
  headers?: Record<string, string>;
  /** `false`: do not verify the certificate (untrusted port). Default: the lab CA. */
  ca?: string | false;
  /** Plain request without --negotiate (to see the anonymous challenge). */
  anonymous?: boolean;
  /** Connect from this loopback source address (`--interface`), e.g. 127.0.0.7. */
  localAddress?: string;
  timeoutMs?: number;
}

export interface CurlResponse {
  status: number;
  /** Scheme of each WWW-Authenticate header; tokens are never reported. */
  wwwAuthenticate: string[];
  headers: [string, string][];
}

export interface CurlResult extends CurlResponse {
  /** Every response curl saw (401 legs first), final one last. */
  responses: CurlResponse[];
  body: string;
  exitCode: number | null;
  stderr: string;
}

function parseHeaderDump(dump: string): CurlResponse[] {
  const out: CurlResponse[] = [];
  for (const block of dump.split(/\r?\n\r?\n/)) {
    const lines = block.split(/\r?\n/).filter((l) => l !== '');
    const statusLine = lines.shift();
    const m = statusLine === undefined ? null : /^HTTP\/[\d.]+ (\d{3})/.exec(statusLine);
    if (m?.[1] === undefined) continue;
    const headers = lines.map((l): [string, string] => {
      const i = l.indexOf(':');
      const k = l.slice(0, i).trim();
      let v = l.slice(i + 1).trim();
      if (k.toLowerCase() === 'www-authenticate' && v.includes(' ')) v = `${v.split(' ')[0] ?? ''} <token>`;
      return [k, v];
    });
    const www = headers
      .filter(([k]) => k.toLowerCase() === 'www-authenticate')
      .map(([, v]) => v.split(' ')[0] ?? '');
    out.push({ status: Number(m[1]), wwwAuthenticate: www, headers });
  }
  return out;
}

/** `curl --negotiate -u : --cacert <ca> --resolve host:port:127.0.0.1 …`. */
export async function curlNegotiate(lab: LabInfo, o: CurlOptions = {}): Promise<CurlResult> {
  const url = o.url ?? lab.cas.ewsUrl;
  const u = new URL(url);
  const port = Number(u.port || 443);
  const tmp = await mkdtemp(join(lab.dir, 'curl-'));
  try {
    const env = krbEnv(lab);
    if (o.ntlmUser !== undefined) {
      env.KRB5CCNAME = `FILE:${missingCcache(lab)}`;
      env.NTLM_USER_FILE = lab.users[o.ntlmUser].ntlmUserFile;
    } else env.KRB5CCNAME = `FILE:${o.ccache ?? missingCcache(lab)}`;
    const args = [
      '-sS',
      '--http1.1',
      '-o',
      join(tmp, 'body'),
      '-D',
      join(tmp, 'headers'),
      '-w',
      '%{http_code}',
    ];
    args.push('--resolve', `${u.hostname}:${port}:127.0.0.1`);
    if (o.connectPort !== undefined)
      args.push('--connect-to', `${u.hostname}:${port}:127.0.0.1:${o.connectPort}`);
    if (o.localAddress !== undefined) args.push('--interface', o.localAddress);
    if (o.anonymous !== true) args.push('--negotiate', '-u', ':');
    if (o.ca === false) args.push('--insecure');
    else args.push('--cacert', o.ca ?? lab.tls.caCertPath);
    if (o.method !== undefined) args.push('-X', o.method);
    if (o.data !== undefined) args.push('--data-binary', `@${join(tmp, 'data')}`);
    if (o.data !== undefined) await writeFile(join(tmp, 'data'), o.data);
    for (const [k, v] of Object.entries(o.headers ?? {})) args.push('-H', `${k}: ${v}`);
    args.push('--max-time', String((o.timeoutMs ?? 20_000) / 1000), url);
    const r = await run('curl', args, { env, timeoutMs: (o.timeoutMs ?? 20_000) + 5000 });
    const responses = parseHeaderDump(await readFile(join(tmp, 'headers'), 'utf8').catch(() => ''));
    const last = responses.at(-1) ?? { status: 0, wwwAuthenticate: [], headers: [] };
    return {
      ...last,
      responses,
      body: await readFile(join(tmp, 'body'), 'utf8').catch(() => ''),
      exitCode: r.code,
      stderr: r.stderr,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ stand-in control

/** Makes the EWS stand-in misbehave for the next `times` EWS requests (or until changed). */
export async function setStandinMode(
  lab: LabInfo,
  mode: StandinMode,
  opts: { times?: number; delayMs?: number } = {},
): Promise<void> {
  const r = await fetch(`${lab.standin.controlUrl}/mode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode, ...opts }),
    signal: AbortSignal.timeout(5000),
  });
  if (!r.ok) throw new Error(`stand-in refused mode ${mode}: ${await r.text()}`);
}

/** The stand-in's log of recent EWS requests (user, mechanism, operation; no bodies). */
export async function standinRequests(lab: LabInfo): Promise<RequestRecord[]> {
  const r = await fetch(`${lab.standin.controlUrl}/requests`, { signal: AbortSignal.timeout(5000) });
  return (await r.json()) as RequestRecord[];
}

export async function clearStandinRequests(lab: LabInfo): Promise<void> {
  await fetch(`${lab.standin.controlUrl}/requests/clear`, {
    method: 'POST',
    signal: AbortSignal.timeout(5000),
  });
}
