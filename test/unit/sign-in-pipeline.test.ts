/**
 * The one sign-in pipeline (src/backend/sign-in/pipeline.ts): the shared steps of every method,
 * and through the app, that every method's outcome reaches `/metrics` labelled by method and
 * gets the same reply headers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/backend/app.ts';
import type { AuditEntry, Profile } from '../../src/backend/domain.ts';
import { SignInPipeline, errorReply, type SignInStore } from '../../src/backend/sign-in/pipeline.ts';
import { openStore } from '../../src/backend/storage/index.ts';
import type { Store } from '../../src/backend/storage/types.ts';
import { IwaError } from '../../src/protocol/errors.ts';
import { CAS_URL } from '../db/fixtures.ts';
import { fakeClock } from '../db/helpers.ts';

const LAB: Profile = {
  name: 'lab',
  description: '',
  methods: ['iwa'],
  casUrl: CAS_URL,
  casCa: null,
  sessionTtlSeconds: 3600,
  idleTtlSeconds: 600,
  isDefault: true,
  domains: [],
  mailboxes: [],
  precedence: 0,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

function fakePipeline(over: Partial<SignInStore> = {}) {
  const audits: AuditEntry[] = [];
  const outcomes: string[] = [];
  const internal: unknown[] = [];
  const clock = fakeClock();
  const pipeline = new SignInPipeline({
    clock,
    metrics: { outcome: (method, reason) => outcomes.push(`${method} ${reason}`) },
    onInternalError: (err) => internal.push(err),
    store: {
      effectiveProfile: (mailbox) =>
        Promise.resolve(
          mailbox.endsWith('@corp.test') ? { profile: LAB, match: 'default', reason: 'test' } : null,
        ),
      succeeded: (session, audit) => {
        audits.push(audit);
        const at = clock.now();
        return Promise.resolve({
          token: 'id.secret',
          session: {
            id: 'id',
            mailbox: session.mailbox,
            method: session.method,
            mechanism: session.mechanism,
            profile: session.profile.name,
            createdAt: at,
            lastSeenAt: at,
            expiresAt: new Date(at.getTime() + 3600_000),
            idleExpiresAt: new Date(at.getTime() + 600_000),
          },
        });
      },
      audit: (entry) => {
        audits.push(entry);
        return Promise.resolve();
      },
      ...over,
    },
  });
  return { pipeline, audits, outcomes, internal };
}

describe('SignInPipeline', () => {
  it('gates on the effective profile and its methods', async () => {
    const { pipeline } = fakePipeline();
    expect((await pipeline.profile('alice@corp.test', 'iwa')).name).toBe('lab');
    await expect(pipeline.profile('eve@else.test', 'iwa')).rejects.toMatchObject({
      code: 'PROFILE_NOT_FOUND',
    });
    await expect(pipeline.profile('alice@corp.test', 'password')).rejects.toMatchObject({
      code: 'METHOD_DISABLED',
      details: { method: 'password', profile: 'lab' },
    });
  });

  it('a success: one OK row with the session, one outcome, a 200 that no one may cache', async () => {
    const t = fakePipeline();
    const reply = await t.pipeline.succeed(
      {
        method: 'iwa',
        clientAddress: '192.0.2.1',
        claimed: 'alice@corp.test',
        mailbox: 'alice@corp.test',
        mechanism: 'ntlm',
        profile: LAB,
        account: 'CORP\\alice',
      },
      { 'www-authenticate': 'Negotiate oQ==' },
    );
    expect(reply).toEqual({
      status: 200,
      headers: { 'www-authenticate': 'Negotiate oQ==', 'cache-control': 'no-store' },
      body: {
        token: 'id.secret',
        mailbox: 'alice@corp.test',
        method: 'iwa',
        mechanism: 'ntlm',
        expiresAt: '2030-01-01T10:00:00.000Z',
      },
    });
    expect(t.audits).toEqual([
      expect.objectContaining({
        outcome: 'success',
        reason: 'OK',
        provenMailbox: 'alice@corp.test',
        account: 'CORP\\alice',
      }),
    ]);
    expect(t.outcomes).toEqual(['iwa OK']);
  });

  it('a failure: its code in the row and the counter, the proven mailbox kept, Retry-After from the details', async () => {
    const t = fakePipeline();
    const attempt = {
      method: 'password',
      clientAddress: '192.0.2.1',
      claimed: 'alice@corp.test',
      mechanism: 'ntlm',
      profile: 'lab',
    } as const;
    const limited = await t.pipeline.fail(new IwaError('RATE_LIMITED', { retryAfterSeconds: 30 }), attempt);
    expect(limited.status).toBe(429);
    expect(limited.headers).toEqual({ 'cache-control': 'no-store', 'retry-after': '30' });
    await t.pipeline.fail(new IwaError('IDENTITY_MISMATCH', { proven: 'bob@corp.test' }), attempt);
    expect(t.audits.map((a) => [a.reason, a.outcome, a.provenMailbox])).toEqual([
      ['RATE_LIMITED', 'failure', null],
      ['IDENTITY_MISMATCH', 'failure', 'bob@corp.test'],
    ]);
    expect(t.outcomes).toEqual(['password RATE_LIMITED', 'password IDENTITY_MISMATCH']);
  });

  it('anything but a catalogue error is reported and answered INTERNAL, without its message', async () => {
    const t = fakePipeline();
    const reply = await t.pipeline.fail(new Error('secret detail'), {
      method: 'identity-token',
      clientAddress: '192.0.2.1',
      claimed: null,
      mechanism: null,
      profile: null,
    });
    expect(reply.status).toBe(500);
    expect(JSON.stringify(reply)).not.toContain('secret detail');
    expect(t.internal).toHaveLength(1);
    expect(t.audits[0]?.reason).toBe('INTERNAL');
  });

  it('an audit row that cannot be written does not change the answer; it is reported', async () => {
    const t = fakePipeline({ audit: () => Promise.reject(new IwaError('DATABASE_UNAVAILABLE')) });
    await t.pipeline.record('HANDSHAKE_ABANDONED', {
      method: 'iwa',
      clientAddress: '192.0.2.1',
      claimed: 'alice@corp.test',
      mechanism: null,
      profile: 'lab',
    });
    expect(t.outcomes).toEqual(['iwa HANDSHAKE_ABANDONED']);
    expect(t.internal).toEqual([expect.objectContaining({ code: 'DATABASE_UNAVAILABLE' })]);
  });

  it('the NEGOTIATE continuation is a catalogue body with its own headers', () => {
    expect(errorReply(new IwaError('NEGOTIATE'), { 'www-authenticate': 'Negotiate' })).toEqual({
      status: 401,
      headers: { 'www-authenticate': 'Negotiate', 'cache-control': 'no-store' },
      body: { code: 'NEGOTIATE', message: 'Continue the Negotiate handshake.' },
    });
  });
});

describe('every method through the app', () => {
  const addinDir = mkdtempSync(join(tmpdir(), 'outlook-iwa-pipeline-'));
  let store: Store;
  let app: FastifyInstance;
  afterAll(() => {
    rmSync(addinDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    store = await openStore('sqlite::memory:', { clock: fakeClock() });
    app = await buildApp({ store, addinDir });
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  it('password and identity-token outcomes reach /metrics labelled by method, and are audited', async () => {
    // No profile: refused before any CAS is contacted.
    const password = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { mailbox: 'alice@corp.test', username: 'CORP\\alice', password: 'x' },
    });
    expect(password.statusCode).toBe(404);
    expect(password.json()).toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    expect(password.headers['cache-control']).toBe('no-store');
    const token = await app.inject({
      method: 'POST',
      url: '/api/auth/identity-token',
      payload: { token: 'not.a.jwt' },
    });
    expect(token.statusCode).toBe(401);
    expect(token.json()).toMatchObject({ code: 'IDENTITY_TOKEN_INVALID' });
    expect(token.headers['cache-control']).toBe('no-store');

    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /^outlook_iwa_signin_outcomes_total\{method="password",code="PROFILE_NOT_FOUND"\} 1$/m,
    );
    expect(metrics).toMatch(
      /^outlook_iwa_signin_outcomes_total\{method="identity-token",code="IDENTITY_TOKEN_INVALID"\} 1$/m,
    );
    expect((await store.audit.query()).map((a) => [a.method, a.reason])).toEqual([
      ['identity-token', 'IDENTITY_TOKEN_INVALID'],
      ['password', 'PROFILE_NOT_FOUND'],
    ]);
  });

  it('a body that fails the contract is INPUT_INVALID naming the field, not cached, not audited', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/auth/identity-token', payload: { token: '' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({
      code: 'INPUT_INVALID',
      message: 'Invalid token: is required.',
      field: 'token',
      problem: 'is required',
    });
    expect(r.headers['cache-control']).toBe('no-store');
    expect(await store.audit.query()).toEqual([]);
  });
});
