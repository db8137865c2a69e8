/**
 * Offline checks of the Outlook add-in manifest: both a freshly generated one (for a test
 * public URL) and the committed `manifest.xml` (for the default development URL).
 *
 * The element order below is the `xs:sequence` of each complex type in the published
 * schemas (MS-OWEMXML; XSDs in OfficeDev/office-js-docs-pr `docs/overview/schemas/mail`:
 * `OfficeAppManifestV1_1.xsd`, `MailAppVersionOverridesV1_0.xsd`,
 * `MailAppVersionOverridesV1_1.xsd`, `OfficeAppBasicTypesV1_0.xsd`). See
 * https://learn.microsoft.com/office/dev/add-ins/develop/manifest-element-ordering and
 * https://learn.microsoft.com/openspecs/office_file_formats/ms-owemxml/c6a06390-34b8-4b42-82eb-b28be12494a8
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/backend/cli.ts';
import { manifestCommand } from '../../src/backend/cli/manifest.ts';
import {
  ADDIN_ID,
  DEFAULT_PUBLIC_URL,
  ICON_FILES,
  MAILBOX_MIN_VERSION,
  NS,
  buildManifest,
  manifestVersion,
  parsePublicUrl,
  readPackageVersion,
} from '../../src/backend/manifest/index.ts';
import { escapeAttr, escapeText } from '../../src/backend/manifest/xml.ts';
import { LOCALES, pickLocale } from '../../src/addin/i18n/locales.ts';
import { IwaError } from '../../src/protocol/errors.ts';
import { drawIcon } from '../../scripts/make-icons.ts';

const repo = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const TEST_PUBLIC_URL = 'https://addin.corp.test:8443';
const version = await readPackageVersion();

// ---------------------------------------------------------------------------------------
// A small DOM over fast-xml-parser's ordered output.

interface Node {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly Node[];
  readonly text: string;
}

type Ordered = Record<string, unknown>;

function toNodes(items: readonly Ordered[]): Node[] {
  const nodes: Node[] = [];
  for (const item of items) {
    const name = Object.keys(item).find((k) => k !== ':@');
    if (name === undefined || name === '#text' || name.startsWith('?')) continue;
    const rawAttrs = (item[':@'] ?? {}) as Record<string, unknown>;
    const attrs = Object.fromEntries(Object.entries(rawAttrs).map(([k, v]) => [k.slice(2), String(v)]));
    const content = item[name] as Ordered[];
    const text = content
      .map((c) => c['#text'])
      .filter((t) => t !== undefined)
      .map(String)
      .join('');
    nodes.push({ name, attrs, children: toNodes(content), text });
  }
  return nodes;
}

function parse(xml: string): Node {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
  });
  const roots = toNodes(parser.parse(xml) as Ordered[]);
  expect(roots).toHaveLength(1);
  return roots[0] as Node;
}

/**
 * Well-formedness by fast-xml-parser's validator. It is marked deprecated in favour of the
 * separate `fast-xml-validator` package, which this project does not install.
 */
function wellFormed(xml: string): true | { err: unknown } {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above; still shipped in v5
  return XMLValidator.validate(xml);
}

/** An `&` that starts no entity reference, or a `<` inside an attribute value. */
const UNESCAPED = /&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)|="[^"]*</;

function* walk(node: Node): Generator<Node> {
  yield node;
  for (const c of node.children) yield* walk(c);
}

function child(node: Node, name: string): Node {
  const found = node.children.filter((c) => c.name === name);
  expect(found, `${node.name} has exactly one <${name}>`).toHaveLength(1);
  return found[0] as Node;
}

function children(node: Node, name: string): Node[] {
  return node.children.filter((c) => c.name === name);
}

// ---------------------------------------------------------------------------------------
// The schemas' sequences. A particle names a child, its occurrence bounds and the complex
// type of its content; `xsi` means "the type named by the child's xsi:type".

interface Particle {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly type?: string;
}

