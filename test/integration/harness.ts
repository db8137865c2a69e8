/**
 * Starts the real backend (HTTPS, the relay's certificate from the lab CA) on a free loopback
 * port with a throw-away SQLite database, wired to the lab's CAS. Tests talk to it as
 * `https://relay.corp.test:<port>` with the lab's resolver rules.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loggerOptions } from '../../src/backend/logging.ts';
import type { PasswordLimits } from '../../src/backend/password/sign-in.ts';
import type { RelayLimits } from '../../src/backend/relay/relay.ts';
import type { RateLimitPolicy } from '../../src/backend/relay/rate-limit.ts';
import { startServer, type RunningServer } from '../../src/backend/server.ts';
import { openStore } from '../../src/backend/storage/index.ts';
import type { Store } from '../../src/backend/storage/types.ts';
import type { Clock } from '../../src/backend/domain.ts';
import { labLookup } from '../lab/clients.ts';
import type { LabInfo } from '../lab/lab.ts';

export interface RelayServer {
  readonly server: RunningServer;
  readonly store: Store;
  readonly port: number;
  /** `https://relay.corp.test:<port>` */
  readonly origin: string;
  /** Every JSON log line the server wrote, for the no-secrets scan. */
  readonly logs: string[];
  iwaUrl(mailbox: string): string;
  close(): Promise<void>;
}

/** Generous limits so a suite's many sign-ins from 127.0.0.1 are not rate limited by accident. */
export const TEST_LIMITS: Partial<RelayLimits> = {
  perAddress: { burst: 10_000, perMinute: 10_000 },
  perMailbox: { burst: 10_000, perMinute: 10_000 },
  maxHandshakesPerAddress: 10_000,
};

export async function startRelayServer(
  lab: LabInfo,
  options: {
    limits?: Partial<RelayLimits>;
    passwordLimits?: Partial<PasswordLimits>;
    identityTokenFailures?: RateLimitPolicy;
    database?: string;
    /** A store the test opened itself (special options); the server still closes it. */
    store?: Store;
    /** The certificate and key to serve; default the lab's relay pair (e.g. the CAS's own, for EPA). */
    tls?: { certFile: string; keyFile: string };
    /** Require a PROXY protocol header on every connection (behind HAProxy's send-proxy-v2). */
    proxyProtocol?: boolean;
    /** Turns access tokens on (`--key-encryption-key-file`). */
    keyEncryptionKey?: Uint8Array;
    /** Listen on this port and make it part of the public URL (the tokens' issuer). */
    port?: number;
    clock?: Clock;
  } = {},
): Promise<RelayServer> {
  const dir = await mkdtemp(join(tmpdir(), 'iwa-relay-'));
  const store = options.store ?? (await openStore(options.database ?? `sqlite:${join(dir, 'iwa.db')}`));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const server = await startServer(
    {
      host: '127.0.0.1',
      port: options.port ?? 0,
      publicUrl: new URL(
        `https://${lab.hosts.relay}${options.port === undefined ? '' : `:${options.port}`}/`,
      ),
      tls: options.tls ?? { certFile: lab.tls.relayCertPath, keyFile: lab.tls.relayKeyPath },
      database: 'sqlite:unused',
      resolve: new Map(),
      proxyProtocol: options.proxyProtocol === true,
    },
    {
      store,
      lookup: labLookup,
      logger: loggerOptions('debug', sink),
      relayLimits: { ...TEST_LIMITS, ...options.limits },
      passwordLimits: { perAddress: { burst: 10_000, perMinute: 10_000 }, ...options.passwordLimits },
      ...(options.identityTokenFailures === undefined
        ? {}
        : { identityTokenFailures: options.identityTokenFailures }),
      ...(options.keyEncryptionKey === undefined ? {} : { keyEncryptionKey: options.keyEncryptionKey }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    },
  );
  const port = Number(new URL(server.url).port);
  const origin = `https://${lab.hosts.relay}:${port}`;
  return {
    server,
    store,
    port,
    origin,
    logs,
    iwaUrl: (mailbox) => `${origin}/api/auth/iwa?mailbox=${encodeURIComponent(mailbox)}`,
    async close() {
      await server.shutdown(1_000);
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The lab profile: every corp.test mailbox signs in against the lab CAS. */
export async function createLabProfile(store: Store, lab: LabInfo): Promise<void> {
  await store.profiles.create({
    name: 'lab',
    casUrl: lab.cas.ewsUrl,
    casCa: lab.tls.caCertPem,
    methods: ['iwa', 'identity-token', 'password'],
    domains: ['corp.test'],
  });
}
