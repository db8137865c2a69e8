/**
 * The two EWS SOAP 1.1 operations of the identity probe, built and parsed.
 *
 * 1. `GetFolder` of the distinguished folder `msgfolderroot` with no `Mailbox` element: the
 *    caller's own mailbox. It is the request that carries the Negotiate handshake.
 * 2. `ConvertId` of that folder's EwsId, EwsId to EwsId, with a syntactically valid
 *    placeholder `Mailbox` (ConvertId checks the address's form, not that it exists). The
 *    answer's `AlternateId/@Mailbox` is the primary SMTP address of the mailbox that owns the
 *    folder: the caller.
 *
 * Both exist since Exchange 2007 SP1, the oldest EWS we speak to, and both requests say so in
 * `RequestServerVersion`.
 *
 * Responses are read by a small purpose-built scanner (each answer once) that checks
 * well-formedness and resolves names against their namespace declarations as it goes, so
 * elements are matched by namespace URI and local name, whatever prefixes (`m:`, `t:`, `h:`, a
 * default namespace, …) the server chose. DTDs are refused (SOAP 1.1 forbids them, and they
 * are the way to entity-expansion attacks).
 * @see https://www.w3.org/TR/xml/ (XML 1.0, well-formedness)
 * @see https://www.w3.org/TR/xml-names/ (Namespaces in XML 1.0)
 *
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getfolder-operation
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/convertid-operation
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/alternateid
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/distinguishedfolderid
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/baseshape
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/requestserverversion
 * @see https://learn.microsoft.com/en-us/openspecs/exchange_server_protocols/ms-oxwscdata/40a20245-8854-494a-b6cb-567447291e64 (t:ServerVersionInfo)
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/responsecode
 * @see https://www.w3.org/TR/2000/NOTE-SOAP-20000508/#_Toc478383507 (SOAP 1.1 Fault)
 * @module
 */

import { ProtocolParseError } from './parse-error.ts';

/** Namespace URIs, exactly as Exchange sends them. */
export const EwsNs = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  types: 'http://schemas.microsoft.com/exchange/services/2006/types',
  messages: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  errors: 'http://schemas.microsoft.com/exchange/services/2006/errors',
} as const;

/** The schema version we target: the oldest EWS with both operations (Exchange 2007 SP1). */
export const EWS_REQUEST_SERVER_VERSION = 'Exchange2007_SP1';

/**
 * The placeholder source `Mailbox` for ConvertId. `.invalid` is reserved (RFC 2606), so it can
 * never be a real mailbox; ConvertId only checks that the address is well formed.
 */
export const EWS_PLACEHOLDER_MAILBOX = 'probe@outlook-iwa.invalid';

/** The HTTP headers every EWS request of ours carries. */
export const EWS_REQUEST_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/xml; charset=utf-8',
  Accept: 'text/xml',
};

/** Responses larger than this are refused unparsed (`ews`/`too-large`); ours are under 2 KiB. */
export const MAX_EWS_RESPONSE_LENGTH = 1024 * 1024;

/** IdFormatType values (AlternateId/@Format, ConvertId/@DestinationFormat). */
export type EwsIdFormat = 'EwsLegacyId' | 'EwsId' | 'EntryId' | 'HexEntryId' | 'StoreId' | 'OwaId';

/** An EWS request ready to POST to the profile's EWS URL. */
export interface EwsRequest {
  readonly operation: 'GetFolder' | 'ConvertId';
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Escape a value for a double-quoted XML attribute (XML 1.0 §2.3, §2.4). */
export function escapeXmlAttribute(value: string): string {
  return value.replace(/[&<>"'\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        // Attribute-value normalisation would turn raw whitespace into spaces; keep it exact.
        return `&#${c.charCodeAt(0)};`;
    }
  });
}

function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    `<soap:Envelope xmlns:soap="${EwsNs.soap}" xmlns:t="${EwsNs.types}" xmlns:m="${EwsNs.messages}">\n` +
    '  <soap:Header>\n' +
    `    <t:RequestServerVersion Version="${EWS_REQUEST_SERVER_VERSION}"/>\n` +
    '  </soap:Header>\n' +
    '  <soap:Body>\n' +
    body +
    '  </soap:Body>\n' +
    '</soap:Envelope>\n'
  );
}

