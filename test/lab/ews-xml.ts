/**
 * Pure EWS pieces of the lab's EWS stand-in: request parsing (with real namespace checks),
 * response building in the XML Exchange 2013+ actually sends, folder ids and the user map.
 * No I/O here, so it can be tested from tables.
 *
 * Shapes taken from Microsoft's EWS reference:
 * - GetFolder operation (response and ErrorInvalidIdMalformed example):
 *   https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getfolder-operation
 * - ConvertId operation (AlternateId with xsi:type="t:AlternateIdType", Format, Id, Mailbox;
 *   error example): https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/convertid-operation
 * - AlternateId (Mailbox = primary SMTP address of the mailbox holding the id):
 *   https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/alternateid
 * - Exchange 2013 envelope: `s:` prefix, `h:ServerVersionInfo` with attributes and the xsi/xsd
 *   declarations on s:Body, `m:`/`t:` prefixes on the response element, e.g.
 *   https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getuserphoto-operation
 *   and https://learn.microsoft.com/en-us/exchange/client-developer/exchange-web-services/how-to-work-with-hidden-folders-by-using-ews-in-exchange
 *   (GetFolderResponse with Version="V2_10", build 15.0.898.23).
 * - SOAP faults (HTTP 500, faultcode a:ErrorSchemaValidation in the types namespace, detail
 *   with e:ResponseCode/e:Message and t:MessageXml):
 *   https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/getserviceconfiguration-operation
 * Some localized copies of those pages print the namespaces as https://; the real ones are http://.
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  m: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  t: 'http://schemas.microsoft.com/exchange/services/2006/types',
  e: 'http://schemas.microsoft.com/exchange/services/2006/errors',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xsd: 'http://www.w3.org/2001/XMLSchema',
} as const;

/** The server version the stand-in claims: Exchange 2013 CU, as in Microsoft's examples. */
export const SERVER_VERSION = {
  MajorVersion: 15,
  MinorVersion: 0,
  MajorBuildNumber: 898,
  MinorBuildNumber: 23,
  Version: 'V2_10',
} as const;

// ---------------------------------------------------------------- users and mailboxes

export interface Mailbox {
  login: string;
  smtp: string;
  displayName: string;
}

/** Lab mailboxes by login. carol's address differs from her login on purpose. */
export const MAILBOXES: Readonly<Record<string, Mailbox>> = {
  alice: { login: 'alice', smtp: 'alice@corp.test', displayName: 'Alice Anders' },
  bob: { login: 'bob', smtp: 'bob@corp.test', displayName: 'Bob Berg' },
  carol: { login: 'carol', smtp: 'carol.smith@corp.test', displayName: 'Carol Smith' },
};

/**
 * Maps the authenticated user Apache passes on (REMOTE_USER) to a login:
 * Kerberos `alice@CORP.TEST`, NTLM `CORP\alice`, Basic `alice`. Other realms or domains
 * are not ours and map to nothing.
 */
export function loginFromRemoteUser(remoteUser: string): string | undefined {
  const u = remoteUser.trim();
  let m = /^([^@\\/]+)@CORP\.TEST$/i.exec(u);
  if (m?.[1] !== undefined) return m[1].toLowerCase();
  m = /^CORP\\([^@\\/]+)$/i.exec(u);
  if (m?.[1] !== undefined) return m[1].toLowerCase();
  if (/^[a-z0-9._-]+$/i.test(u)) return u.toLowerCase();
  return undefined;
}

export function mailboxForRemoteUser(remoteUser: string): Mailbox | undefined {
  const login = loginFromRemoteUser(remoteUser);
  return login === undefined ? undefined : MAILBOXES[login];
}

export function mailboxBySmtp(smtp: string): Mailbox | undefined {
  const s = smtp.toLowerCase();
  return Object.values(MAILBOXES).find((m) => m.smtp === s);
}

// ---------------------------------------------------------------- folder ids

/** Distinguished folders the stand-in knows, with the display names Exchange uses. */
export const FOLDERS: Readonly<Record<string, string>> = {
  msgfolderroot: 'Top of Information Store',
  inbox: 'Inbox',
  drafts: 'Drafts',
  sentitems: 'Sent Items',
  deleteditems: 'Deleted Items',
  calendar: 'Calendar',
  contacts: 'Contacts',
};

