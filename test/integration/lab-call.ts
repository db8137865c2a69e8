/** One HTTPS request to a server of the lab, as the integration suites make it. */
import https from 'node:https';
import { labLookup } from '../lab/clients.ts';
import type { LabInfo } from '../lab/lab.ts';

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The body as JSON; `{}` when it is not JSON. */
  readonly json: Record<string, unknown>;
}

export interface CallOptions {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Which TCP connection carries the request; a fresh one when absent. */
  readonly agent?: https.Agent;
  /** The loopback address the connection comes from (per-address limits). */
  readonly localAddress?: string;
  readonly timeoutMs?: number;
}

/** Sends one request, trusting the lab CA and resolving the lab's host names to loopback. */
export function labCall(lab: LabInfo, url: string, o: CallOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: o.method ?? 'GET',
        headers: o.headers ?? {},
        ca: lab.tls.caCertPem,
        lookup: labLookup,
        agent: o.agent ?? false,
        timeout: o.timeoutMs ?? 20_000,
        ...(o.localAddress === undefined ? {} : { localAddress: o.localAddress }),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let json: Record<string, unknown>;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(o.body);
  });
}
