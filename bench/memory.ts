/**
 * Holds many Negotiate handshakes open against the relay, as browsers that sent their first leg
 * and never came back: each is one keep-alive TLS connection that sent the anonymous
 * `GET /api/auth/iwa` and got `401 Negotiate`. The connections stay open; the relay keeps a
 * handshake for each until it expires.
 */
import tls from 'node:tls';
import type { LabInfo } from '../test/lab/lab.ts';

export interface HeldHandshakes {
  readonly sockets: tls.TLSSocket[];
  readonly failed: number;
  close(): Promise<void>;
}

export class HandshakeHolder {
  readonly #lab: LabInfo;
  readonly #port: number;
  readonly #held: tls.TLSSocket[] = [];
  #session: Buffer | undefined;
  #failed = 0;

  constructor(lab: LabInfo, port: number) {
    this.#lab = lab;
    this.#port = port;
  }

  get count(): number {
    return this.#held.length;
  }

  get failed(): number {
    return this.#failed;
  }

  /** Opens `n` more held handshakes, `parallel` at a time. */
  async open(n: number, parallel = 64): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < n) {
        next++;
        try {
          this.#held.push(await this.#one());
        } catch {
          this.#failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  }

  #one(): Promise<tls.TLSSocket> {
    const host = this.#lab.hosts.relay;
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host: '127.0.0.1',
        port: this.#port,
        servername: host,
        ca: this.#lab.tls.caCertPem,
        // Resume TLS sessions: the client side's cost is not what is measured.
        session: this.#session,
      });
      socket.on('session', (s: Buffer) => (this.#session = s));
      let got = '';
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('no answer'));
      }, 30_000);
      socket.once('secureConnect', () => {
        socket.write(
          `GET /api/auth/iwa?mailbox=${encodeURIComponent('alice@corp.test')} HTTP/1.1\r\n` +
            `Host: ${host}:${this.#port}\r\nConnection: keep-alive\r\n\r\n`,
        );
      });
      socket.setEncoding('latin1');
      const onData = (d: string) => {
        got += d;
        const end = got.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(got.slice(0, end));
        if (length !== null && got.length < end + 4 + Number(length[1])) return;
        clearTimeout(timer);
        socket.off('data', onData);
        if (got.startsWith('HTTP/1.1 401') && /\r\nwww-authenticate: Negotiate\r\n/i.test(got))
          resolve(socket);
        else {
          socket.destroy();
          reject(new Error(got.split('\r\n')[0]));
        }
      };
      socket.on('data', onData);
      socket.on('error', (err: Error) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Closes every held connection and waits until they are closed. */
  async close(): Promise<void> {
    await Promise.all(
      this.#held.splice(0).map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.destroyed) {
              resolve();
              return;
            }
            s.once('close', () => {
              resolve();
            });
            s.destroy();
          }),
      ),
    );
  }
}