const ONE = (name: string, type?: string): Particle => ({ name, min: 1, max: 1, ...(type ? { type } : {}) });
const OPT = (name: string, type?: string): Particle => ({ name, min: 0, max: 1, ...(type ? { type } : {}) });
const MANY = (name: string, min: number, type?: string): Particle => ({
  name,
  min,
  max: Infinity,
  ...(type ? { type } : {}),
});

/** Complex type → its content model, in schema order (base type's sequence first). */
const SCHEMA: Readonly<Record<string, readonly Particle[]>> = {
  // OfficeAppManifestV1_1.xsd: OfficeApp (abstract) extended by MailApp.
  MailApp: [
    ONE('Id'),
    OPT('AlternateId'),
    ONE('Version'),
    ONE('ProviderName'),
    ONE('DefaultLocale'),
    ONE('DisplayName', 'LocaleAwareSetting'),
    ONE('Description', 'LocaleAwareSetting'),
    OPT('IconUrl', 'LocaleAwareSetting'),
    OPT('HighResolutionIconUrl', 'LocaleAwareSetting'),
    OPT('SupportUrl', 'LocaleAwareSetting'),
    OPT('AppDomains', 'AppDomains'),
    OPT('Hosts', 'Hosts'),
    ONE('Requirements', 'MailAppRequirements'),
    ONE('FormSettings', 'FormSettings'),
    OPT('Permissions'),
    ONE('Rule', 'xsi'),
    OPT('DisableEntityHighlighting'),
    OPT('VersionOverrides', 'xsi'),
  ],
  LocaleAwareSetting: [MANY('Override', 0)],
  AppDomains: [MANY('AppDomain', 1)],
  Hosts: [MANY('Host', 1)],
  MailAppRequirements: [ONE('Sets', 'Sets')],
  Sets: [MANY('Set', 1)],
  FormSettings: [{ name: 'Form', min: 1, max: 2, type: 'xsi' }],
  ItemRead: [
    ONE('DesktopSettings', 'ItemReadDesktopMailAppSettings'),
    OPT('TabletSettings', 'ItemReadDesktopMailAppSettings'),
    OPT('PhoneSettings', 'ItemEditMailAppSettings'),
  ],
  ItemEdit: [
    ONE('DesktopSettings', 'ItemEditMailAppSettings'),
    OPT('TabletSettings', 'ItemEditMailAppSettings'),
    OPT('PhoneSettings', 'ItemEditMailAppSettings'),
  ],
  ItemReadDesktopMailAppSettings: [ONE('SourceLocation', 'LocaleAwareSetting'), ONE('RequestedHeight')],
  ItemEditMailAppSettings: [ONE('SourceLocation', 'LocaleAwareSetting')],
  RuleCollection: [MANY('Rule', 1, 'xsi')],
  ItemIs: [],
  // MailAppVersionOverridesV1_0.xsd
  VersionOverridesV1_0: [
    OPT('Description'),
    OPT('Requirements'),
    OPT('Hosts', 'MailHosts'),
    OPT('Resources', 'Resources'),
    OPT('VersionOverrides', 'xsi'),
  ],
  // MailAppVersionOverridesV1_1.xsd (the 1.2 slot is `xs:any`; we put nothing there)
  VersionOverridesV1_1: [
    OPT('Description'),
    OPT('Requirements'),
    OPT('Hosts', 'MailHosts'),
    OPT('Resources', 'Resources'),
  ],
  MailHosts: [MANY('Host', 1, 'xsi')],
  MailHost: [OPT('DesktopFormFactor', 'FormFactor')],
  FormFactor: [OPT('FunctionFile'), MANY('ExtensionPoint', 1, 'xsi')],
  MessageReadCommandSurface: [MANY('OfficeTab', 0, 'Tab'), MANY('CustomTab', 0)],
  MessageComposeCommandSurface: [MANY('OfficeTab', 0, 'Tab'), MANY('CustomTab', 0)],
  Tab: [MANY('Group', 1, 'Group')],
  Group: [ONE('Label'), MANY('Control', 1, 'xsi')],
  // Button extends UIControlWithIcon extends UIControl.
  Button: [ONE('Label'), ONE('Supertip', 'Supertip'), ONE('Icon', 'IconList'), ONE('Action', 'xsi')],
  Supertip: [ONE('Title'), ONE('Description')],
  IconList: [MANY('bt:Image', 1)],
  ShowTaskpaneV1_0: [ONE('SourceLocation')],
  // MS-OWEMXML 1.1 ShowTaskpane: https://learn.microsoft.com/openspecs/office_file_formats/ms-owemxml/0e9c52f8-050e-4a99-937c-627dc0fe8f01
  ShowTaskpaneV1_1: [
    ONE('SourceLocation'),
    OPT('SupportsPinning'),
    OPT('SupportsNoItemContext'),
    OPT('SupportsMultiSelect'),
  ],
  // OfficeAppBasicTypesV1_0.xsd
  Resources: [
    OPT('bt:Images', 'ImageResources'),
    OPT('bt:Urls', 'URLResources'),
    OPT('bt:ShortStrings', 'StringResources'),
    OPT('bt:LongStrings', 'StringResources'),
  ],
  ImageResources: [MANY('bt:Image', 0)],
  URLResources: [MANY('bt:Url', 0)],
  StringResources: [MANY('bt:String', 0, 'String')],
  // bt:String (ShortString/LongString resources) with its locale overrides.
  String: [MANY('bt:Override', 0)],
};

