/**
 * The Outlook add-in manifest (XML, "add-in only" format) that Exchange on-premises
 * admins sideload. The unified JSON manifest is not supported on-premises, so this is the
 * only format we ship. Why it looks the way it does: `docs/decisions/0001-xml-manifest.md`.
 *
 * Element order follows the published schemas (MS-OWEMXML; the XSDs are in
 * https://github.com/OfficeDev/office-js-docs-pr/tree/main/docs/overview/schemas/mail):
 * - `OfficeApp` / `MailApp` sequence: https://learn.microsoft.com/office/dev/add-ins/develop/manifest-element-ordering
 * - MS-OWEMXML, full schema: https://learn.microsoft.com/openspecs/office_file_formats/ms-owemxml/c6a06390-34b8-4b42-82eb-b28be12494a8
 * - VersionOverrides 1.0 (mail): https://learn.microsoft.com/javascript/api/manifest/versionoverrides-1-0-mail
 * - VersionOverrides 1.1 (mail): https://learn.microsoft.com/javascript/api/manifest/versionoverrides-1-1-mail
 * - `ShowTaskpane` and `SupportsPinning`: https://learn.microsoft.com/javascript/api/manifest/action
 * - `FormSettings` (still required by the schema): https://learn.microsoft.com/javascript/api/manifest/formsettings
 * - Activation `Rule`: https://learn.microsoft.com/javascript/api/manifest/rule
 * - Requirement sets: https://learn.microsoft.com/javascript/api/requirement-sets/outlook/outlook-api-requirement-sets
 */
import { IwaError } from '../../protocol/errors.ts';
import { MANIFEST_OVERRIDES, type ManifestText } from './locales.ts';
import { el, renderDocument, textEl, type XmlElement } from './xml.ts';

/** The add-in's stable identity. Never change it: Exchange keys installed add-ins by it. */
export const ADDIN_ID = '523765ce-a9f0-47a6-b584-a28528077bf8';

/**
 * The public URL the committed `manifest.xml` is generated for: the development server of
 * `outlook-iwa serve` with `--host localhost` and the default port. Deployments generate
 * their own with `outlook-iwa manifest --public-url URL`.
 */
export const DEFAULT_PUBLIC_URL = 'https://localhost:8443';

/**
 * Minimum Mailbox requirement set. 1.3 is the first with add-in commands (the ribbon button
 * that opens the task pane: VersionOverrides V1_0) and `InformationalMessage` notifications,
 * without which the add-in does not work; Exchange 2016/2019 serve up to 1.5.
 */
export const MAILBOX_MIN_VERSION = '1.3';

/** Path of the task pane page below the public URL (Vite builds it from `src/addin/index.html`). */
export const PAGE_PATH = 'index.html';

/** Icon files in `public/` (served at the public URL's root), by pixel size. */
export const ICON_FILES = {
  16: 'icon-16.png',
  32: 'icon-32.png',
  64: 'icon-64.png',
  80: 'icon-80.png',
  128: 'icon-128.png',
} as const;

/** Namespaces of the manifest's schemas. */
export const NS = {
  officeApp: 'http://schemas.microsoft.com/office/appforoffice/1.1',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  bt: 'http://schemas.microsoft.com/office/officeappbasictypes/1.0',
  mailOverrides1_0: 'http://schemas.microsoft.com/office/mailappversionoverrides',
  mailOverrides1_1: 'http://schemas.microsoft.com/office/mailappversionoverrides/1.1',
} as const;

export interface ManifestOptions {
  /** The https address Outlook loads the add-in from, e.g. `https://outlook-iwa.corp.example`. */
  readonly publicUrl: string;
  /** The add-in version (`n[.n[.n[.n]]]`, each part up to 5 digits). */
  readonly version: string;
  /** The add-in's GUID; pass {@link ADDIN_ID}. */
  readonly id: string;
}

const TEXT: ManifestText & { readonly provider: string } = {
  provider: 'Outlook IWA',
  displayName: 'Outlook IWA',
  description:
    'Password-free sign-in for Outlook on on-premises Exchange: proves your Windows logon to your own Exchange server.',
  groupLabel: 'Outlook IWA',
  buttonLabel: 'Sign-in',
  buttonTitle: 'Outlook IWA sign-in',
  buttonTooltip:
    'Open the Outlook IWA pane: sign in with your Windows logon and see the status of every sign-in method.',
};

/** `<Override Locale Value>` children for one text, one per shipped locale (`./locales.ts`). */
function overrides(key: keyof ManifestText, name = 'Override'): XmlElement[] {
  return MANIFEST_OVERRIDES.map(([locale, text]) => el(name, { Locale: locale, Value: text[key] }));
}

