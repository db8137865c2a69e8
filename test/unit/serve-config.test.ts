/**
 * `serve` settings that protect an exposed server: the defaults are what the admin guide
 * promises, and they reach the Node server.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/backend/app.ts';
import { inlineScriptHashes } from '../../src/backend/security-headers.ts';
import {
  DEFAULT_AUDIT_RETENTION_DAYS,
  DEFAULT_CONNECTION_LIMITS,
  headerCheckIntervalMs,
  parseServeConfig,
} from '../../src/backend/config.ts';
import { openStore } from '../../src/backend/storage/index.ts';
import { IwaError } from '../../src/protocol/errors.ts';

const addinDir = mkdtempSync(join(tmpdir(), 'outlook-iwa-addin-'));
afterAll(() => {
  rmSync(addinDir, { recursive: true, force: true });
});

const flags = { host: '127.0.0.1', port: '8443', database: 'sqlite::memory:' };

describe('serve defaults', () => {
  it('a client that trickles its headers is cut off within 30 s: timeout plus Node check interval', () => {
    const config = parseServeConfig(flags, {});
    const limits = { ...DEFAULT_CONNECTION_LIMITS, ...config.connections };
    expect(limits).toEqual(DEFAULT_CONNECTION_LIMITS);
    expect(limits.headerTimeoutMs + headerCheckIntervalMs(limits)).toBeLessThanOrEqual(30_000);
    expect(config.proxyProtocol).toBe(false);
    expect(config.auditRetentionDays).toBe(DEFAULT_AUDIT_RETENTION_DAYS);
  });

  it('the limits reach the Node server, default and configured', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      for (const connections of [
        DEFAULT_CONNECTION_LIMITS,
        parseServeConfig({
          ...flags,
          headerTimeout: '1000',
          requestTimeout: '2000',
          keepAliveTimeout: '3000',
        }).connections,
      ]) {
        const app = await buildApp({
          store,
          addinDir,
          ...(connections === undefined ? {} : { connections }),
        });
        const server = app.server;
        expect({
          headers: server.headersTimeout,
          request: server.requestTimeout,
          keepAlive: server.keepAliveTimeout,
        }).toEqual({
          headers: connections?.headerTimeoutMs,
          request: connections?.requestTimeoutMs,
          keepAlive: connections?.keepAliveTimeoutMs,
        });
        await app.close();
      }
    } finally {
      await store.close();
    }
  });

  it('NODE_ENV=production without a certificate is refused with TLS_CERT_REQUIRED', () => {
    let error: unknown;
    try {
      parseServeConfig(flags, { nodeEnv: 'production' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(IwaError);
    expect((error as IwaError).code).toBe('TLS_CERT_REQUIRED');
    expect(() => parseServeConfig(flags, { nodeEnv: 'development' })).not.toThrow();
  });

  it('--admin-listen and --owa-origin are checked', () => {
    expect(parseServeConfig({ ...flags, adminListen: '[::1]:9443' }, {}).adminListen).toEqual({
      host: '::1',
      port: 9443,
    });
    expect(() => parseServeConfig({ ...flags, adminListen: '127.0.0.1:0' }, {})).toThrow(/--admin-listen/);
    expect(parseServeConfig({ ...flags, owaOrigin: 'https://mail.corp.test/' }, {}).owaOrigin).toBe(
      'https://mail.corp.test',
    );
    expect(() => parseServeConfig({ ...flags, owaOrigin: 'https://mail.corp.test/owa' }, {})).toThrow(
      /--owa-origin/,
    );
  });

  it('--probe-rate-limit reaches the config, and only a whole number of at least 1 does', () => {
    expect(parseServeConfig(flags, {}).probeRateLimit).toBeUndefined();
    expect(parseServeConfig({ ...flags, probeRateLimit: '5' }, {}).probeRateLimit).toBe(5);
    for (const bad of ['0', '-1', '2.5', 'many']) {
      expect(() => parseServeConfig({ ...flags, probeRateLimit: bad }, {})).toThrow(/--probe-rate-limit/);
    }
  });
});

describe('the pane CSP', () => {
  it("allows exactly the pane's inline scripts by hash, not external or module ones", () => {
    const dir = mkdtempSync(join(tmpdir(), 'outlook-iwa-csp-'));
    try {
      expect(inlineScriptHashes(dir)).toEqual([]);
      const legacy = '\n  (function () { window.x = 1; })();\n';
      writeFileSync(
        join(dir, 'index.html'),
        `<script src="/office-js/office.js"></script><script>${legacy}</script><script type="module" src="/a.js"></script>`,
      );
      const hash = createHash('sha256').update(legacy).digest('base64');
      expect(inlineScriptHashes(dir)).toEqual([`'sha256-${hash}'`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