const sha = (s: string) => createHash('sha256').update(s).digest();

/**
 * A deterministic, opaque-looking EwsId for one user's folder. Like a real EwsId it carries
 * the owning mailbox inside (so ConvertId can name the owner whatever Mailbox the request
 * claims); unlike a real one the layout is the lab's own:
 * `00 01 | len:u16be | smtp | 00 | sha256(smtp/folder)[0..16] | 00 01`.
 */
export function folderEwsId(smtp: string, folder: string): string {
  const s = Buffer.from(smtp.toLowerCase(), 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(s.length);
  const key = sha(`${smtp.toLowerCase()}/${folder}`).subarray(0, 16);
  return Buffer.concat([Buffer.from([0, 1]), len, s, Buffer.from([0]), key, Buffer.from([0, 1])]).toString(
    'base64',
  );
}

/** A ChangeKey of the usual 'CQAAABYA…'-looking form, fixed per folder. */
export function folderChangeKey(smtp: string, folder: string): string {
  const key = sha(`ck/${smtp.toLowerCase()}/${folder}`).subarray(0, 20);
  return Buffer.concat([Buffer.from([1, 0, 0, 0, 0x16, 0, 0, 0]), key]).toString('base64');
}

/** A 46-byte PR_ENTRYID-like value: flags, store uid, folder type, then a folder key. */
export function folderEntryId(smtp: string, folder: string): Buffer {
  const store = sha(`store/${smtp.toLowerCase()}`).subarray(0, 16);
  const key = sha(`${smtp.toLowerCase()}/${folder}`).subarray(0, 22);
  return Buffer.concat([
    Buffer.alloc(4),
    store,
    Buffer.from([1, 0]),
    key.subarray(0, 16),
    key.subarray(16, 22),
  ]);
}

export interface DecodedFolderId {
  smtp: string;
  folder: string;
}

/** Reverses {@link folderEwsId}; undefined for anything it did not make ("Id is malformed"). */
export function decodeFolderEwsId(id: string): DecodedFolderId | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(id)) return undefined;
  const b = Buffer.from(id, 'base64');
  if (b.length < 4 || b[0] !== 0 || b[1] !== 1) return undefined;
  const len = b.readUInt16BE(2);
  if (b.length !== 4 + len + 1 + 16 + 2) return undefined;
  const smtp = b.subarray(4, 4 + len).toString('utf8');
  const mb = mailboxBySmtp(smtp);
  if (mb === undefined) return undefined;
  const folder = Object.keys(FOLDERS).find((f) => folderEwsId(mb.smtp, f) === id);
  return folder === undefined ? undefined : { smtp: mb.smtp, folder };
}

function decodeEntryId(entryId: Buffer, mailbox: Mailbox): DecodedFolderId | undefined {
  const folder = Object.keys(FOLDERS).find((f) => folderEntryId(mailbox.smtp, f).equals(entryId));
  return folder === undefined ? undefined : { smtp: mailbox.smtp, folder };
}

// ---------------------------------------------------------------- request parsing

/** A namespace-resolved XML element. */
export interface XEl {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XEl[];
  text: string;
}

type Raw = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

function toEl(raw: Raw, scope: Readonly<Record<string, string>>): XEl | undefined {
  const tag = Object.keys(raw).find((k) => k !== ':@');
  if (tag === undefined || tag === '#text' || tag.startsWith('?')) return undefined;
  const rawAttrs = (raw[':@'] ?? {}) as Record<string, string>;
  const inner: Record<string, string> = { ...scope };
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns') inner[''] = v;
    else if (k.startsWith('xmlns:')) inner[k.slice(6)] = v;
  }
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    // Unprefixed attributes have no namespace; EWS attributes are all unprefixed.
    attrs[k] = v;
  }
  const colon = tag.indexOf(':');
  const prefix = colon < 0 ? '' : tag.slice(0, colon);
  const name = colon < 0 ? tag : tag.slice(colon + 1);
  const ns = inner[prefix];
  if (ns === undefined) throw new SchemaError(`The '${prefix}' prefix is not declared.`);
  const kids = (raw[tag] ?? []) as Raw[];
  const children: XEl[] = [];
  let text = '';
  for (const k of kids) {
    if ('#text' in k) text += String(k['#text']);
    else {
      const c = toEl(k, inner);
      if (c !== undefined) children.push(c);
    }
  }
  return { ns, name, attrs, children, text };
}

