import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, watch } from 'node:fs';
import type { Server } from 'node:https';
import { Server as NetServer } from 'node:net';
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildAdminApp, buildApp, type AppDeps } from './app.ts';
import {
  DEFAULT_AUDIT_RETENTION_DAYS,
  DEFAULT_BINDING_MAX_AGE_DAYS,
  DEFAULT_CONNECTION_LIMITS,
  type ServeConfig,
} from './config.ts';
import { requireProxyProtocol } from './proxy-protocol.ts';
import { startSweeper } from './sweeper.ts';

export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
}

/** Reads the serving certificate; without one, makes and keeps a self-signed development pair. */
export function loadTls(
  config: ServeConfig,
  log: Pick<FastifyBaseLogger, 'warn'>,
): TlsMaterial & { files: string[] } {
  if (config.tls !== undefined) {
    return {
      key: readFileSync(config.tls.keyFile, 'utf8'),
      cert: readFileSync(config.tls.certFile, 'utf8'),
      files: [config.tls.certFile, config.tls.keyFile],
    };
  }
  const dir = path.resolve('data');
  const keyFile = path.join(dir, 'dev-key.pem');
  const certFile = path.join(dir, 'dev-cert.pem');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    mkdirSync(dir, { recursive: true });
    const host = config.publicUrl.hostname.replace(/^\[|\]$/g, '');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '825',
      '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host},DNS:localhost,IP:127.0.0.1`,
      '-keyout', keyFile, '-out', certFile,
    ], { stdio: 'ignore' }); // prettier-ignore
  }
  log.warn({ certFile }, 'no --tls-cert given: serving a self-signed development certificate');
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    files: [certFile, keyFile],
  };
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  /** `https://HOST:PORT` of the `--admin-listen` listener, when there is one. */
  readonly adminUrl?: string;
  /** Stops accepting, lets in-flight handshakes finish (bounded), then closes everything. */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * Listens on HTTPS (HTTP/1.1 only: Windows authentication does not survive HTTP/2), TLS 1.2+,
 * and reloads the certificate on SIGHUP or when its files change, without a restart.
 */