/**
 * `GetFolder` of `msgfolderroot`, `IdOnly`, without a `Mailbox`: the caller's own mailbox.
 *
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getfolder-operation
 */
export function buildGetFolderRequest(): EwsRequest {
  const body =
    '    <m:GetFolder>\n' +
    '      <m:FolderShape>\n' +
    '        <t:BaseShape>IdOnly</t:BaseShape>\n' +
    '      </m:FolderShape>\n' +
    '      <m:FolderIds>\n' +
    '        <t:DistinguishedFolderId Id="msgfolderroot"/>\n' +
    '      </m:FolderIds>\n' +
    '    </m:GetFolder>\n';
  return { operation: 'GetFolder', body: envelope(body), headers: EWS_REQUEST_HEADERS };
}

/** What to convert. */
export interface ConvertIdInput {
  /** The identifier to convert, e.g. the EwsId GetFolder returned. */
  readonly id: string;
  /** Source `AlternateId/@Mailbox`; a placeholder by default (see {@link EWS_PLACEHOLDER_MAILBOX}). */
  readonly mailbox?: string;
  readonly sourceFormat?: EwsIdFormat;
  readonly destinationFormat?: EwsIdFormat;
}

/**
 * `ConvertId` of one identifier. Every inserted value is attribute-escaped.
 *
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/convertid-operation
 */
export function buildConvertIdRequest(input: ConvertIdInput): EwsRequest {
  const id = escapeXmlAttribute(input.id);
  const mailbox = escapeXmlAttribute(input.mailbox ?? EWS_PLACEHOLDER_MAILBOX);
  const source = escapeXmlAttribute(input.sourceFormat ?? 'EwsId');
  const destination = escapeXmlAttribute(input.destinationFormat ?? 'EwsId');
  const body =
    `    <m:ConvertId DestinationFormat="${destination}">\n` +
    '      <m:SourceIds>\n' +
    `        <t:AlternateId Format="${source}" Id="${id}" Mailbox="${mailbox}"/>\n` +
    '      </m:SourceIds>\n' +
    '    </m:ConvertId>\n';
  return { operation: 'ConvertId', body: envelope(body), headers: EWS_REQUEST_HEADERS };
}

// ---------------------------------------------------------------------------------------------
// A namespace-resolved element tree, read in one pass.
// ---------------------------------------------------------------------------------------------

/** An element with its namespace resolved. Attributes without a prefix only, by local name. */
export interface XmlElement {
  readonly ns: string | undefined;
  readonly local: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Concatenated, trimmed text content of this element (not of descendants). */
  readonly text: string;
}

function xmlFail(reason: string): never {
  throw new ProtocolParseError('xml', reason);
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Decode the predefined entities and character references (XML 1.0 §4.1, §4.6). Anything
 * else after `&` is an error: without a DTD no other entity can exist.
 */
export function decodeXmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,10});?/g, (match, name: string) => {
    if (!match.endsWith(';')) xmlFail('bad-entity');
    if (name.startsWith('#')) {
      const hex = name.startsWith('#x');
      const digits = name.slice(hex ? 2 : 1);
      if (!(hex ? /^[0-9A-Fa-f]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) xmlFail('bad-entity');
      const cp = parseInt(digits, hex ? 16 : 10);
      if (!isXmlChar(cp)) xmlFail('bad-entity');
      return String.fromCodePoint(cp);
    }
    // hasOwn: `&constructor;` must not find Object.prototype.constructor.
    if (!Object.hasOwn(PREDEFINED, name)) xmlFail('bad-entity');
    return PREDEFINED[name] ?? '';
  });
}

function split(qname: string): [prefix: string, local: string] {
  const i = qname.indexOf(':');
  return i < 0 ? ['', qname] : [qname.slice(0, i), qname.slice(i + 1)];
}

/**
 * Parse XML into a namespace-resolved tree.
 *
 * @throws {@link ProtocolParseError} (`xml`): `too-large`, `doctype`, `malformed`, `bad-entity`,
 *   `unbound-prefix`, `too-deep`.
 */
export function parseXml(xml: string): XmlElement {
  if (xml.length > MAX_EWS_RESPONSE_LENGTH) xmlFail('too-large');
  if (/<!DOCTYPE/i.test(xml)) xmlFail('doctype');
  // XML 1.0 §2.2: these code points may not appear in a document at all.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) xmlFail('malformed');
  return new XmlScanner(xml).document();
}