/** A localised `bt:String` (the ribbon's labels and tooltip). */
function btString(id: string, key: keyof ManifestText): XmlElement {
  return el('bt:String', { id, DefaultValue: TEXT[key] }, overrides(key, 'bt:Override'));
}

/** Resource ids (at most 32 characters, `bt:ReferenceId`). */
const RES = {
  icon16: 'Icon.16',
  icon32: 'Icon.32',
  icon80: 'Icon.80',
  paneUrl: 'Pane.Url',
  groupLabel: 'Group.Label',
  buttonLabel: 'Button.Label',
  buttonTitle: 'Button.Title',
  buttonTooltip: 'Button.Tooltip',
} as const;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** The `Version` simple type of the OfficeApp schema. */
const VERSION = /^[0-9]{1,5}(\.[0-9]{1,5}){0,3}$/;

/** A validated public URL: its origin (for `AppDomains`) and base (origin + path, no trailing `/`). */
export interface PublicUrl {
  readonly origin: string;
  readonly base: string;
}

/**
 * Validates `--public-url`: an absolute `https:` URL without credentials, query or fragment.
 * Throws `CONFIG_INVALID` naming the flag, as Outlook loads add-ins only over HTTPS.
 */
export function parsePublicUrl(raw: string): PublicUrl {
  const fail = (why: string): never => {
    throw new IwaError('CONFIG_INVALID', { flag: '--public-url', value: raw }, `--public-url ${why}`);
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('must be an absolute https:// URL');
  }
  if (url.protocol !== 'https:')
    fail(`must use https:// (Outlook loads add-ins only over HTTPS), not ${url.protocol}//`);
  if (url.username !== '' || url.password !== '') fail('must not contain a user name or password');
  if (url.search !== '' || url.hash !== '') fail('must not contain a query or a fragment');
  return { origin: url.origin, base: url.origin + url.pathname.replace(/\/+$/, '') };
}

/** The URLs the manifest points at, all below the public URL. */
export function manifestUrls(publicUrl: string): {
  readonly origin: string;
  readonly page: string;
  readonly support: string;
  readonly icon: (size: keyof typeof ICON_FILES) => string;
} {
  const { origin, base } = parsePublicUrl(publicUrl);
  return {
    origin,
    page: `${base}/${PAGE_PATH}`,
    support: `${base}/`,
    icon: (size) => `${base}/${ICON_FILES[size]}`,
  };
}

type Surface = 'MessageReadCommandSurface' | 'MessageComposeCommandSurface';

/** One ribbon button on the default tab that opens the task pane. */
function commandSurface(surface: Surface, pinnable: boolean): XmlElement {
  const key = surface === 'MessageReadCommandSurface' ? 'Read' : 'Compose';
  const action = [el('SourceLocation', { resid: RES.paneUrl })];
  if (pinnable) action.push(textEl('SupportsPinning', 'true'));
  return el('ExtensionPoint', { 'xsi:type': surface }, [
    el('OfficeTab', { id: 'TabDefault' }, [
      el('Group', { id: `OutlookIwa.${key}.Group` }, [
        el('Label', { resid: RES.groupLabel }),
        el('Control', { 'xsi:type': 'Button', id: `OutlookIwa.${key}.OpenPane` }, [
          el('Label', { resid: RES.buttonLabel }),
          el('Supertip', {}, [
            el('Title', { resid: RES.buttonTitle }),
            el('Description', { resid: RES.buttonTooltip }),
          ]),
          el('Icon', {}, [
            el('bt:Image', { size: '16', resid: RES.icon16 }),
            el('bt:Image', { size: '32', resid: RES.icon32 }),
            el('bt:Image', { size: '80', resid: RES.icon80 }),
          ]),
          el('Action', { 'xsi:type': 'ShowTaskpane' }, action),
        ]),
      ]),
    ]),
  ]);
}

/** `Hosts` and `Resources` of one VersionOverrides, self-contained (every resid resolves locally). */
function overrideBody(urls: ReturnType<typeof manifestUrls>, pinnable: boolean): XmlElement[] {
  return [
    el('Hosts', {}, [
      el('Host', { 'xsi:type': 'MailHost' }, [
        el('DesktopFormFactor', {}, [
          commandSurface('MessageReadCommandSurface', pinnable),
          commandSurface('MessageComposeCommandSurface', false),
        ]),
      ]),
    ]),
    el('Resources', {}, [
      el('bt:Images', {}, [
        el('bt:Image', { id: RES.icon16, DefaultValue: urls.icon(16) }),
        el('bt:Image', { id: RES.icon32, DefaultValue: urls.icon(32) }),
        el('bt:Image', { id: RES.icon80, DefaultValue: urls.icon(80) }),
      ]),
      el('bt:Urls', {}, [el('bt:Url', { id: RES.paneUrl, DefaultValue: urls.page })]),
      el('bt:ShortStrings', {}, [
        btString(RES.groupLabel, 'groupLabel'),
        btString(RES.buttonLabel, 'buttonLabel'),
        btString(RES.buttonTitle, 'buttonTitle'),
      ]),
      el('bt:LongStrings', {}, [btString(RES.buttonTooltip, 'buttonTooltip')]),
    ]),
  ];
}

