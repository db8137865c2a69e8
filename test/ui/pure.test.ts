import { describe, expect, test } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/protocol/errors.ts';
import { classifyHttpFailure, type Failure, type OutcomeCode } from '../../src/addin/api/failure.ts';
import { processResponse } from '../../src/addin/api/client.ts';
import {
  diagnoseResponse,
  methodsResponse,
  signInResponse,
  type MethodsResponse,
} from '../../src/contract/api.ts';
import { classifyAccount } from '../../src/addin/auth/environment.ts';
import {
  METHOD_DEFINITIONS,
  methodDefinition,
  methodStatus,
  silentPlan,
} from '../../src/addin/auth/methods.ts';
import { EXPLANATIONS, explain } from '../../src/addin/auth/outcomes.ts';
import { sessionKey, createSessionStore } from '../../src/addin/auth/session-store.ts';
import {
  initialSignInState,
  isReady,
  sessionOf,
  signInReducer,
} from '../../src/addin/auth/signin-machine.ts';
import { englishCatalogue } from '../../src/addin/i18n/locales.ts';
import { translate } from '../../src/addin/i18n/translate.ts';
import type { HostFacts } from '../../src/addin/office/host.ts';
import { compareVersions } from '../../src/addin/office/host.ts';
import { wizardReducer, initialWizardState } from '../../src/addin/wizard/wizard-machine.ts';

const facts: HostFacts = {
  hostName: 'Outlook',
  hostVersion: '16.0',
  platform: 'PC',
  mailbox: 'alice@corp.test',
  accountType: undefined,
  ewsHost: 'cas.corp.test',
  partitionKey: undefined,
  supportsInsight: true,
  displayLanguage: undefined,
};
const t = translate('en', englishCatalogue);
const allEnabled: MethodsResponse = {
  mailbox: 'alice@corp.test',
  methods: [
    { method: 'iwa' as const, enabled: true },
    { method: 'identity-token' as const, enabled: true },
    { method: 'password' as const, enabled: true },
  ],
};

describe('classifyAccount', () => {
  test.each([
    {
      accountType: 'enterprise',
      ewsHost: 'outlook.office365.com',
      kind: 'on-premises',
      evidence: 'accountType',
    },
    { accountType: 'office365', ewsHost: 'cas.corp.test', kind: 'office365', evidence: 'accountType' },
    { accountType: 'outlookCom', ewsHost: undefined, kind: 'consumer', evidence: 'accountType' },
    { accountType: undefined, ewsHost: 'outlook.office365.com', kind: 'office365', evidence: 'ewsUrl' },
    { accountType: undefined, ewsHost: 'outlook.office365.us', kind: 'office365', evidence: 'ewsUrl' },
    { accountType: undefined, ewsHost: 'partner.outlook.cn', kind: 'office365', evidence: 'ewsUrl' },
    { accountType: undefined, ewsHost: 'cas.corp.test', kind: 'on-premises', evidence: 'ewsUrl' },
    { accountType: undefined, ewsHost: 'notoffice365.com.evil', kind: 'on-premises', evidence: 'ewsUrl' },
    { accountType: undefined, ewsHost: undefined, kind: 'unknown', evidence: 'none' },
  ])('$accountType / $ewsHost → $kind', ({ accountType, ewsHost, kind, evidence }) => {
    expect(classifyAccount({ accountType, ewsHost })).toEqual({ kind, evidence });
  });
});

