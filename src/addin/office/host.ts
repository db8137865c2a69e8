/**
 * The `OfficeHost` port: everything the task pane needs from Office.js, and nothing more.
 * Components and hooks depend on this interface only; `office-js-host.ts` implements it over
 * the real `Office` global and `fake-host.ts` implements it for tests and development.
 *
 * @see https://learn.microsoft.com/javascript/api/outlook
 */

/** Facts about the Outlook that loaded us, read once when Office is ready. */
export interface HostFacts {
  /** `Office.context.mailbox.diagnostics.hostName`, e.g. `Outlook`, `OutlookWebApp`. */
  readonly hostName: string;
  /** `Office.context.mailbox.diagnostics.hostVersion` (or `Office.context.diagnostics.version`). */
  readonly hostVersion: string;
  /** `Office.context.diagnostics.platform`, e.g. `PC`, `OfficeOnline`, `Mac`. */
  readonly platform: string;
  /** The signed-in Outlook mailbox (`userProfile.emailAddress`). */
  readonly mailbox: string;
  /** `userProfile.accountType` (Mailbox 1.6) when the client has it. */
  readonly accountType: string | undefined;
  /** The host name of `mailbox.ewsUrl`, when the client exposes it. */
  readonly ewsHost: string | undefined;
  /** `Office.context.partitionKey`, when storage is partitioned. */
  readonly partitionKey: string | undefined;
  /** Whether `InsightMessage` notifications with a `showTaskPane` action work (Mailbox 1.10). */
  readonly supportsInsight: boolean;
  /**
   * `Office.context.displayLanguage`: the BCP 47 tag of Office's UI language (e.g. `de-DE`),
   * which the pane follows; `undefined` where the client does not say.
   */
  readonly displayLanguage: string | undefined;
}

/** The Office theme, where the client exposes it (`Office.context.officeTheme`, Mailbox 1.14). */
export interface HostTheme {
  readonly isDark: boolean;
}

/**
 * A notification on the current mail item. `informational` maps to `InformationalMessage`
 * (Mailbox 1.3); `insight` to `InsightMessage` with one `showTaskPane` action (Mailbox 1.10).
 * Notifications are keyed: posting the same key again replaces the earlier one.
 */
export type ItemNotification =
  | { readonly kind: 'informational'; readonly message: string }
  | {
      readonly kind: 'insight';
      readonly message: string;
      /** Text of the action link, e.g. "Fix sign-in". */
      readonly actionText: string;
      /** Handed back to the pane by `launchContext()` when the action opens it. */
      readonly contextData: string;
    };

export interface OfficeHost {
  /** Waits for `Office.onReady` and reads the facts. Rejects with `OfficeError` outside Outlook. */
  ready(): Promise<HostFacts>;
  /** `Office.context.requirements.isSetSupported(name, version)`. */
  isSetSupported(name: string, version: string): boolean;
  /** The Outlook mailbox's SMTP address. */
  mailboxAddress(): string;
  /** Account type (Mailbox 1.6) and EWS host, for Office 365 detection. */
  account(): { readonly accountType: string | undefined; readonly ewsHost: string | undefined };
  /** `Office.context.partitionKey`, or `undefined` where storage is not partitioned. */
  partitionKey(): string | undefined;
  /** Adds or replaces (by key) a notification on the current item. */
  replaceNotification(key: string, notification: ItemNotification): Promise<void>;
  /** Removes a notification from the current item; resolves if there was none. */
  removeNotification(key: string): Promise<void>;
  /** The Exchange identity token (`getUserIdentityTokenAsync`). Never log it. */
  identityToken(): Promise<string>;
  /** The Office theme, or `undefined` where the API does not exist. */
  theme(): HostTheme | undefined;
  /** The `contextData` of the notification action that opened the pane (Mailbox 1.8), if any. */
  launchContext(): Promise<string | undefined>;
}

/**
 * A failed Office.js call. `code` and `officeName` come from `Office.Error`
 * (https://learn.microsoft.com/office/dev/add-ins/reference/javascript-api-for-office-error-codes);
 * our own failures use negative codes.
 */
export class OfficeError extends Error {
  override readonly name = 'OfficeError';
  readonly code: number;
  readonly officeName: string;
  /** Which call failed, e.g. `getUserIdentityTokenAsync`. */
  readonly operation: string;

  constructor(operation: string, code: number, officeName: string, message?: string) {
    super(message ?? `${operation} failed: ${officeName} (${code})`);
    this.operation = operation;
    this.code = code;
    this.officeName = officeName;
  }
}

/** Codes for failures that are ours rather than Office's. */
export const OfficeErrorCodes = {
  /** `window.Office` is missing: office.js did not load. */
  notLoaded: -1,
  /** Office.js loaded but we are not inside Outlook (no mailbox). */
  notInOutlook: -2,
  /** `Office.onReady` did not fire in time. */
  timeout: -3,
  /** There is no current item to attach a notification to. */
  noItem: -4,
  /** The API is not available on this client. */
  unsupported: -5,
  /** The call threw synchronously. */
  threw: -6,
} as const;

/** Compares dotted version strings numerically: `1.10` > `1.3`. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The host part of a URL, or `undefined` if it is not one. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}