/** xsi:type values we accept, per position, and the namespace they must sit in. */
const VERSION_OVERRIDES_NS: Readonly<Record<string, string>> = {
  VersionOverridesV1_0: NS.mailOverrides1_0,
  VersionOverridesV1_1: NS.mailOverrides1_1,
};

/**
 * Checks `node`'s element children against the content model of `type`: only known
 * children, in sequence order, within their occurrence bounds; then recurses.
 */
function checkOrder(node: Node, type: string, version: 'V1_0' | 'V1_1' | null, path: string): void {
  const model = SCHEMA[type];
  if (model === undefined) {
    expect(node.children, `${path} (${type}) has no element children`).toEqual([]);
    return;
  }
  let at = 0;
  const counts = new Map<string, number>();
  for (const c of node.children) {
    const idx = model.findIndex((p) => p.name === c.name);
    expect(idx, `${path}: <${c.name}> is a child of ${type}`).toBeGreaterThanOrEqual(0);
    expect(idx, `${path}: <${c.name}> is in schema order within ${type}`).toBeGreaterThanOrEqual(at);
    at = idx;
    counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  }
  for (const p of model) {
    const n = counts.get(p.name) ?? 0;
    expect(n, `${path}: <${p.name}> occurs at least ${p.min}×`).toBeGreaterThanOrEqual(p.min);
    expect(n, `${path}: <${p.name}> occurs at most ${p.max}×`).toBeLessThanOrEqual(p.max);
  }
  for (const c of node.children) {
    const p = model.find((q) => q.name === c.name);
    let childType = p?.type;
    let childVersion = version;
    if (childType === 'xsi') {
      const xsiType = c.attrs['xsi:type'];
      expect(xsiType, `${path}/${c.name} has xsi:type`).toBeDefined();
      childType = xsiType ?? '';
      if (childType in VERSION_OVERRIDES_NS) {
        expect(c.attrs.xmlns, `${childType} namespace`).toBe(VERSION_OVERRIDES_NS[childType]);
        childVersion = childType === 'VersionOverridesV1_0' ? 'V1_0' : 'V1_1';
      }
      if (childType === 'ShowTaskpane') childType = `ShowTaskpane${childVersion ?? ''}`;
      expect(SCHEMA[childType], `${path}/${c.name}: xsi:type="${xsiType ?? ''}" is known`).toBeDefined();
    }
    checkOrder(c, childType ?? '(leaf)', childVersion, `${path}/${c.name}`);
  }
}