export class SchemaError extends Error {}

/** Parses a SOAP request; throws {@link SchemaError} with a violation text when it cannot. */
export function parseXml(xml: string): XEl {
  // fast-xml-parser's parse() accepts mismatched tags, and EWS answers malformed XML with a
  // schema-validation fault; the deprecated validator is the only one installed.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new SchemaError(`${valid.err.msg} Line ${valid.err.line}, position ${valid.err.col}.`);
  }
  const doc = parser.parse(xml) as Raw[];
  for (const r of doc) {
    const el = toEl(r, { xml: 'http://www.w3.org/XML/1998/namespace' });
    if (el !== undefined) return el;
  }
  throw new SchemaError('Root element is missing.');
}

const child = (el: XEl, ns: string, name: string) => el.children.find((c) => c.ns === ns && c.name === name);

export type EwsRequest =
  | { op: 'GetFolder'; requestServerVersion?: string; shape: string; folderIds: FolderIdRef[] }
  | {
      op: 'ConvertId';
      requestServerVersion?: string;
      destinationFormat: string;
      sourceIds: AlternateIdRef[];
    };

export type FolderIdRef =
  { kind: 'distinguished'; id: string; mailbox?: string } | { kind: 'id'; id: string; changeKey?: string };

export interface AlternateIdRef {
  format: string;
  id: string;
  mailbox: string;
}

/** Reads a SOAP 1.1 envelope carrying GetFolder or ConvertId; anything else is a SchemaError. */
export function parseEwsRequest(xml: string): EwsRequest {
  const env = parseXml(xml);
  if (env.ns !== NS.soap || env.name !== 'Envelope') {
    throw new SchemaError(
      `The root element must be the SOAP 1.1 Envelope ('${NS.soap}'), not '${env.ns}:${env.name}'.`,
    );
  }
  const header = child(env, NS.soap, 'Header');
  const rsv = header === undefined ? undefined : child(header, NS.t, 'RequestServerVersion')?.attrs.Version;
  const body = child(env, NS.soap, 'Body');
  const op = body?.children[0];
  if (op === undefined) throw new SchemaError("The element 'Body' is missing its operation element.");
  if (op.ns !== NS.m) {
    throw new SchemaError(`The element '${op.name}' in namespace '${op.ns}' is not a valid EWS operation.`);
  }
  if (op.name === 'GetFolder') {
    const shape = child(op, NS.m, 'FolderShape');
    const base = shape === undefined ? undefined : child(shape, NS.t, 'BaseShape')?.text;
    if (base === undefined)
      throw new SchemaError("The element 'GetFolder' has incomplete content. Expected: 'FolderShape'.");
    if (!['IdOnly', 'Default', 'AllProperties'].includes(base)) {
      throw new SchemaError(
        `The value '${base}' is invalid according to its datatype 'DefaultShapeNamesType'.`,
      );
    }
    const ids = child(op, NS.m, 'FolderIds');
    if (ids === undefined || ids.children.length === 0) {
      throw new SchemaError("The element 'GetFolder' has incomplete content. Expected: 'FolderIds'.");
    }
    const folderIds = ids.children.map((c): FolderIdRef => {
      if (c.ns === NS.t && c.name === 'DistinguishedFolderId' && c.attrs.Id !== undefined) {
        const mb = child(c, NS.t, 'Mailbox');
        const addr = mb === undefined ? undefined : child(mb, NS.t, 'EmailAddress')?.text;
        return addr === undefined
          ? { kind: 'distinguished', id: c.attrs.Id }
          : { kind: 'distinguished', id: c.attrs.Id, mailbox: addr };
      }
      if (c.ns === NS.t && c.name === 'FolderId' && c.attrs.Id !== undefined) {
        return c.attrs.ChangeKey === undefined
          ? { kind: 'id', id: c.attrs.Id }
          : { kind: 'id', id: c.attrs.Id, changeKey: c.attrs.ChangeKey };
      }
      throw new SchemaError(
        `The element 'FolderIds' has invalid child element '${c.name}' in namespace '${c.ns}'.`,
      );
    });
    for (const f of folderIds) {
      if (f.kind === 'distinguished' && FOLDERS[f.id] === undefined) {
        throw new SchemaError(
          `The 'Id' attribute is invalid - The value '${f.id}' is invalid according to its datatype 'DistinguishedFolderIdNameType' - The Enumeration constraint failed.`,
        );
      }
    }
    return { op: 'GetFolder', requestServerVersion: rsv, shape: base, folderIds };
  }
  if (op.name === 'ConvertId') {
    const dest = op.attrs.DestinationFormat;
    if (dest === undefined) throw new SchemaError("The required attribute 'DestinationFormat' is missing.");
    const src = child(op, NS.m, 'SourceIds');
    if (src === undefined || src.children.length === 0) {
      throw new SchemaError("The element 'ConvertId' has incomplete content. Expected: 'SourceIds'.");
    }
    const sourceIds = src.children.map((c): AlternateIdRef => {
      if (c.ns !== NS.t || c.name !== 'AlternateId') {
        throw new SchemaError(
          `The element 'SourceIds' has invalid child element '${c.name}' in namespace '${c.ns}'.`,
        );
      }
      const { Format: format, Id: id, Mailbox: mailbox } = c.attrs;
      if (format === undefined || id === undefined || mailbox === undefined) {
        throw new SchemaError("The required attribute 'Format', 'Id' or 'Mailbox' is missing.");
      }
      return { format, id, mailbox };
    });
    return { op: 'ConvertId', requestServerVersion: rsv, destinationFormat: dest, sourceIds };
  }
  throw new SchemaError(
    `The element 'Body' in namespace '${NS.soap}' has invalid child element '${op.name}' in namespace '${op.ns}'.`,
  );
}