/**
 * Builds `manifest.xml` for a deployment. Pure: the same options give the same bytes.
 *
 * - Base manifest: `MailApp`, Mailbox ≥ {@link MAILBOX_MIN_VERSION}, `ReadItem`, activates
 *   on messages in read and compose; `FormSettings` points at the task pane page (the
 *   schema requires it; clients with add-in commands ignore it). The page URL is also the
 *   audience (`aud`) of the Exchange identity token.
 * - `VersionOverridesV1_0` (Mailbox 1.3–1.4 clients): a button on the read and the compose
 *   ribbon that shows the task pane.
 * - nested `VersionOverridesV1_1` (Mailbox 1.5+): the same buttons, the read one pinnable.
 *   Clients that understand V1_1 use only it, so everything is repeated there.
 *
 * @throws IwaError `CONFIG_INVALID` for a public URL that is not https, a bad version or id.
 */
export function buildManifest(options: ManifestOptions): string {
  const urls = manifestUrls(options.publicUrl);
  if (!VERSION.test(options.version)) {
    throw new IwaError(
      'CONFIG_INVALID',
      { field: 'version', value: options.version },
      'invalid add-in version',
    );
  }
  if (!GUID.test(options.id)) {
    throw new IwaError('CONFIG_INVALID', { field: 'id', value: options.id }, 'the add-in id must be a GUID');
  }

  const v1_1 = el('VersionOverrides', { xmlns: NS.mailOverrides1_1, 'xsi:type': 'VersionOverridesV1_1' }, [
    ...overrideBody(urls, true),
  ]);
  const v1_0 = el('VersionOverrides', { xmlns: NS.mailOverrides1_0, 'xsi:type': 'VersionOverridesV1_0' }, [
    ...overrideBody(urls, false),
    v1_1,
  ]);

  const root = el(
    'OfficeApp',
    { xmlns: NS.officeApp, 'xmlns:xsi': NS.xsi, 'xmlns:bt': NS.bt, 'xsi:type': 'MailApp' },
    [
      textEl('Id', options.id),
      textEl('Version', options.version),
      textEl('ProviderName', TEXT.provider),
      textEl('DefaultLocale', 'en-US'),
      el('DisplayName', { DefaultValue: TEXT.displayName }, overrides('displayName')),
      el('Description', { DefaultValue: TEXT.description }, overrides('description')),
      el('IconUrl', { DefaultValue: urls.icon(64) }),
      el('HighResolutionIconUrl', { DefaultValue: urls.icon(128) }),
      el('SupportUrl', { DefaultValue: urls.support }),
      el('AppDomains', {}, [textEl('AppDomain', urls.origin)]),
      el('Hosts', {}, [el('Host', { Name: 'Mailbox' })]),
      el('Requirements', {}, [
        el('Sets', {}, [el('Set', { Name: 'Mailbox', MinVersion: MAILBOX_MIN_VERSION })]),
      ]),
      el('FormSettings', {}, [
        el('Form', { 'xsi:type': 'ItemRead' }, [
          el('DesktopSettings', {}, [
            el('SourceLocation', { DefaultValue: urls.page }),
            textEl('RequestedHeight', '250'),
          ]),
        ]),
        el('Form', { 'xsi:type': 'ItemEdit' }, [
          el('DesktopSettings', {}, [el('SourceLocation', { DefaultValue: urls.page })]),
        ]),
      ]),
      textEl('Permissions', 'ReadItem'),
      el('Rule', { 'xsi:type': 'RuleCollection', Mode: 'Or' }, [
        el('Rule', { 'xsi:type': 'ItemIs', ItemType: 'Message', FormType: 'Read' }),
        el('Rule', { 'xsi:type': 'ItemIs', ItemType: 'Message', FormType: 'Edit' }),
      ]),
      v1_0,
    ],
  );
  return renderDocument(root, 'Generated by "outlook-iwa manifest". Regenerate it; do not edit by hand.');
}