// ---------------------------------------------------------------------------------------
// Resources: every reference resolves inside its own VersionOverrides, and nothing dangles.

type Kind = 'image' | 'url' | 'short' | 'long';

/** The elements of a VersionOverrides, without those of a nested VersionOverrides. */
function* ownElements(node: Node): Generator<Node> {
  for (const c of node.children) {
    if (c.name === 'VersionOverrides') continue;
    yield c;
    yield* ownElements(c);
  }
}

function resourcesOf(vo: Node): Map<string, { kind: Kind; value: string }> {
  const defined = new Map<string, { kind: Kind; value: string }>();
  const res = child(vo, 'Resources');
  const groups: readonly (readonly [string, string, Kind])[] = [
    ['bt:Images', 'bt:Image', 'image'],
    ['bt:Urls', 'bt:Url', 'url'],
    ['bt:ShortStrings', 'bt:String', 'short'],
    ['bt:LongStrings', 'bt:String', 'long'],
  ];
  for (const [group, item, kind] of groups) {
    for (const g of children(res, group)) {
      for (const r of children(g, item)) {
        const id = r.attrs.id ?? '';
        expect(id.length, `resource id ${id} is 1–32 characters`).toBeGreaterThan(0);
        expect(id.length, `resource id ${id} is 1–32 characters`).toBeLessThanOrEqual(32);
        expect(defined.has(id), `resource id ${id} is unique`).toBe(false);
        defined.set(id, { kind, value: r.attrs.DefaultValue ?? '' });
      }
    }
  }
  return defined;
}

function referencesOf(vo: Node): { resid: string; kind: Kind; size?: number }[] {
  const refs: { resid: string; kind: Kind; size?: number }[] = [];
  const visit = (node: Node, parent: string) => {
    for (const c of node.children) {
      if (c.name === 'VersionOverrides' || c.name === 'Resources') continue;
      const resid = c.attrs.resid;
      if (resid !== undefined) {
        if (c.name === 'bt:Image') refs.push({ resid, kind: 'image', size: Number(c.attrs.size) });
        else if (c.name === 'SourceLocation' || c.name === 'FunctionFile') refs.push({ resid, kind: 'url' });
        else if (c.name === 'Description') refs.push({ resid, kind: 'long' });
        else if (c.name === 'Label' || c.name === 'Title') refs.push({ resid, kind: 'short' });
        else throw new Error(`unexpected resid on <${c.name}> under <${parent}>`);
      }
      visit(c, c.name);
    }
  };
  visit(vo, vo.name);
  return refs;
}

// ---------------------------------------------------------------------------------------

interface Case {
  readonly label: string;
  readonly xml: string;
  readonly publicUrl: string;
}

const cases: readonly Case[] = [
  {
    label: `generated for ${TEST_PUBLIC_URL}`,
    xml: buildManifest({ publicUrl: TEST_PUBLIC_URL, version, id: ADDIN_ID }),
    publicUrl: TEST_PUBLIC_URL,
  },
  {
    label: `committed manifest.xml (${DEFAULT_PUBLIC_URL})`,
    xml: readFileSync(repo('manifest.xml'), 'utf8'),
    publicUrl: DEFAULT_PUBLIC_URL,
  },
];

