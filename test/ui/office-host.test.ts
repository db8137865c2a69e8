import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { afterEach, describe, expect, test } from 'vitest';
import { OfficeError, OfficeErrorCodes } from '../../src/addin/office/host.ts';
import { createOfficeJsHost } from '../../src/addin/office/office-js-host.ts';
import { officeCall } from '../../src/addin/office/promisify.ts';
import { createFakeOfficeHost } from '../../src/addin/office/fake-host.ts';

const FAKE = readFileSync(join(process.cwd(), 'public-dev/office-fake.js'), 'utf8');

interface FakeRecord {
  notifications: Record<
    string,
    {
      type: string;
      message: string;
      actions?: { actionType: string; commandId: string; contextData: unknown; actionText: string }[];
    }
  >;
  calls: { op: string; key?: string }[];
}
interface FakeWindow {
  __OFFICE_FAKE__?: Record<string, string>;
  __officeFake: FakeRecord;
  Office?: typeof Office;
}

/** Loads public-dev/office-fake.js as the browser would, with the given configuration. */
function loadOfficeFake(config: Record<string, string> = {}) {
  const w = globalThis as unknown as FakeWindow;
  w.__OFFICE_FAKE__ = config;
  runInThisContext(FAKE);
  if (!w.Office) throw new Error('office-fake.js did not define Office');
  return { office: w.Office, record: w.__officeFake };
}

afterEach(() => {
  const w = globalThis as unknown as FakeWindow;
  delete w.Office;
  delete w.__OFFICE_FAKE__;
});

describe('real Office.js adapter over public-dev/office-fake.js', () => {
  test('ready() reads the host facts; alice by default', async () => {
    const { office } = loadOfficeFake();
    const facts = await createOfficeJsHost(office).ready();
    expect(facts).toEqual({
      hostName: 'OutlookWebApp',
      hostVersion: '15.20.0.0',
      platform: 'OfficeOnline',
      mailbox: 'alice@corp.test',
      accountType: undefined,
      ewsHost: 'cas.corp.test',
      partitionKey: undefined,
      supportsInsight: true,
      displayLanguage: 'en-US',
    });
  });

  test('the adapter reads Office.context.displayLanguage; absent or empty is undefined', async () => {
    const { office } = loadOfficeFake({ fakeDisplayLanguage: 'ar-SA' });
    expect((await createOfficeJsHost(office).ready()).displayLanguage).toBe('ar-SA');
    const { office: blank } = loadOfficeFake({ fakeDisplayLanguage: '' });
    expect((await createOfficeJsHost(blank).ready()).displayLanguage).toBeUndefined();
  });

  test('mailbox, account type, partition key and theme are configurable', async () => {
    const { office } = loadOfficeFake({
      fakeMailbox: 'bob@corp.test',
      fakeAccountType: 'enterprise',
      fakePartitionKey: 'pk-1',
      fakeTheme: 'dark',
      fakeMailboxSet: '1.14',
    });
    const host = createOfficeJsHost(office);
    const facts = await host.ready();
    expect(facts).toMatchObject({
      mailbox: 'bob@corp.test',
      accountType: 'enterprise',
      partitionKey: 'pk-1',
    });
    expect(host.theme()).toEqual({ isDark: true });
    expect(host.isSetSupported('Mailbox', '1.14')).toBe(true);
    expect(host.isSetSupported('Mailbox', '1.15')).toBe(false);
  });

  test('accountType is ignored below Mailbox 1.6 (ewsUrl decides instead)', async () => {
    const { office } = loadOfficeFake({
      fakeAccountType: 'office365',
      fakeMailboxSet: '1.5',
      fakeEwsUrl: 'https://outlook.office365.com/EWS/Exchange.asmx',
    });
    const facts = await createOfficeJsHost(office).ready();
    expect(facts.accountType).toBeUndefined();
    expect(facts.ewsHost).toBe('outlook.office365.com');
    expect(facts.supportsInsight).toBe(false);
  });

  test('notifications are replaced by key, not stacked; the insight action opens our pane', async () => {
    const { office, record } = loadOfficeFake();
    const host = createOfficeJsHost(office);
    await host.replaceNotification('k', { kind: 'informational', message: 'one' });
    await host.replaceNotification('k', {
      kind: 'insight',
      message: 'two',
      actionText: 'Fix sign-in',
      contextData: '{"view":"wizard"}',
    });
    expect(Object.keys(record.notifications)).toEqual(['k']);
    expect(record.notifications.k).toMatchObject({
      type: 'insightMessage',
      message: 'two',
      actions: [
        {
          actionType: 'showTaskPane',
          actionText: 'Fix sign-in',
          commandId: 'OutlookIwa.Read.OpenPane',
          contextData: '{"view":"wizard"}',
        },
      ],
    });
    await host.removeNotification('k');
    expect(record.notifications).toEqual({});
  });

  test('a failed callback rejects with a typed OfficeError carrying code and name', async () => {
    const { office } = loadOfficeFake({ fakeMailboxSet: '1.5' });
    const host = createOfficeJsHost(office);
    const err = await host
      .replaceNotification('k', { kind: 'insight', message: 'm', actionText: 'a', contextData: 'c' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfficeError);
    expect(err).toMatchObject({
      code: 9041,
      officeName: 'InvalidNotificationType',
      operation: 'notificationMessages.replaceAsync',
    });
    const tokenErr = await host.identityToken().catch((e: unknown) => e);
    expect(tokenErr).toMatchObject({ code: 9017, officeName: 'GenericTokenError' });
  });

  test('identity token and launch context', async () => {
    const { office } = loadOfficeFake({
      fakeIdentityToken: 'id-token',
      fakeLaunchContext: '{"view":"wizard"}',
    });
    const host = createOfficeJsHost(office);
    await expect(host.identityToken()).resolves.toBe('id-token');
    await expect(host.launchContext()).resolves.toBe('{"view":"wizard"}');
  });

  test('without office.js, ready() rejects with NotLoaded', async () => {
    await expect(createOfficeJsHost(undefined).ready()).rejects.toMatchObject({
      code: OfficeErrorCodes.notLoaded,
    });
  });

  test('a host that never becomes ready times out', async () => {
    const office = { onReady: () => new Promise(() => undefined), context: {} } as unknown as typeof Office;
    await expect(createOfficeJsHost(office, { readyTimeoutMs: 20 }).ready()).rejects.toMatchObject({
      code: OfficeErrorCodes.timeout,
    });
  });
});

describe('officeCall', () => {
  test('a synchronous throw becomes an OfficeError', async () => {
    await expect(
      officeCall('x', () => {
        throw new TypeError('nope');
      }),
    ).rejects.toMatchObject({ name: 'OfficeError', code: OfficeErrorCodes.threw, officeName: 'TypeError' });
  });
});

describe('fake host', () => {
  test('records calls and keeps one notification per key', async () => {
    const host = createFakeOfficeHost({ sets: { Mailbox: '1.10' } });
    await host.replaceNotification('k', { kind: 'informational', message: 'a' });
    await host.replaceNotification('k', { kind: 'informational', message: 'b' });
    expect(host.notifications.size).toBe(1);
    expect(host.calls.filter((c) => c.op === 'replaceNotification')).toHaveLength(2);
  });
});