export async function startServer(
  config: ServeConfig,
  deps: Omit<AppDeps, 'https' | 'servingCertificate'>,
  options: {
    handleSignals?: boolean;
    /** With `handleSignals`: which signals start the graceful shutdown (a cluster worker: SIGTERM only). */
    stopSignals?: readonly NodeJS.Signals[];
    onClosed?: () => Promise<void>;
  } = {},
): Promise<RunningServer> {
  const bootLog: Pick<FastifyBaseLogger, 'warn'> = {
    warn: (obj: unknown, msg?: string) => {
      process.stderr.write(`${msg ?? ''} ${JSON.stringify(obj)}\n`);
    },
  };
  let material = loadTls(config, bootLog);
  let servingCert = new X509Certificate(material.cert);
  const connections = { ...DEFAULT_CONNECTION_LIMITS, ...config.connections };
  const https = { key: material.key, cert: material.cert };
  const app = await buildApp({
    publicUrl: config.publicUrl,
    ...deps,
    https,
    connections,
    separateAdmin: config.adminListen !== undefined,
    ...(config.owaOrigin === undefined ? {} : { owaOrigin: config.owaOrigin }),
    ...(config.bindingMaxAgeDays === undefined ? {} : { bindingMaxAgeDays: config.bindingMaxAgeDays }),
    ...(config.probeRateLimit === undefined ? {} : { probeRateLimit: config.probeRateLimit }),
    servingCertificate: () => servingCert,
  });
  // buildApp was given `https`, so Fastify made a node:https server.
  const server = app.server as unknown as Server;
  server.maxConnections = connections.maxConnections;
  if (config.proxyProtocol === true) {
    requireProxyProtocol(server, {
      timeoutMs: connections.headerTimeoutMs,
      onRefused: (reason, peer) => {
        app.log.warn({ reason, peer }, 'connection without a valid PROXY protocol header closed');
      },
    });
  }
  await app.listen({ host: config.host, port: config.port });

  let admin: FastifyInstance | undefined;
  if (config.adminListen !== undefined) {
    admin = await buildAdminApp({ ...deps, https, connections, metrics: app.metrics });
    await admin.listen({ host: config.adminListen.host, port: config.adminListen.port });
  }
  const sweeper = startSweeper({
    store: deps.store,
    clock: deps.clock ?? { now: () => new Date() },
    settings: {
      auditRetentionDays: config.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS,
      bindingMaxAgeDays: config.bindingMaxAgeDays ?? DEFAULT_BINDING_MAX_AGE_DAYS,
    },
    onSwept: (result) => {
      app.log.info(result, 'expired sessions, bindings and audit entries swept');
    },
    onError: (err) => {
      app.log.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'sweep failed; will try again');
    },
  });
  const servers = [server, ...(admin === undefined ? [] : [admin.server as unknown as Server])];

  const reload = (onlyIfChanged = false) => {
    try {
      const next = loadTls(config, app.log);
      if (onlyIfChanged && next.key === material.key && next.cert === material.cert) return;
      for (const s of servers) s.setSecureContext({ key: next.key, cert: next.cert, minVersion: 'TLSv1.2' });
      material = next;
      servingCert = new X509Certificate(material.cert);
      app.log.info(
        { subject: servingCert.subject, validTo: servingCert.validTo },
        'TLS certificate reloaded',
      );
    } catch (err) {
      // Keep serving the old certificate: a half-written renewal must not take the service down.
      app.log.error(
        { err: err instanceof Error ? err.message : String(err) },
        'TLS certificate reload failed',
      );
    }
  };
  // Watch the directories, not the files: renewal tools replace the files by rename (and
  // Kubernetes swaps a `..data` symlink), after which a watch on the old file sees nothing more.
  const names = new Set(material.files.map((f) => path.basename(f)));
  let debounce: NodeJS.Timeout | undefined;
  const watchers = [...new Set(material.files.map((f) => path.dirname(path.resolve(f))))].map((dir) =>
    watch(dir, (_event, name) => {
      if (name !== null && !names.has(name) && !name.startsWith('..')) return;
      clearTimeout(debounce);
      debounce = setTimeout(() => {
        reload(true);
      }, 200);
    }).on('error', (err) => {
      app.log.warn({ dir, err: err.message }, 'certificate watch stopped; SIGHUP still reloads');
    }),
  );
  const onHup = () => {
    reload();
  };
  if (options.handleSignals === true) process.on('SIGHUP', onHup);

  let closing: Promise<void> | undefined;
  const shutdown = (graceMs = 60_000): Promise<void> =>
    (closing ??= (async () => {
      for (const w of watchers) w.close();
      sweeper.stop();
      clearTimeout(debounce);
      process.off('SIGHUP', onHup);
      app.log.info('shutting down: no new connections; waiting for in-flight handshakes');
      // Stop listening only. `https.Server#close()` would also drop idle keep-alive
      // connections, and a browser's connection between two Negotiate legs is idle: the
      // handshake on it would die. `app.close()` below drops the idle ones once they are done.
      // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to our server
      Reflect.apply(NetServer.prototype.close, server, []);
      const deadline = Date.now() + graceMs;
      while (app.relay.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await app.close();
      await admin?.close();
      await options.onClosed?.();
    })());

  if (options.handleSignals === true) {
    for (const signal of options.stopSignals ?? (['SIGTERM', 'SIGINT'] as const)) {
      process.once(signal, () => {
        void shutdown().then(() => process.exit(0));
      });
    }
  }
  const urlOf = (s: Server, host: string) => {
    const address = s.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
  return {
    app,
    url: urlOf(server, config.host),
    ...(admin === undefined || config.adminListen === undefined
      ? {}
      : { adminUrl: urlOf(admin.server as unknown as Server, config.adminListen.host) }),
    shutdown,
  };
}