describe('classifyHttpFailure', () => {
  test.each<{ d: string; status: number; www: string | null; body: unknown; code: OutcomeCode }>([
    {
      d: 'browser did not answer Negotiate',
      status: 401,
      www: 'Negotiate',
      body: undefined,
      code: 'BROWSER_NO_CREDENTIALS',
    },
    {
      d: 'Negotiate with token, lower case',
      status: 401,
      www: 'negotiate abc=',
      body: undefined,
      code: 'BROWSER_NO_CREDENTIALS',
    },
    {
      d: 'final failure: JSON, no header',
      status: 401,
      www: null,
      body: { code: 'AUTH_REJECTED', message: 'x' },
      code: 'AUTH_REJECTED',
    },
    {
      d: 'catalogue code',
      status: 502,
      www: null,
      body: { code: 'CAS_NO_NEGOTIATE', message: 'x' },
      code: 'CAS_NO_NEGOTIATE',
    },
    {
      d: 'unknown code',
      status: 500,
      www: null,
      body: { code: 'WAT', message: 'x' },
      code: 'UNEXPECTED_RESPONSE',
    },
    { d: 'HTML from a proxy', status: 502, www: null, body: undefined, code: 'UNEXPECTED_RESPONSE' },
    { d: 'bare 429', status: 429, www: null, body: undefined, code: 'RATE_LIMITED' },
  ])('$d', ({ status, www, body, code }) => {
    expect(classifyHttpFailure(status, www, body).code).toBe(code);
  });

  test('keeps details but not message or remedy', () => {
    const f = classifyHttpFailure(403, null, {
      code: 'IDENTITY_MISMATCH',
      message: 'm',
      remedy: 'r',
      claimed: 'bob@corp.test',
      proven: 'alice@corp.test',
    });
    expect(f.details).toEqual({ claimed: 'bob@corp.test', proven: 'alice@corp.test' });
  });
});

describe('answers are read with the contract (src/contract/api.ts)', () => {
  const answer = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
  const at = '2030-01-01T00:00:00.000Z';

  test('methods: unknown methods are dropped, order kept; a wrong shape is UNEXPECTED_RESPONSE', async () => {
    const methods = [
      { method: 'password', enabled: true },
      { method: 'smartcard', enabled: true },
      { method: 'iwa', enabled: false },
    ];
    expect(await processResponse(answer({ mailbox: 'a@b', methods }), methodsResponse)).toEqual({
      ok: true,
      value: {
        mailbox: 'a@b',
        methods: [
          { method: 'password', enabled: true },
          { method: 'iwa', enabled: false },
        ],
      },
    });
    expect(await processResponse(answer({ mailbox: 'a@b', methods: 'no' }), methodsResponse)).toEqual({
      ok: false,
      failure: { code: 'UNEXPECTED_RESPONSE', status: 200, details: {} },
    });
  });

  test('sign-in: an identity-token answer has mechanism null; an unknown method is refused', async () => {
    const ok = { token: 't', mailbox: 'a@b', method: 'identity-token', mechanism: null, expiresAt: at };
    expect(await processResponse(answer(ok), signInResponse)).toEqual({ ok: true, value: ok });
    const kerberos = { ...ok, method: 'iwa', mechanism: 'kerberos' };
    expect(await processResponse(answer(kerberos), signInResponse)).toEqual({ ok: true, value: kerberos });
    const magic = await processResponse(answer({ ...ok, method: 'magic' }), signInResponse);
    expect(magic).toMatchObject({ ok: false, failure: { code: 'UNEXPECTED_RESPONSE' } });
    const noExpiry = await processResponse(answer({ ...ok, expiresAt: 'soon' }), signInResponse);
    expect(noExpiry).toMatchObject({ ok: false, failure: { code: 'UNEXPECTED_RESPONSE' } });
  });

  test('diagnose: the public view has no detail; a warned step keeps outcome and remedy', async () => {
    const steps = [
      { name: 'dns', ok: false, remedy: 'r' },
      { name: 'extended-protection', ok: true, warning: true, outcome: 'o', remedy: 'r' },
    ];
    expect(await processResponse(answer({ ok: false, mailbox: 'a@b', steps }), diagnoseResponse)).toEqual({
      ok: true,
      value: { ok: false, mailbox: 'a@b', steps },
    });
  });

  test('an error answer is classified, not parsed', async () => {
    const refused = await processResponse(
      answer({ code: 'AUTH_REJECTED', message: 'm' }, 401),
      signInResponse,
    );
    expect(refused).toEqual({ ok: false, failure: { code: 'AUTH_REJECTED', status: 401, details: {} } });
  });
});

