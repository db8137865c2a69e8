import {
  hostOf,
  OfficeError,
  OfficeErrorCodes,
  type HostFacts,
  type HostTheme,
  type ItemNotification,
  type OfficeHost,
} from './host.ts';
import { MANIFEST_IDS } from './manifest-ids.ts';
import { officeCall } from './promisify.ts';

type OfficeNamespace = typeof Office;

const textOf = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export interface OfficeJsHostOptions {
  /** How long to wait for `Office.onReady` before giving up (ms). */
  readonly readyTimeoutMs?: number;
}

/**
 * The real adapter: {@link OfficeHost} over the `Office` global of office.js.
 * `office` is injectable so tests can run this adapter against `public-dev/office-fake.js`.
 */
export function createOfficeJsHost(
  office: OfficeNamespace | undefined = (globalThis as { Office?: OfficeNamespace }).Office,
  options: OfficeJsHostOptions = {},
): OfficeHost {
  const timeoutMs = options.readyTimeoutMs ?? 20_000;

  function need(): OfficeNamespace {
    if (!office) throw new OfficeError('Office', OfficeErrorCodes.notLoaded, 'NotLoaded');
    return office;
  }
  function mailbox(): Office.Mailbox {
    const m = need().context.mailbox as Office.Mailbox | undefined;
    if (!m) throw new OfficeError('Office.context.mailbox', OfficeErrorCodes.notInOutlook, 'NotInOutlook');
    return m;
  }
  function item(): Office.MessageRead | Office.MessageCompose | undefined {
    return mailbox().item ?? undefined;
  }
  function isSetSupported(name: string, version: string): boolean {
    try {
      return need().context.requirements.isSetSupported(name, version);
    } catch {
      return false;
    }
  }
  function account(): { accountType: string | undefined; ewsHost: string | undefined } {
    const m = mailbox();
    let accountType: string | undefined;
    if (isSetSupported('Mailbox', '1.6')) {
      const t = (m.userProfile as { accountType?: unknown }).accountType;
      accountType = typeof t === 'string' && t !== '' ? t : undefined;
    }
    let ewsHost: string | undefined;
    try {
      ewsHost = hostOf((m as { ewsUrl?: string }).ewsUrl);
    } catch {
      ewsHost = undefined;
    }
    return { accountType, ewsHost };
  }
  function partitionKey(): string | undefined {
    const k = (need().context as { partitionKey?: unknown }).partitionKey;
    return typeof k === 'string' && k !== '' ? k : undefined;
  }

  return {
    async ready(): Promise<HostFacts> {
      const o = need();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new OfficeError('Office.onReady', OfficeErrorCodes.timeout, 'Timeout'));
        }, timeoutMs);
      });
      let info: { host: unknown; platform: unknown };
      try {
        info = await Promise.race([o.onReady(), timeout]);
      } finally {
        clearTimeout(timer);
      }
      const m = mailbox();
      const diag = (m as { diagnostics?: Partial<Office.Diagnostics> }).diagnostics;
      const ctxDiag = (o.context as { diagnostics?: Partial<Office.ContextInformation> }).diagnostics;
      const { accountType, ewsHost } = account();
      return {
        hostName: textOf(diag?.hostName) ?? textOf(ctxDiag?.host) ?? textOf(info.host) ?? 'unknown',
        hostVersion: textOf(diag?.hostVersion) ?? textOf(ctxDiag?.version) ?? 'unknown',
        platform: textOf(ctxDiag?.platform) ?? textOf(info.platform) ?? 'unknown',
        mailbox: m.userProfile.emailAddress,
        accountType,
        ewsHost,
        partitionKey: partitionKey(),
        supportsInsight: isSetSupported('Mailbox', '1.10'),
        displayLanguage: textOf((o.context as { displayLanguage?: unknown }).displayLanguage),
      };
    },

    isSetSupported,
    mailboxAddress: () => mailbox().userProfile.emailAddress,
    account,
    partitionKey,

    replaceNotification(key: string, n: ItemNotification): Promise<void> {
      const it = item();
      if (!it) {
        return Promise.reject(new OfficeError('replaceAsync', OfficeErrorCodes.noItem, 'NoItem'));
      }
      const types = need().MailboxEnums.ItemNotificationMessageType;
      let details: Office.NotificationMessageDetails;
      if (n.kind === 'informational') {
        details = {
          type: types.InformationalMessage,
          message: n.message.slice(0, 150),
          icon: MANIFEST_IDS.notificationIcon,
          persistent: false,
        };
      } else {
        const compose = (it as { itemId?: unknown }).itemId === undefined;
        details = {
          type: types.InsightMessage,
          message: n.message.slice(0, 150),
          icon: MANIFEST_IDS.notificationIcon,
          actions: [
            {
              actionType: need().MailboxEnums.ActionType.ShowTaskPane,
              actionText: n.actionText,
              commandId: compose ? MANIFEST_IDS.taskPaneCommandCompose : MANIFEST_IDS.taskPaneCommandRead,
              contextData: n.contextData,
            },
          ],
        };
      }
      return officeCall<unknown>('notificationMessages.replaceAsync', (cb) => {
        it.notificationMessages.replaceAsync(key, details, cb);
      }).then(() => undefined);
    },

    removeNotification(key: string): Promise<void> {
      const it = item();
      if (!it) return Promise.resolve();
      return officeCall<unknown>('notificationMessages.removeAsync', (cb) => {
        it.notificationMessages.removeAsync(key, cb);
      }).then(() => undefined);
    },

    identityToken(): Promise<string> {
      const m = mailbox();
      return officeCall<string>('getUserIdentityTokenAsync', (cb) => {
        m.getUserIdentityTokenAsync(cb);
      });
    },

    theme(): HostTheme | undefined {
      const t = (need().context as { officeTheme?: Partial<Office.OfficeTheme> }).officeTheme;
      if (!t || typeof t.isDarkTheme !== 'boolean') return undefined;
      return { isDark: t.isDarkTheme };
    },

    async launchContext(): Promise<string | undefined> {
      const it = item() as {
        getInitializationContextAsync?: Office.MessageRead['getInitializationContextAsync'];
      };
      if (!isSetSupported('Mailbox', '1.8') || typeof it.getInitializationContextAsync !== 'function') {
        return undefined;
      }
      const get = it.getInitializationContextAsync.bind(it);
      try {
        const value = await officeCall<string>('getInitializationContextAsync', (cb) => {
          get(cb);
        });
        return value === '' ? undefined : value;
      } catch {
        return undefined;
      }
    },
  };
}