describe.each(cases)('manifest: $label', ({ xml, publicUrl }) => {
  const { origin, base } = parsePublicUrl(publicUrl);
  const page = `${base}/index.html`;
  const root = parse(xml);
  const v1_0 = child(root, 'VersionOverrides');
  const v1_1 = child(v1_0, 'VersionOverrides');

  it('is well-formed XML with the OfficeApp MailApp root and its namespaces', () => {
    expect(wellFormed(xml)).toBe(true);
    expect(UNESCAPED.test(xml), 'no unescaped & or < in content').toBe(false);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.name).toBe('OfficeApp');
    expect(root.attrs).toMatchObject({
      xmlns: NS.officeApp,
      'xmlns:xsi': NS.xsi,
      'xmlns:bt': NS.bt,
      'xsi:type': 'MailApp',
    });
  });

  it('gives DisplayName, Description and every ribbon string an Override in each locale the pane ships', () => {
    const shipped = LOCALES.filter((l) => l !== 'en');
    const localised = [
      child(root, 'DisplayName'),
      child(root, 'Description'),
      ...[...walk(v1_0)].filter((n) => n.name === 'bt:String'),
    ];
    expect(localised.length).toBeGreaterThan(2);
    for (const node of localised) {
      const over = node.children.filter((c) => c.name === 'Override' || c.name === 'bt:Override');
      const what = node.attrs.id ?? node.name;
      expect(over.map((o) => pickLocale(o.attrs.Locale)).sort(), what).toEqual([...shipped].sort());
      for (const o of over) {
        const value = o.attrs.Value ?? '';
        expect(value.length, `${what} ${o.attrs.Locale ?? ''}`).toBeGreaterThan(0);
        expect(value.length, `${what} ${o.attrs.Locale ?? ''}`).toBeLessThanOrEqual(
          node.name === 'Description' ? 250 : 125,
        );
      }
    }
  });

  it('orders and nests every element as the MS-OWEMXML schema sequences require', () => {
    checkOrder(root, 'MailApp', null, 'OfficeApp');
  });

  it('has a stable Id, the package version, and the identity fields', () => {
    expect(child(root, 'Id').text).toBe(ADDIN_ID);
    expect(child(root, 'Version').text).toBe(version);
    expect(child(root, 'Version').text).toMatch(/^[0-9]{1,5}(\.[0-9]{1,5}){0,3}$/);
    expect(child(root, 'ProviderName').text).not.toBe('');
    expect(child(root, 'DefaultLocale').text).toBe('en-US');
    expect(child(root, 'DisplayName').attrs.DefaultValue?.length).toBeLessThanOrEqual(125);
    expect(child(root, 'Description').attrs.DefaultValue?.length).toBeLessThanOrEqual(250);
  });

  it('requires Mailbox 1.3, asks only for ReadItem, and activates on messages in read and compose', () => {
    expect(child(child(root, 'Hosts'), 'Host').attrs.Name).toBe('Mailbox');
    const set = child(child(child(root, 'Requirements'), 'Sets'), 'Set');
    expect(set.attrs).toEqual({ Name: 'Mailbox', MinVersion: MAILBOX_MIN_VERSION });
    expect(MAILBOX_MIN_VERSION).toBe('1.3');
    expect(child(root, 'Permissions').text).toBe('ReadItem');
    const rules = [...walk(child(root, 'Rule'))].filter((n) => n.attrs['xsi:type'] === 'ItemIs');
    expect(rules.map((r) => [r.attrs.ItemType, r.attrs.FormType])).toEqual([
      ['Message', 'Read'],
      ['Message', 'Edit'],
    ]);
  });

  it('points FormSettings (and so the identity token audience) at the task pane page', () => {
    const forms = children(child(root, 'FormSettings'), 'Form');
    expect(forms.map((f) => f.attrs['xsi:type'])).toEqual(['ItemRead', 'ItemEdit']);
    for (const f of forms) {
      expect(child(child(f, 'DesktopSettings'), 'SourceLocation').attrs.DefaultValue).toBe(page);
    }
    const height = Number(child(child(forms[0] as Node, 'DesktopSettings'), 'RequestedHeight').text);
    expect(height).toBeGreaterThanOrEqual(32);
    expect(height).toBeLessThanOrEqual(450);
  });

  it('lists the public origin in AppDomains', () => {
    expect(children(child(root, 'AppDomains'), 'AppDomain').map((d) => d.text)).toEqual([origin]);
  });

  it('has every URL on https under the public URL', () => {
    const urls: string[] = [];
    for (const n of walk(root)) {
      for (const [k, v] of Object.entries(n.attrs)) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
        if (/^[a-z][a-z0-9+.-]*:/i.test(v)) urls.push(v);
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(n.text) && n.name !== 'AppDomain') urls.push(n.text);
    }
    expect(urls.length).toBeGreaterThanOrEqual(10);
    for (const u of urls) {
      expect(new URL(u).protocol, u).toBe('https:');
      expect(u.startsWith(`${base}/`), `${u} is under ${base}/`).toBe(true);
    }
    expect(child(root, 'SupportUrl').attrs.DefaultValue).toBe(`${base}/`);
  });

  it.each([
    ['VersionOverridesV1_0', () => v1_0],
    ['VersionOverridesV1_1', () => v1_1],
  ])('resolves every resource id in %s, with none left dangling', (_, get) => {
    const vo = get();
    const defined = resourcesOf(vo);
    const refs = referencesOf(vo);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) {
      expect(defined.get(r.resid)?.kind, `resid ${r.resid} resolves to a ${r.kind} resource`).toBe(r.kind);
    }
    const used = new Set(refs.map((r) => r.resid));
    expect(
      [...defined.keys()].filter((id) => !used.has(id)),
      'unreferenced resources',
    ).toEqual([]);
    expect(defined.get('Pane.Url')?.value).toBe(page);
  });

  it('has every icon in public/ at its declared pixel size', () => {
    const declared = new Map<string, number>([
      [child(root, 'IconUrl').attrs.DefaultValue ?? '', 64],
      [child(root, 'HighResolutionIconUrl').attrs.DefaultValue ?? '', 128],
    ]);
    for (const vo of [v1_0, v1_1]) {
      const defined = resourcesOf(vo);
      for (const r of referencesOf(vo).filter((x) => x.kind === 'image')) {
        const url = defined.get(r.resid)?.value ?? '';
        expect(declared.get(url) ?? r.size, `${url} is used at one size`).toBe(r.size);
        declared.set(url, r.size ?? 0);
      }
    }
    expect([...declared.values()].sort((a, b) => a - b)).toEqual([16, 32, 64, 80, 128]);
    for (const [url, size] of declared) {
      const file = repo(`public/${url.slice(base.length + 1)}`);
      const png = PNG.sync.read(readFileSync(file));
      expect([png.width, png.height], `${file} is ${size}×${size}`).toEqual([size, size]);
    }
  });

  it('repeats the read and compose buttons in V1_0 and in the nested V1_1, pinnable only in V1_1 read', () => {
    expect(v1_0.attrs).toMatchObject({ xmlns: NS.mailOverrides1_0, 'xsi:type': 'VersionOverridesV1_0' });
    expect(v1_1.attrs).toMatchObject({ xmlns: NS.mailOverrides1_1, 'xsi:type': 'VersionOverridesV1_1' });
    const buttons = (vo: Node) =>
      [...ownElements(vo)]
        .filter((n) => n.name === 'ExtensionPoint')
        .map((ep) => {
          const actions = [...walk(ep)].filter((n) => n.name === 'Action');
          return {
            surface: ep.attrs['xsi:type'],
            actions: actions.map((a) => ({
              type: a.attrs['xsi:type'],
              url: resourcesOf(vo).get(child(a, 'SourceLocation').attrs.resid ?? '')?.value,
              pinning: children(a, 'SupportsPinning').map((p) => p.text),
            })),
          };
        });
    const show = { type: 'ShowTaskpane', url: page };
    expect(buttons(v1_0)).toEqual([
      { surface: 'MessageReadCommandSurface', actions: [{ ...show, pinning: [] }] },
      { surface: 'MessageComposeCommandSurface', actions: [{ ...show, pinning: [] }] },
    ]);
    expect(buttons(v1_1)).toEqual([
      { surface: 'MessageReadCommandSurface', actions: [{ ...show, pinning: ['true'] }] },
      { surface: 'MessageComposeCommandSurface', actions: [{ ...show, pinning: [] }] },
    ]);
  });
});