describe('methods', () => {
  test('silent plan: IWA then identity token; password never silent', () => {
    expect(silentPlan(allEnabled, { account: 'on-premises' }).map((d) => d.id)).toEqual([
      'iwa',
      'identity-token',
    ]);
  });
  test('silent plan follows the profile’s order', () => {
    const m: MethodsResponse = {
      mailbox: 'a@b',
      methods: [
        { method: 'password', enabled: true },
        { method: 'identity-token', enabled: true },
        { method: 'iwa', enabled: true },
      ],
    };
    expect(silentPlan(m, { account: 'on-premises' }).map((d) => d.id)).toEqual(['identity-token', 'iwa']);
  });
  test('silent plan skips disabled methods and what cannot work here', () => {
    const m: MethodsResponse = {
      mailbox: 'a@b',
      methods: [
        { method: 'iwa' as const, enabled: false },
        { method: 'identity-token' as const, enabled: true },
      ],
    };
    expect(silentPlan(m, { account: 'on-premises' }).map((d) => d.id)).toEqual(['identity-token']);
    expect(silentPlan(allEnabled, { account: 'office365' })).toEqual([]);
  });
  test('every status', () => {
    const iwa = methodDefinition('iwa');
    const base = {
      methods: allEnabled,
      session: undefined,
      failures: {},
      env: { account: 'on-premises' as const },
    };
    expect(methodStatus(iwa, base).kind).toBe('available');
    expect(
      methodStatus(iwa, {
        ...base,
        session: { token: 't', mailbox: 'a', method: 'iwa', mechanism: null, expiresAt: 'e' },
      }).kind,
    ).toBe('active');
    expect(
      methodStatus(iwa, { ...base, methods: { mailbox: 'a', methods: [{ method: 'iwa', enabled: false }] } })
        .kind,
    ).toBe('not-enabled');
    expect(methodStatus(iwa, { ...base, env: { account: 'office365' } })).toMatchObject({
      kind: 'not-possible',
      reason: 'method.office365.iwa',
    });
    const failure: Failure = { code: 'AUTH_REJECTED', details: {} };
    expect(methodStatus(iwa, { ...base, failures: { iwa: failure } })).toEqual({ kind: 'failed', failure });
  });
  test('definitions are unique and each has a way to fix', () => {
    const ids = METHOD_DEFINITIONS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of METHOD_DEFINITIONS)
      expect(d.fix.kind === 'form' || typeof d.fix.run === 'function').toBe(true);
  });
});

describe('explanations', () => {
  const ctx = { mailbox: 'bob@corp.test', site: 'iwa.corp.test' };
  const required: OutcomeCode[] = [
    'CAS_NO_NEGOTIATE',
    'AUTH_REJECTED',
    'EXTENDED_PROTECTION_SUSPECTED',
    'IDENTITY_MISMATCH',
    'CAS_UNREACHABLE',
    'CAS_TLS_UNTRUSTED',
    'PROFILE_NOT_FOUND',
    'METHOD_DISABLED',
    'RATE_LIMITED',
    'HANDSHAKE_INVALID',
    'BROWSER_NO_CREDENTIALS',
    'NETWORK_FAILURE',
    'OFFICE_365',
    'IDENTITY_TOKEN_UNBOUND',
  ];
  test.each(required)('%s has its own explanation', (code) => {
    expect(EXPLANATIONS[code]).toBeDefined();
    const e = explain({ code, details: {} }, ctx, t);
    expect(e.title).not.toBe('Something went wrong');
    expect(e.what.length).toBeGreaterThan(10);
    expect(e.next.length).toBeGreaterThan(10);
  });
  test('identity mismatch names both mailboxes', () => {
    const e = explain(
      { code: 'IDENTITY_MISMATCH', details: { claimed: 'bob@corp.test', proven: 'alice@corp.test' } },
      ctx,
      t,
    );
    expect(e.what).toContain('alice@corp.test');
    expect(e.what).toContain('bob@corp.test');
    expect(e.who).toBe('you');
  });
  test('no Windows credentials points at the Local intranet zone and AuthServerAllowlist for our host', () => {
    const e = explain({ code: 'BROWSER_NO_CREDENTIALS', details: {} }, ctx, t);
    expect(e.next).toMatch(/Local intranet/);
    expect(e.next).toMatch(/AuthServerAllowlist/);
    expect(e.next).toContain('iwa.corp.test');
    expect(e.who).toBe('admin');
  });
  test('unknown codes (a newer server) get a generic text naming the code', () => {
    const e = explain({ code: 'SOME_FUTURE_CODE' as OutcomeCode, details: {} }, ctx, t);
    expect(e.title).toBe('Something went wrong');
    expect(e.next).toContain('SOME_FUTURE_CODE');
  });
  test.each(Object.keys(ERRORS) as ErrorCode[])(
    'server catalogue code %s has its own explanation and remedy',
    (code) => {
      const e = explain({ code, details: {} }, ctx, t);
      expect(e.title).not.toBe('Something went wrong');
      expect(e.next).not.toContain(code);
    },
  );
});

