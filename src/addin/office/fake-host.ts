import {
  compareVersions,
  hostOf,
  OfficeError,
  OfficeErrorCodes,
  type HostFacts,
  type HostTheme,
  type ItemNotification,
  type OfficeHost,
} from './host.ts';

export interface FakeOfficeHostOptions {
  readonly mailbox?: string;
  /** `userProfile.accountType`; omit to simulate a client without Mailbox 1.6's property. */
  readonly accountType?: string;
  readonly ewsUrl?: string;
  readonly partitionKey?: string;
  readonly hostName?: string;
  readonly hostVersion?: string;
  readonly platform?: string;
  /** Highest supported version per requirement set; default `{ Mailbox: '1.10' }`. */
  readonly sets?: Readonly<Record<string, string>>;
  /** The identity token to hand out, or an error to fail with; default: fails (unsupported). */
  readonly identityToken?: string | OfficeError;
  readonly theme?: HostTheme;
  /** `Office.context.displayLanguage`, e.g. `de-DE`; omit for a client that does not say. */
  readonly displayLanguage?: string;
  /** Make `ready()` fail, e.g. to simulate opening the page outside Outlook. */
  readonly readyError?: OfficeError;
  /** Delay before `ready()` resolves (ms). */
  readonly readyDelayMs?: number;
  /** The `contextData` the pane was launched with. */
  readonly launchContext?: string;
  /** Whether there is a current item (notifications need one). Default true. */
  readonly hasItem?: boolean;
  /** Refuse `InsightMessage` even with Mailbox 1.10 (new Outlook allows actions in compose mode only). */
  readonly refuseInsight?: boolean;
}

/** What the fake recorded, in order. */
export type FakeOfficeCall =
  | { readonly op: 'replaceNotification'; readonly key: string; readonly notification: ItemNotification }
  | { readonly op: 'removeNotification'; readonly key: string }
  | { readonly op: 'identityToken' };

export interface FakeOfficeHost extends OfficeHost {
  readonly calls: FakeOfficeCall[];
  /** The notifications currently on the item, by key (replacement semantics, like Outlook). */
  readonly notifications: Map<string, ItemNotification>;
}

/** An in-memory {@link OfficeHost} for tests, `npm run dev` and demos. */
export function createFakeOfficeHost(options: FakeOfficeHostOptions = {}): FakeOfficeHost {
  const mailbox = options.mailbox ?? 'alice@corp.test';
  const ewsUrl = options.ewsUrl ?? 'https://cas.corp.test/EWS/Exchange.asmx';
  const sets = options.sets ?? { Mailbox: '1.10' };
  const hasItem = options.hasItem ?? true;
  const calls: FakeOfficeCall[] = [];
  const notifications = new Map<string, ItemNotification>();

  const isSetSupported = (name: string, version: string): boolean => {
    const max = sets[name];
    return max !== undefined && compareVersions(max, version) >= 0;
  };
  const account = () => ({
    accountType: isSetSupported('Mailbox', '1.6') ? options.accountType : undefined,
    ewsHost: hostOf(ewsUrl),
  });

  return {
    calls,
    notifications,
    async ready(): Promise<HostFacts> {
      if (options.readyDelayMs) await new Promise((r) => setTimeout(r, options.readyDelayMs));
      if (options.readyError) throw options.readyError;
      return {
        hostName: options.hostName ?? 'Outlook',
        hostVersion: options.hostVersion ?? '16.0.17928.20000',
        platform: options.platform ?? 'PC',
        mailbox,
        ...account(),
        partitionKey: options.partitionKey,
        supportsInsight: isSetSupported('Mailbox', '1.10'),
        displayLanguage: options.displayLanguage,
      };
    },
    isSetSupported,
    mailboxAddress: () => mailbox,
    account,
    partitionKey: () => options.partitionKey,
    replaceNotification(key, notification) {
      calls.push({ op: 'replaceNotification', key, notification });
      if (!hasItem) return Promise.reject(new OfficeError('replaceAsync', OfficeErrorCodes.noItem, 'NoItem'));
      if (notification.kind === 'insight' && (options.refuseInsight || !isSetSupported('Mailbox', '1.10'))) {
        return Promise.reject(new OfficeError('replaceAsync', OfficeErrorCodes.unsupported, 'Unsupported'));
      }
      notifications.set(key, notification);
      return Promise.resolve();
    },
    removeNotification(key) {
      calls.push({ op: 'removeNotification', key });
      notifications.delete(key);
      return Promise.resolve();
    },
    identityToken() {
      calls.push({ op: 'identityToken' });
      const t = options.identityToken;
      if (typeof t === 'string') return Promise.resolve(t);
      return Promise.reject(t ?? new OfficeError('getUserIdentityTokenAsync', 9017, 'GenericTokenError'));
    },
    theme: () => options.theme,
    launchContext: () => Promise.resolve(options.launchContext),
  };
}
