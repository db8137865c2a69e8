/**
 * `serve --proxy-protocol`: every connection must start with a PROXY protocol header
 * (HAProxy proxy-protocol.txt §2.1/§2.2), read here before the TLS layer sees a byte. The
 * header's source becomes the socket's remote address, so `request.ip` — and with it rate
 * limits, logs and the audit trail — is the client's, not the balancer's.
 */
import { Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { isProtocolParseError } from '../protocol/parse-error.ts';
import { parseProxyHeader, type ProxyEndpoint } from '../protocol/proxy-protocol.ts';

export interface ProxyProtocolOptions {
  /** The header must arrive within this, or the connection is closed. */
  readonly timeoutMs: number;
  /** Called for each refused connection; `reason` is a parse reason, never input bytes. */
  readonly onRefused?: (reason: string, peer: string | undefined) => void;
}

/**
 * Puts the PROXY header reader in front of `server`'s TLS layer: the server's own `connection`
 * listeners run only once a valid header has been read, with the bytes after it put back. A
 * connection without one is destroyed before TLS.
 */
export function requireProxyProtocol(server: TlsServer, options: ProxyProtocolOptions): void {
  const tlsListeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  const clients = new WeakMap<Socket, ProxyEndpoint>();

  // The TLS socket wraps the raw one (`_parent`); give it the client's address before the HTTP
  // layer, registered on the same event, reads it.
  server.prependListener('secureConnection', (tlsSocket: TLSSocket) => {
    const raw: unknown = (tlsSocket as unknown as { _parent?: unknown })._parent;
    const client = raw instanceof Socket ? clients.get(raw) : undefined;
    if (client === undefined) return;
    Object.defineProperties(tlsSocket, {
      remoteAddress: { value: client.address },
      remoteFamily: { value: client.family },
      remotePort: { value: client.port },
    });
  });

  server.on('connection', (socket: Socket) => {
    let buffered: Buffer | undefined;
    const refuse = (reason: string) => {
      cleanup();
      options.onRefused?.(reason, socket.remoteAddress);
      socket.destroy();
    };
    const timer = setTimeout(() => {
      refuse('timeout');
    }, options.timeoutMs);
    const onError = () => {
      cleanup();
      socket.destroy();
    };
    const onData = (chunk: Buffer) => {
      buffered = buffered === undefined ? chunk : Buffer.concat([buffered, chunk]);
      let header: ReturnType<typeof parseProxyHeader>;
      try {
        header = parseProxyHeader(buffered);
      } catch (err) {
        refuse(isProtocolParseError(err) ? err.reason : 'invalid');
        return;
      }
      if (header === null) return;
      cleanup();
      socket.pause();
      // LOCAL/UNKNOWN (the balancer's health checks) keep the connection's own address.
      if (header.source !== null) clients.set(socket, header.source);
      const rest = buffered.subarray(header.length);
      if (rest.length > 0) socket.unshift(rest);
      for (const listener of tlsListeners) listener.call(server, socket);
    };
    function cleanup() {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
    }
    socket.on('data', onData);
    socket.on('error', onError);
    socket.once('close', cleanup);
  });
}