describe('start-up reducer', () => {
  const ready = signInReducer(initialSignInState, { type: 'office-ready', facts });
  const rejected = { code: 'AUTH_REJECTED', details: {} } as const;

  test('waiting for Office → session → methods → iwa → signed in', () => {
    expect(initialSignInState).toEqual({ phase: 'waiting-for-office' });
    let s = ready;
    expect(s).toMatchObject({ phase: 'starting', step: 'session', facts, launchedForHelp: false });
    s = signInReducer(s, { type: 'methods-loading' });
    expect(s).toMatchObject({ phase: 'starting', step: 'methods' });
    s = signInReducer(s, { type: 'methods-loaded', methods: allEnabled });
    s = signInReducer(s, { type: 'attempt', method: 'iwa' });
    expect(s).toMatchObject({ phase: 'starting', step: 'iwa' });
    s = signInReducer(s, { type: 'attempt-failed', method: 'iwa', failure: rejected });
    s = signInReducer(s, { type: 'attempt', method: 'identity-token' });
    const session = {
      token: 't',
      mailbox: 'alice@corp.test',
      method: 'identity-token' as const,
      mechanism: null,
      expiresAt: 'e',
    };
    s = signInReducer(s, { type: 'signed-in', session });
    // Only the signed-in phase carries a session, and it carries no step or failure.
    expect(s).toEqual({
      phase: 'signed-in',
      session,
      facts,
      launchedForHelp: false,
      methods: allEnabled,
      failures: { iwa: rejected },
    });
    expect(sessionOf(s)).toBe(session);
  });
  test('signing in with a method clears that method’s failure', () => {
    let s = signInReducer(ready, { type: 'attempt-failed', method: 'iwa', failure: rejected });
    expect(isReady(s) && s.failures.iwa).toEqual(rejected);
    s = signInReducer(s, {
      type: 'signed-in',
      session: { token: 't', mailbox: 'a', method: 'iwa', mechanism: null, expiresAt: 'e' },
    });
    expect(isReady(s) && s.failures.iwa).toBeUndefined();
  });
  test('office failure, silent failure, sign out: each phase keeps only its own facts', () => {
    expect(
      signInReducer(initialSignInState, { type: 'office-failed', code: -2, name: 'NotInOutlook' }),
    ).toEqual({
      phase: 'host-error',
      hostError: { code: -2, name: 'NotInOutlook' },
    });
    const failed = signInReducer(ready, { type: 'silent-failed', failure: rejected });
    expect(failed).toMatchObject({ phase: 'failed', failure: rejected });
    expect(failed).not.toHaveProperty('step');
    const out = signInReducer(failed, { type: 'signed-out' });
    expect(out.phase).toBe('signed-out');
    expect(out).not.toHaveProperty('failure');
    expect(sessionOf(out)).toBeUndefined();
  });
  test('events that need Office’s facts are ignored before Office answers', () => {
    expect(signInReducer(initialSignInState, { type: 'silent-failed', failure: rejected })).toBe(
      initialSignInState,
    );
    expect(signInReducer(initialSignInState, { type: 'attempt', method: 'iwa' })).toBe(initialSignInState);
  });
});