describe('buildManifest', () => {
  it('matches the committed manifest.xml for the default public URL (regenerate with `npx outlook-iwa manifest --public-url https://localhost:8443 --out manifest.xml`)', () => {
    const committed = readFileSync(repo('manifest.xml'), 'utf8');
    expect(committed).toBe(buildManifest({ publicUrl: DEFAULT_PUBLIC_URL, version, id: ADDIN_ID }));
  });

  it('uses the committed icons exactly as scripts/make-icons.ts draws them', () => {
    for (const [size, file] of Object.entries(ICON_FILES)) {
      expect(drawIcon(Number(size)).equals(readFileSync(repo(`public/${file}`))), file).toBe(true);
    }
  });

  it('is deterministic', () => {
    const opts = { publicUrl: TEST_PUBLIC_URL, version, id: ADDIN_ID };
    expect(buildManifest(opts)).toBe(buildManifest(opts));
  });

  it('has a well-formedness check that rejects broken XML', () => {
    expect(wellFormed('<a><b></a>')).not.toBe(true);
    expect(wellFormed('<a>')).not.toBe(true);
    // The validator tolerates a bare "&", hence the explicit check in the manifest tests.
    expect(UNESCAPED.test('<a b="x & y" />')).toBe(true);
  });

  it('escapes XML special characters in the public URL', () => {
    const xml = buildManifest({ publicUrl: "https://host.test/a&b'c<d>/", version, id: ADDIN_ID });
    expect(wellFormed(xml)).toBe(true);
    expect(UNESCAPED.test(xml)).toBe(false);
    expect(xml).toContain('/a&amp;b&apos;c%3Cd%3E/index.html');
    const root = parse(xml);
    const form = children(child(root, 'FormSettings'), 'Form')[0] as Node;
    const source = child(child(form, 'DesktopSettings'), 'SourceLocation');
    expect(source.attrs.DefaultValue).toBe(`${new URL("https://host.test/a&b'c<d>").href}/index.html`);
    expect(source.attrs.DefaultValue).toContain('&');
  });

  it('has an order check that catches misplaced and unknown elements', () => {
    const xml = buildManifest({ publicUrl: TEST_PUBLIC_URL, version, id: ADDIN_ID });
    const check = (text: string) => () => {
      checkOrder(parse(text), 'MailApp', null, 'OfficeApp');
    };
    expect(check(xml)).not.toThrow();
    // Permissions before FormSettings: out of the MailApp sequence.
    const permissions = '  <Permissions>ReadItem</Permissions>\n';
    const swapped = xml
      .replace(permissions, '')
      .replace('  <FormSettings>', `${permissions}  <FormSettings>`);
    expect(swapped).not.toBe(xml);
    expect(check(swapped)).toThrow(/schema order/);
    // SupportsPinning exists only in the V1_1 ShowTaskpane.
    const pinnedV1_0 = xml.replace(
      '<SourceLocation resid="Pane.Url" />',
      '<SourceLocation resid="Pane.Url" />\n<SupportsPinning>true</SupportsPinning>',
    );
    expect(check(pinnedV1_0)).toThrow(/SupportsPinning/);
  });

  it('keeps a path prefix of the public URL and drops its trailing slash', () => {
    expect(parsePublicUrl('https://EXAMPLE.test:443/outlook-iwa/')).toEqual({
      origin: 'https://example.test',
      base: 'https://example.test/outlook-iwa',
    });
  });

  it.each([
    ['http://addin.corp.test', 'https://'],
    ['ftp://addin.corp.test', 'https://'],
    ['addin.corp.test', 'absolute'],
    ['https://user:pw@addin.corp.test', 'user name'],
    ['https://addin.corp.test/?x=1', 'query'],
    ['https://addin.corp.test/#x', 'fragment'],
  ])('rejects the public URL %s with CONFIG_INVALID naming --public-url', (publicUrl, why) => {
    const err = (() => {
      try {
        buildManifest({ publicUrl, version, id: ADDIN_ID });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(IwaError);
    expect((err as IwaError).code).toBe('CONFIG_INVALID');
    expect((err as IwaError).details).toMatchObject({ flag: '--public-url' });
    expect((err as IwaError).message).toContain('--public-url');
    expect((err as IwaError).message).toContain(why);
  });

  it('rejects a version or id the schema would not accept', () => {
    expect(() => buildManifest({ publicUrl: TEST_PUBLIC_URL, version: '1.0.0-beta', id: ADDIN_ID })).toThrow(
      IwaError,
    );
    expect(() => buildManifest({ publicUrl: TEST_PUBLIC_URL, version, id: 'not-a-guid' })).toThrow(IwaError);
  });

  it('derives the manifest version from package.json semver', () => {
    expect(manifestVersion('1.2.3')).toBe('1.2.3');
    expect(manifestVersion('1.2.3-beta.4+build.5')).toBe('1.2.3');
    expect(manifestVersion('garbage')).toBe('garbage');
  });

  it('escapes text and attribute values', () => {
    expect(escapeText(`a&b<c>d"e'`)).toBe(`a&amp;b&lt;c&gt;d"e'`);
    expect(escapeAttr(`a&b<c>d"e'\n`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;&#10;');
  });
});

describe('outlook-iwa manifest', () => {
  let stdout: string[];
  let stderr: string[];
  let dir: string | undefined;

  beforeEach(() => {
    stdout = [];
    stderr = [];
    vi.stubEnv('OUTLOOK_IWA_PUBLIC_URL', undefined);
    vi.stubEnv('OUTLOOK_IWA_OUT', undefined);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const run = (args: readonly string[]) => main(['node', 'outlook-iwa', 'manifest', ...args]);

  it('writes the manifest to stdout', async () => {
    expect(await run(['--public-url', TEST_PUBLIC_URL])).toBe(0);
    expect(stdout.join('')).toBe(buildManifest({ publicUrl: TEST_PUBLIC_URL, version, id: ADDIN_ID }));
  });

  it('writes the manifest to --out', async () => {
    dir = mkdtempSync(join(tmpdir(), 'iwa-manifest-'));
    const out = join(dir, 'manifest.xml');
    expect(await run(['--public-url', TEST_PUBLIC_URL, '--out', out])).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      buildManifest({ publicUrl: TEST_PUBLIC_URL, version, id: ADDIN_ID }),
    );
    expect(stdout).toEqual([]);
  });

  it('reads the public URL from OUTLOOK_IWA_PUBLIC_URL', async () => {
    vi.stubEnv('OUTLOOK_IWA_PUBLIC_URL', TEST_PUBLIC_URL);
    expect(await run([])).toBe(0);
    expect(stdout.join('')).toContain(`${TEST_PUBLIC_URL}/index.html`);
  });

  it('rejects an http:// public URL, exits non-zero and names --public-url', async () => {
    const code = await run(['--public-url', 'http://addin.corp.test']);
    expect(code).not.toBe(0);
    expect(stdout).toEqual([]);
    expect(stderr.join('')).toMatch(/CONFIG_INVALID.*--public-url/);
  });

  it('rejects http:// with a CONFIG_INVALID IwaError from the subcommand itself', async () => {
    const cmd = manifestCommand().exitOverride();
    await expect(
      cmd.parseAsync(['--public-url', 'http://addin.corp.test'], { from: 'user' }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { flag: '--public-url' } });
  });

  it('requires --public-url', async () => {
    expect(await run([])).not.toBe(0);
    expect(stderr.join('')).toContain('--public-url');
  });
});