// ---------------------------------------------------------------- responses

export const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A full response envelope around one operation response element (Exchange 2013+ form). */
export function envelope(body: string): string {
  const v = SERVER_VERSION;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap}">` +
    '<s:Header>' +
    `<h:ServerVersionInfo MajorVersion="${v.MajorVersion}" MinorVersion="${v.MinorVersion}" MajorBuildNumber="${v.MajorBuildNumber}" MinorBuildNumber="${v.MinorBuildNumber}" Version="${v.Version}" xmlns:h="${NS.t}" xmlns="${NS.t}" xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}"/>` +
    '</s:Header>' +
    `<s:Body xmlns:xsi="${NS.xsi}" xmlns:xsd="${NS.xsd}">${body}</s:Body>` +
    '</s:Envelope>'
  );
}

/** A SOAP 1.1 fault as EWS sends it (with HTTP 500). */
export function soapFault(code: string, message: string, violation: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<s:Envelope xmlns:s="${NS.soap}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${NS.t}">a:${code}</faultcode>` +
    `<faultstring xml:lang="en-US">${xmlEscape(`${message}: ${violation}`)}</faultstring>` +
    '<detail>' +
    `<e:ResponseCode xmlns:e="${NS.e}">${code}</e:ResponseCode>` +
    `<e:Message xmlns:e="${NS.e}">${xmlEscape(message)}.</e:Message>` +
    `<t:MessageXml xmlns:t="${NS.t}"><t:Violation>${xmlEscape(violation)}</t:Violation></t:MessageXml>` +
    '</detail></s:Fault></s:Body></s:Envelope>'
  );
}

export const schemaFault = (violation: string): string =>
  soapFault('ErrorSchemaValidation', 'The request failed schema validation', violation);

/** Message texts Exchange uses for the error codes the stand-in returns. */
export const ERROR_TEXT: Readonly<Record<string, string>> = {
  ErrorInvalidIdMalformed: 'Id is malformed.',
  ErrorNonExistentMailbox: 'The SMTP address has no mailbox associated with it.',
  ErrorAccessDenied: 'Access is denied. Check credentials and try again.',
  // Exchange validates the Mailbox syntax of ConvertId sources (see the ConvertId page); the
  // lab's best match for that error.
  ErrorInvalidSmtpAddress: 'The SMTP address format is invalid.',
  ErrorInvalidIdNotAnItemAttachmentId: 'The Id is invalid.',
};

function errorMessage(element: string, code: string, extra = ''): string {
  return (
    `<m:${element} ResponseClass="Error">` +
    `<m:MessageText>${xmlEscape(ERROR_TEXT[code] ?? code)}</m:MessageText>` +
    `<m:ResponseCode>${code}</m:ResponseCode>` +
    '<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>' +
    extra +
    `</m:${element}>`
  );
}

function folderXml(mb: Mailbox, folder: string, shape: string): string {
  const id = `<t:FolderId Id="${folderEwsId(mb.smtp, folder)}" ChangeKey="${folderChangeKey(mb.smtp, folder)}"/>`;
  if (shape === 'IdOnly') return `<t:Folder>${id}</t:Folder>`;
  return (
    `<t:Folder>${id}` +
    `<t:DisplayName>${xmlEscape(FOLDERS[folder] ?? folder)}</t:DisplayName>` +
    `<t:TotalCount>0</t:TotalCount><t:ChildFolderCount>${folder === 'msgfolderroot' ? 6 : 0}</t:ChildFolderCount>` +
    `<t:UnreadCount>0</t:UnreadCount></t:Folder>`
  );
}

const SMTP_RE = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/**
 * Answers GetFolder for the authenticated caller. No Mailbox element means the caller's own
 * mailbox; another user's mailbox is refused (no delegate rights in the lab).
 */
export function getFolderResponse(
  req: Extract<EwsRequest, { op: 'GetFolder' }>,
  caller: Mailbox | undefined,
): string {
  const msgs = req.folderIds.map((f) => {
    if (caller === undefined)
      return errorMessage('GetFolderResponseMessage', 'ErrorNonExistentMailbox', '<m:Folders/>');
    if (f.kind === 'distinguished') {
      if (f.mailbox !== undefined && f.mailbox.toLowerCase() !== caller.smtp) {
        const code = mailboxBySmtp(f.mailbox) === undefined ? 'ErrorNonExistentMailbox' : 'ErrorAccessDenied';
        return errorMessage('GetFolderResponseMessage', code, '<m:Folders/>');
      }
      return (
        '<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>' +
        `<m:Folders>${folderXml(caller, f.id, req.shape)}</m:Folders></m:GetFolderResponseMessage>`
      );
    }
    const d = decodeFolderEwsId(f.id);
    if (d === undefined)
      return errorMessage('GetFolderResponseMessage', 'ErrorInvalidIdMalformed', '<m:Folders/>');
    if (d.smtp !== caller.smtp)
      return errorMessage('GetFolderResponseMessage', 'ErrorAccessDenied', '<m:Folders/>');
    return (
      '<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>' +
      `<m:Folders>${folderXml(caller, d.folder, req.shape)}</m:Folders></m:GetFolderResponseMessage>`
    );
  });
  return envelope(
    `<m:GetFolderResponse xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseMessages>${msgs.join('')}</m:ResponseMessages></m:GetFolderResponse>`,
  );
}

const ID_FORMATS = ['EwsLegacyId', 'EwsId', 'EntryId', 'HexEntryId', 'StoreId', 'OwaId'] as const;

function encodeAs(format: string, d: DecodedFolderId): string | undefined {
  switch (format) {
    case 'EwsId':
    case 'EwsLegacyId':
      return folderEwsId(d.smtp, d.folder);
    case 'EntryId':
    case 'StoreId':
      return folderEntryId(d.smtp, d.folder).toString('base64');
    case 'HexEntryId':
      return folderEntryId(d.smtp, d.folder).toString('hex').toUpperCase();
    default:
      return undefined;
  }
}

/**
 * Answers ConvertId. The answer's Mailbox is the owner decoded from the id itself — not the
 * placeholder Mailbox the request carried — which is what makes ConvertId an identity probe.
 */
export function convertIdResponse(req: Extract<EwsRequest, { op: 'ConvertId' }>): string {
  const msgs = req.sourceIds.map((s) => {
    if (!SMTP_RE.test(s.mailbox)) return errorMessage('ConvertIdResponseMessage', 'ErrorInvalidSmtpAddress');
    let d: DecodedFolderId | undefined;
    if (s.format === 'EwsId' || s.format === 'EwsLegacyId') d = decodeFolderEwsId(s.id);
    else if (s.format === 'EntryId' || s.format === 'HexEntryId' || s.format === 'StoreId') {
      // MAPI ids do not name their mailbox; for these the request's Mailbox is used.
      const mb = mailboxBySmtp(s.mailbox);
      const bytes = s.format === 'HexEntryId' ? Buffer.from(s.id, 'hex') : Buffer.from(s.id, 'base64');
      d = mb === undefined ? undefined : decodeEntryId(bytes, mb);
    }
    const out = d === undefined ? undefined : encodeAs(req.destinationFormat, d);
    if (d === undefined || out === undefined)
      return errorMessage('ConvertIdResponseMessage', 'ErrorInvalidIdMalformed');
    return (
      '<m:ConvertIdResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>' +
      `<m:AlternateId xsi:type="t:AlternateIdType" Format="${xmlEscape(req.destinationFormat)}" Id="${xmlEscape(out)}" Mailbox="${xmlEscape(d.smtp)}"/>` +
      '</m:ConvertIdResponseMessage>'
    );
  });
  return envelope(
    `<m:ConvertIdResponse xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseMessages>${msgs.join('')}</m:ResponseMessages></m:ConvertIdResponse>`,
  );
}

export function isIdFormat(f: string): boolean {
  return (ID_FORMATS as readonly string[]).includes(f);
}

export interface EwsAnswer {
  status: number;
  body: string;
  op: string;
}

/** The whole stand-in logic for one POSTed SOAP request. */
export function answerEws(xml: string, remoteUser: string | undefined): EwsAnswer {
  let req: EwsRequest;
  try {
    req = parseEwsRequest(xml);
    if (req.op === 'ConvertId' && !isIdFormat(req.destinationFormat)) {
      throw new SchemaError(
        `The 'DestinationFormat' attribute is invalid - The value '${req.destinationFormat}' is invalid according to its datatype 'IdFormatType' - The Enumeration constraint failed.`,
      );
    }
  } catch (err) {
    if (err instanceof SchemaError) return { status: 500, body: schemaFault(err.message), op: 'fault' };
    throw err;
  }
  const caller = remoteUser === undefined ? undefined : mailboxForRemoteUser(remoteUser);
  if (req.op === 'GetFolder') return { status: 200, body: getFolderResponse(req, caller), op: req.op };
  return { status: 200, body: convertIdResponse(req), op: req.op };
}

// ---------------------------------------------------------------- request builders

/** The identity probe's first request: GetFolder of msgfolderroot, no Mailbox (own mailbox). */
export function getFolderRequest(version = 'Exchange2007_SP1'): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${NS.soap}" xmlns:t="${NS.t}" xmlns:m="${NS.m}">` +
    `<soap:Header><t:RequestServerVersion Version="${version}"/></soap:Header>` +
    '<soap:Body><m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>' +
    '<m:FolderIds><t:DistinguishedFolderId Id="msgfolderroot"/></m:FolderIds></m:GetFolder></soap:Body></soap:Envelope>'
  );
}

/** The identity probe's second request: ConvertId of a folder's EwsId, placeholder Mailbox. */
export function convertIdRequest(
  folderId: string,
  destinationFormat = 'EwsId',
  version = 'Exchange2007_SP1',
): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${NS.soap}" xmlns:t="${NS.t}" xmlns:m="${NS.m}">` +
    `<soap:Header><t:RequestServerVersion Version="${version}"/></soap:Header>` +
    `<soap:Body><m:ConvertId DestinationFormat="${destinationFormat}"><m:SourceIds>` +
    `<t:AlternateId Format="EwsId" Id="${xmlEscape(folderId)}" Mailbox="placeholder@example.invalid"/>` +
    '</m:SourceIds></m:ConvertId></soap:Body></soap:Envelope>'
  );
}