describe('wizard reducer', () => {
  test.each([
    { account: 'office365' as const, methods: allEnabled, failure: undefined, expected: 'OFFICE_365' },
    {
      account: 'on-premises' as const,
      methods: undefined,
      failure: { code: 'PROFILE_NOT_FOUND' as const, details: {} },
      expected: 'PROFILE_NOT_FOUND',
    },
    {
      account: 'on-premises' as const,
      methods: { mailbox: 'a', methods: [{ method: 'iwa' as const, enabled: false }] },
      failure: undefined,
      expected: 'METHOD_DISABLED',
    },
  ])('IWA skipped: $expected', ({ account, methods, failure, expected }) => {
    const s = wizardReducer(initialWizardState, { type: 'setup-checked', account, methods, failure });
    expect(s.iwa).toMatchObject({ status: 'skipped', failure: { code: expected } });
  });
  test('IWA ready when enabled on premises', () => {
    expect(
      wizardReducer(initialWizardState, {
        type: 'setup-checked',
        account: 'on-premises',
        methods: allEnabled,
      }).iwa.status,
    ).toBe('ready');
  });
});

describe('session store', () => {
  test('key includes the partition key', () => {
    expect(sessionKey(undefined)).toBe('outlook-iwa.session');
    expect(sessionKey('pk1')).toBe('pk1/outlook-iwa.session');
  });
  test('round trip through sessionStorage, partitions kept apart, garbage ignored', () => {
    const s = {
      token: 't',
      mailbox: 'a@b',
      method: 'iwa' as const,
      mechanism: 'ntlm' as const,
      expiresAt: '2030-01-01T00:00:00Z',
    };
    createSessionStore(sessionStorage, 'p1').save(s);
    expect(createSessionStore(sessionStorage, 'p1').load()).toEqual(s);
    expect(createSessionStore(sessionStorage, 'p2').load()).toBeUndefined();
    sessionStorage.setItem(sessionKey('p3'), '{not json');
    expect(createSessionStore(sessionStorage, 'p3').load()).toBeUndefined();
  });
  test('a blocked sessionStorage leaves the session in that store only', () => {
    const blocked = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    } as unknown as Storage;
    const s = {
      token: 't',
      mailbox: 'a@b',
      method: 'iwa' as const,
      mechanism: null,
      expiresAt: '2030-01-01T00:00:00Z',
    };
    const store = createSessionStore(blocked, 'p4');
    store.save(s);
    expect(store.load()).toEqual(s);
    expect(createSessionStore(blocked, 'p4').load()).toBeUndefined();
    store.clear();
    expect(store.load()).toBeUndefined();
  });
});

test('compareVersions is numeric', () => {
  expect(compareVersions('1.10', '1.3')).toBeGreaterThan(0);
  expect(compareVersions('1.3', '1.3.0')).toBe(0);
  expect(compareVersions('1.5', '1.6')).toBeLessThan(0);
});

test('theme: the Office theme wins over prefers-color-scheme', async () => {
  const { renderHook } = await import('@testing-library/react');
  const { webDarkTheme, webLightTheme } = await import('@fluentui/react-components');
  const { usePaneTheme } = await import('../../src/addin/theme/usePaneTheme.ts');
  expect(renderHook(() => usePaneTheme({ isDark: true })).result.current).toBe(webDarkTheme);
  expect(renderHook(() => usePaneTheme({ isDark: false })).result.current).toBe(webLightTheme);
  // jsdom's (stubbed) matchMedia says light
  expect(renderHook(() => usePaneTheme(undefined)).result.current).toBe(webLightTheme);
});
