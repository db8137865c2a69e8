/**
 * Table tests of the stand-in's pure EWS pieces (no lab processes needed).
 */
import { describe, expect, it } from 'vitest';
import {
  answerEws,
  convertIdRequest,
  decodeFolderEwsId,
  folderEwsId,
  getFolderRequest,
  loginFromRemoteUser,
  NS,
} from './ews-xml.ts';

describe('loginFromRemoteUser', () => {
  it.each([
    ['alice@CORP.TEST', 'alice'],
    ['CORP\\carol', 'carol'],
    ['corp\\Bob', 'bob'],
    ['bob', 'bob'],
    ['alice@OTHER.TEST', undefined],
    ['OTHER\\alice', undefined],
    ['', undefined],
  ])('%s → %s', (remote, login) => {
    expect(loginFromRemoteUser(remote)).toBe(login);
  });
});

describe('folder ids', () => {
  it('are deterministic, base64, and decode to their owner', () => {
    const id = folderEwsId('carol.smith@corp.test', 'msgfolderroot');
    expect(id).toBe(folderEwsId('carol.smith@corp.test', 'msgfolderroot'));
    expect(id).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(id).not.toContain('carol');
    expect(decodeFolderEwsId(id)).toEqual({ smtp: 'carol.smith@corp.test', folder: 'msgfolderroot' });
  });

  it.each(['', 'AAMkAGZhN2IxYTA0LWNiNzItN=', 'not base64!', folderEwsId('mallory@corp.test', 'inbox')])(
    'rejects %j',
    (id) => {
      expect(decodeFolderEwsId(id)).toBeUndefined();
    },
  );
});

describe('answerEws', () => {
  const ownFolder = (user: string) =>
    /FolderId Id="([^"]+)"/.exec(answerEws(getFolderRequest(), user).body)?.[1];

  it.each([
    {
      description: 'GetFolder of msgfolderroot for a Kerberos user',
      body: getFolderRequest(),
      user: 'alice@CORP.TEST',
      status: 200,
      contains: ['ResponseClass="Success"', '<m:ResponseCode>NoError</m:ResponseCode>', `xmlns:m="${NS.m}"`],
    },
    {
      description: 'GetFolder for an account without a mailbox',
      body: getFolderRequest(),
      user: 'CORP\\nobody',
      status: 200,
      contains: ['ResponseClass="Error"', 'ErrorNonExistentMailbox'],
    },
    {
      description: "GetFolder of another user's mailbox",
      body: getFolderRequest().replace(
        '<t:DistinguishedFolderId Id="msgfolderroot"/>',
        '<t:DistinguishedFolderId Id="inbox"><t:Mailbox><t:EmailAddress>bob@corp.test</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>',
      ),
      user: 'alice@CORP.TEST',
      status: 200,
      contains: ['ErrorAccessDenied'],
    },
    {
      description: 'ConvertId names the owner, not the placeholder Mailbox',
      body: convertIdRequest(folderEwsId('carol.smith@corp.test', 'msgfolderroot'), 'EntryId'),
      user: 'CORP\\bob',
      status: 200,
      contains: ['Mailbox="carol.smith@corp.test"', 'Format="EntryId"', 'xsi:type="t:AlternateIdType"'],
    },
    {
      description: 'ConvertId of a malformed id',
      body: convertIdRequest('AAAA'),
      user: 'CORP\\bob',
      status: 200,
      contains: ['ResponseClass="Error"', 'ErrorInvalidIdMalformed', 'Id is malformed.'],
    },
    {
      description: 'malformed XML',
      body: '<soap:Envelope><oops></soap:Envelope>',
      user: 'CORP\\bob',
      status: 500,
      contains: ['<s:Fault>', 'a:ErrorSchemaValidation'],
    },
    {
      description: 'SOAP 1.2 envelope',
      body: getFolderRequest().replace(NS.soap, 'http://www.w3.org/2003/05/soap-envelope'),
      user: 'CORP\\bob',
      status: 500,
      contains: ['a:ErrorSchemaValidation', 'SOAP 1.1 Envelope'],
    },
    {
      description: 'operation in the wrong namespace',
      body: getFolderRequest().replace(
        `xmlns:m="${NS.m}"`,
        'xmlns:m="https://schemas.microsoft.com/exchange/services/2006/messages"',
      ),
      user: 'CORP\\bob',
      status: 500,
      contains: ['a:ErrorSchemaValidation'],
    },
  ])('$description', ({ body, user, status, contains }) => {
    const a = answerEws(body, user);
    expect(a.status).toBe(status);
    for (const c of contains) expect(a.body).toContain(c);
  });

  it('round-trips: the GetFolder id converts back to the caller', () => {
    const id = ownFolder('CORP\\carol');
    expect(id).toBeDefined();
    const a = answerEws(convertIdRequest(id ?? ''), 'CORP\\carol');
    expect(a.body).toContain('Mailbox="carol.smith@corp.test"');
  });
});