/** XML 1.0 §2.3 Name, simplified to ASCII plus every non-ASCII letter range. */
const NAME = /[A-Za-z_:\u00C0-\uFFFD][-A-Za-z0-9_.:\u00B7\u00C0-\uFFFD]*/y;
const SPACE = /[ \t\r\n]*/y;
const ATTR_VALUE = /"([^"<]*)"|'([^'<]*)'/y;

interface OpenElement {
  readonly qname: string;
  readonly scope: ReadonlyMap<string, string>;
  readonly ns: string | undefined;
  readonly local: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ROOT_SCOPE: ReadonlyMap<string, string> = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

/**
 * A single pass over the document that checks well-formedness (XML 1.0 §2.1, §3.1: one root,
 * matching tags, quoted attributes without `<`, no duplicate attribute, only the predefined
 * entities) and builds the namespace-resolved tree (Namespaces in XML 1.0 §6) as it goes:
 * the answers we read are small and their shape is fixed, so nothing more general is needed.
 * Comments, processing instructions and the XML declaration are skipped; CDATA is text.
 */
class XmlScanner {
  readonly #xml: string;
  #at = 0;

  constructor(xml: string) {
    this.#xml = xml;
  }

  document(): XmlElement {
    const xml = this.#xml;
    if (xml.startsWith('\uFEFF')) this.#at = 1;
    this.#misc();
    if (xml[this.#at] !== '<') xmlFail('malformed');
    const root = this.#element();
    this.#misc();
    if (this.#at !== xml.length) xmlFail('malformed');
    return root;
  }

  /** Whitespace, comments and processing instructions (the prolog and what follows the root). */
  #misc(): void {
    for (;;) {
      this.#space();
      if (this.#xml.startsWith('<!--', this.#at)) this.#skipPast('-->');
      else if (this.#xml.startsWith('<?', this.#at)) this.#skipPast('?>');
      else return;
    }
  }

  #space(): void {
    SPACE.lastIndex = this.#at;
    SPACE.test(this.#xml);
    this.#at = SPACE.lastIndex;
  }

  #skipPast(end: string): void {
    const i = this.#xml.indexOf(end, this.#at + 2);
    if (i < 0) xmlFail('malformed');
    this.#at = i + end.length;
  }

  #name(): string {
    NAME.lastIndex = this.#at;
    const m = NAME.exec(this.#xml);
    if (m === null) xmlFail('malformed');
    this.#at = NAME.lastIndex;
    return m[0];
  }

  /** The element starting at `<`, with everything inside it. */
  #element(): XmlElement {
    const xml = this.#xml;
    const stack: OpenElement[] = [];
    let parentScope = ROOT_SCOPE;
    for (;;) {
      // At '<' of a start tag.
      this.#at++;
      const open = this.#startTag(parentScope);
      if (stack.length >= 128) xmlFail('too-deep');
      if (xml.startsWith('/>', this.#at)) {
        this.#at += 2;
        const done = close(open);
        const parent = stack.at(-1);
        if (parent === undefined) return done;
        parent.children.push(done);
      } else {
        if (xml[this.#at] !== '>') xmlFail('malformed');
        this.#at++;
        stack.push(open);
      }
      // Content until the next start tag, or until the stack is empty.
      for (;;) {
        const top = stack.at(-1);
        if (top === undefined) xmlFail('malformed');
        const lt = xml.indexOf('<', this.#at);
        if (lt < 0) xmlFail('malformed');
        if (lt > this.#at) top.text += decodeXmlText(xml.slice(this.#at, lt));
        this.#at = lt;
        if (xml.startsWith('</', lt)) {
          this.#at += 2;
          if (this.#name() !== top.qname) xmlFail('malformed');
          this.#space();
          if (xml[this.#at] !== '>') xmlFail('malformed');
          this.#at++;
          stack.pop();
          const done = close(top);
          const parent = stack.at(-1);
          if (parent === undefined) return done;
          parent.children.push(done);
        } else if (xml.startsWith('<!--', lt)) {
          this.#skipPast('-->');
        } else if (xml.startsWith('<![CDATA[', lt)) {
          const end = xml.indexOf(']]>', lt + 9);
          if (end < 0) xmlFail('malformed');
          top.text += xml.slice(lt + 9, end);
          this.#at = end + 3;
        } else if (xml.startsWith('<?', lt)) {
          this.#skipPast('?>');
        } else if (xml.startsWith('<!', lt)) {
          xmlFail('malformed');
        } else {
          parentScope = top.scope;
          break;
        }
      }
    }
  }

  /** The name and attributes of a start tag, its namespace resolved in `parentScope`. */
  #startTag(parentScope: ReadonlyMap<string, string>): OpenElement {
    const xml = this.#xml;
    const qname = this.#name();
    const raw = new Map<string, string>();
    for (;;) {
      const before = this.#at;
      this.#space();
      const c = xml[this.#at];
      if (c === '>' || c === '/' || c === undefined) break;
      // Attributes are separated from the name and from each other by whitespace (§3.1).
      if (this.#at === before) xmlFail('malformed');
      const name = this.#name();
      this.#space();
      if (xml[this.#at] !== '=') xmlFail('malformed');
      this.#at++;
      this.#space();
      ATTR_VALUE.lastIndex = this.#at;
      const m = ATTR_VALUE.exec(xml);
      if (m === null) xmlFail('malformed');
      this.#at = ATTR_VALUE.lastIndex;
      if (raw.has(name)) xmlFail('malformed');
      raw.set(name, decodeXmlText(m[1] ?? m[2] ?? ''));
    }
    let scope = parentScope;
    const attrs = new Map<string, string>();
    for (const [key, value] of raw) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Map(parentScope);
        (scope as Map<string, string>).set(key === 'xmlns' ? '' : key.slice(6), value);
      } else if (!key.includes(':')) {
        attrs.set(key, value);
      }
    }
    const [prefix, local] = split(qname);
    const ns = scope.get(prefix);
    if (prefix !== '' && ns === undefined) xmlFail('unbound-prefix');
    return { qname, scope, ns: ns === '' ? undefined : ns, local, attrs, children: [], text: '' };
  }
}

function close(el: OpenElement): XmlElement {
  return { ns: el.ns, local: el.local, attrs: el.attrs, children: el.children, text: el.text.trim() };
}

function is(el: XmlElement, ns: string, local: string): boolean {
  return el.ns === ns && el.local === local;
}

function child(el: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  return el?.children.find((c) => is(c, ns, local));
}

function childrenOf(el: XmlElement | undefined, ns: string, local: string): XmlElement[] {
  return el === undefined ? [] : el.children.filter((c) => is(c, ns, local));
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** `t:ServerVersionInfo` from the SOAP header (MS-OXWSCDATA §2.2.3.10). */
export interface ServerVersionInfo {
  readonly majorVersion?: number;
  readonly minorVersion?: number;
  readonly majorBuildNumber?: number;
  readonly minorBuildNumber?: number;
  /** e.g. `V2017_07_11` or `Exchange2010`. */
  readonly version?: string;
}

/** A non-success answer, as data. */
export type EwsError =
  | {
      /** A response message whose `ResponseClass` is not `Success`. */
      readonly kind: 'response';
      readonly responseClass: 'Error' | 'Warning';
      /** e.g. `ErrorAccessDenied`, `ErrorInvalidIdMalformed`, `ErrorNonExistentMailbox`. */
      readonly responseCode: string;
      readonly messageText?: string;
    }
  | {
      /** A SOAP 1.1 Fault (EWS sends these with HTTP 500, e.g. for schema validation). */
      readonly kind: 'fault';
      /** The fault code's local part, e.g. `ErrorSchemaValidation` or `Client`. */
      readonly faultCode: string;
      readonly faultString?: string;
      /** `detail/e:ResponseCode`, when Exchange put one there. */
      readonly responseCode?: string;
    };

/** A parsed EWS answer: the value, or a typed EWS error; the server version either way. */
export type EwsResult<T> =
  | { readonly ok: true; readonly value: T; readonly serverVersion?: ServerVersionInfo }
  | { readonly ok: false; readonly error: EwsError; readonly serverVersion?: ServerVersionInfo };

/** GetFolder's answer: the folder's EwsId. */
export interface FolderIdValue {
  readonly id: string;
  readonly changeKey?: string;
}

/** ConvertId's answer: the converted id and, crucially, the owning mailbox's primary SMTP. */
export interface AlternateIdValue {
  readonly id: string;
  readonly format: string;
  readonly mailbox?: string;
  readonly isArchive?: boolean;
}

function ewsFail(reason: string): never {
  throw new ProtocolParseError('ews', reason);
}

function intAttr(el: XmlElement, name: string): number | undefined {
  const v = el.attrs.get(name);
  if (v === undefined || !/^-?\d{1,9}$/.test(v)) return undefined;
  return Number(v);
}

function serverVersion(header: XmlElement | undefined): ServerVersionInfo | undefined {
  const info = child(header, EwsNs.types, 'ServerVersionInfo');
  if (info === undefined) return undefined;
  const out: { -readonly [K in keyof ServerVersionInfo]: ServerVersionInfo[K] } = {};
  const major = intAttr(info, 'MajorVersion');
  const minor = intAttr(info, 'MinorVersion');
  const majorBuild = intAttr(info, 'MajorBuildNumber');
  const minorBuild = intAttr(info, 'MinorBuildNumber');
  const version = info.attrs.get('Version');
  if (major !== undefined) out.majorVersion = major;
  if (minor !== undefined) out.minorVersion = minor;
  if (majorBuild !== undefined) out.majorBuildNumber = majorBuild;
  if (minorBuild !== undefined) out.minorBuildNumber = minorBuild;
  if (version !== undefined) out.version = version;
  return out;
}

function localPart(qname: string): string {
  return split(qname.trim())[1];
}

function parseFault(fault: XmlElement): EwsError {
  // SOAP 1.1 fault children are unqualified; match them by local name.
  const byName = (n: string): XmlElement | undefined => fault.children.find((c) => c.local === n);
  const code = byName('faultcode')?.text;
  if (code === undefined || code === '') ewsFail('fault-without-code');
  const faultString = byName('faultstring')?.text;
  const responseCode = child(byName('detail'), EwsNs.errors, 'ResponseCode')?.text;
  return {
    kind: 'fault',
    faultCode: localPart(code),
    ...(faultString === undefined ? {} : { faultString }),
    ...(responseCode === undefined || responseCode === '' ? {} : { responseCode }),
  };
}

interface Envelope {
  readonly body: XmlElement;
  readonly serverVersion?: ServerVersionInfo;
  readonly fault?: EwsError;
}

function readEnvelope(xml: string): Envelope {
  const root = parseXml(xml);
  if (!is(root, EwsNs.soap, 'Envelope')) ewsFail('not-soap');
  const body = child(root, EwsNs.soap, 'Body');
  if (body === undefined) ewsFail('no-body');
  const sv = serverVersion(child(root, EwsNs.soap, 'Header'));
  const fault = child(body, EwsNs.soap, 'Fault');
  return {
    body,
    ...(sv === undefined ? {} : { serverVersion: sv }),
    ...(fault === undefined ? {} : { fault: parseFault(fault) }),
  };
}

/**
 * The SOAP fault in `xml`, if it is a well-formed SOAP envelope carrying one. Never throws: it
 * serves to recognise a fault in an error answer whose body may be anything (an IIS HTML page).
 */
export function findSoapFault(xml: string): Extract<EwsError, { kind: 'fault' }> | undefined {
  try {
    const fault = readEnvelope(xml).fault;
    return fault?.kind === 'fault' ? fault : undefined;
  } catch {
    return undefined;
  }
}

/** The single `<Op>ResponseMessage` inside `<Op>Response/ResponseMessages`. */
function responseMessage(env: Envelope, op: 'GetFolder' | 'ConvertId'): XmlElement {
  const response = child(env.body, EwsNs.messages, `${op}Response`);
  if (response === undefined) ewsFail('unexpected-body');
  const messages = childrenOf(
    child(response, EwsNs.messages, 'ResponseMessages'),
    EwsNs.messages,
    `${op}ResponseMessage`,
  );
  const only = messages[0];
  if (messages.length !== 1 || only === undefined) ewsFail('unexpected-message-count');
  return only;
}

/** The message's error, or undefined when `ResponseClass="Success"` and `ResponseCode` is `NoError`. */
function messageError(msg: XmlElement): EwsError | undefined {
  const cls = msg.attrs.get('ResponseClass');
  const code = child(msg, EwsNs.messages, 'ResponseCode')?.text;
  if (cls === 'Success' && (code === undefined || code === 'NoError')) return undefined;
  if (cls !== 'Error' && cls !== 'Warning' && cls !== 'Success') ewsFail('bad-response-class');
  const text = child(msg, EwsNs.messages, 'MessageText')?.text;
  return {
    kind: 'response',
    responseClass: cls === 'Warning' ? 'Warning' : 'Error',
    responseCode: code === undefined || code === '' ? 'ErrorUnknown' : code,
    ...(text === undefined || text === '' ? {} : { messageText: text }),
  };
}

function withVersion<T>(
  env: Envelope,
  r: { ok: true; value: T } | { ok: false; error: EwsError },
): EwsResult<T> {
  return env.serverVersion === undefined ? r : { ...r, serverVersion: env.serverVersion };
}

/**
 * The answer to one operation: its SOAP fault, its single response message's error, or what
 * `read` finds in a successful message. The body is parsed once, here.
 */
function parseOperation<T>(
  xml: string,
  op: 'GetFolder' | 'ConvertId',
  read: (msg: XmlElement) => T,
): EwsResult<T> {
  const env = readEnvelope(xml);
  if (env.fault !== undefined) return withVersion(env, { ok: false, error: env.fault });
  const msg = responseMessage(env, op);
  const error = messageError(msg);
  if (error !== undefined) return withVersion(env, { ok: false, error });
  return withVersion(env, { ok: true, value: read(msg) });
}

/** Folder element names a GetFolder answer can carry (FolderType and its derived types). */
const FOLDER_ELEMENTS: ReadonlySet<string> = new Set([
  'Folder',
  'CalendarFolder',
  'ContactsFolder',
  'SearchFolder',
  'TasksFolder',
]);

/**
 * Parse a `GetFolder` response: the folder's EwsId, a non-success response, or a SOAP fault.
 *
 * @throws {@link ProtocolParseError} (`xml` or `ews`) for anything that is not a well-formed
 *   GetFolder SOAP answer (an HTML error page, a truncated body, two messages, no FolderId).
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getfolder-operation
 */
export function parseGetFolderResponse(xml: string): EwsResult<FolderIdValue> {
  return parseOperation(xml, 'GetFolder', (msg) => {
    const folders = child(msg, EwsNs.messages, 'Folders');
    const folder = folders?.children.find((c) => c.ns === EwsNs.types && FOLDER_ELEMENTS.has(c.local));
    const folderId = child(folder, EwsNs.types, 'FolderId');
    const id = folderId?.attrs.get('Id');
    if (folderId === undefined || id === undefined || id === '') ewsFail('no-folder-id');
    const changeKey = folderId.attrs.get('ChangeKey');
    return { id, ...(changeKey === undefined ? {} : { changeKey }) };
  });
}

/**
 * Parse a `ConvertId` response: the AlternateId (with `Mailbox`), a non-success response, or a
 * SOAP fault.
 *
 * @throws {@link ProtocolParseError} (`xml` or `ews`) for anything that is not a well-formed
 *   ConvertId SOAP answer.
 * @see https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/convertid-operation
 */
export function parseConvertIdResponse(xml: string): EwsResult<AlternateIdValue> {
  return parseOperation(xml, 'ConvertId', (msg) => {
    // In the response AlternateId is a messages-namespace element typed t:AlternateIdType
    // (xsi:type); accept the types namespace too, which is where the request's lives.
    const alt = child(msg, EwsNs.messages, 'AlternateId') ?? child(msg, EwsNs.types, 'AlternateId');
    const id = alt?.attrs.get('Id');
    const format = alt?.attrs.get('Format');
    if (alt === undefined || id === undefined || format === undefined) ewsFail('no-alternate-id');
    const mailbox = alt.attrs.get('Mailbox');
    const archive = alt.attrs.get('IsArchive');
    return {
      id,
      format,
      ...(mailbox === undefined ? {} : { mailbox }),
      ...(archive === undefined ? {} : { isArchive: archive === 'true' || archive === '1' }),
    };
  });
}
