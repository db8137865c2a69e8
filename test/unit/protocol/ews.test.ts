import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  EWS_PLACEHOLDER_MAILBOX,
  EwsNs,
  buildConvertIdRequest,
  buildGetFolderRequest,
  decodeXmlText,
  escapeXmlAttribute,
  findSoapFault,
  parseConvertIdResponse,
  parseGetFolderResponse,
  parseXml,
  type XmlElement,
} from '../../../src/protocol/ews.ts';
import { ewsFixture, expectParseError, onlyParseErrors } from './helpers.ts';

// Property tests run thousands of cases; give them room on a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

function find(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  if (el.ns === ns && el.local === local) return el;
  for (const c of el.children) {
    const hit = find(c, ns, local);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

describe('EWS requests', () => {
  it('GetFolder: msgfolderroot, IdOnly, no Mailbox, RequestServerVersion Exchange2007_SP1', () => {
    const req = buildGetFolderRequest();
    expect(req.operation).toBe('GetFolder');
    expect(req.headers['Content-Type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(req.body);
    expect([root.ns, root.local]).toEqual([EwsNs.soap, 'Envelope']);
    expect(find(root, EwsNs.types, 'RequestServerVersion')?.attrs.get('Version')).toBe('Exchange2007_SP1');
    const op = find(root, EwsNs.messages, 'GetFolder');
    expect(op).toBeDefined();
    expect(find(root, EwsNs.types, 'BaseShape')?.text).toBe('IdOnly');
    const folder = find(root, EwsNs.types, 'DistinguishedFolderId');
    expect(folder?.attrs.get('Id')).toBe('msgfolderroot');
    expect(folder?.children).toEqual([]);
    expect(find(root, EwsNs.types, 'Mailbox')).toBeUndefined();
  });

  it('ConvertId: EwsId to EwsId with the placeholder mailbox', () => {
    const req = buildConvertIdRequest({ id: 'AAMkAGRvY3Jvb3QAAAEBAAA=' });
    const root = parseXml(req.body);
    expect(find(root, EwsNs.types, 'RequestServerVersion')?.attrs.get('Version')).toBe('Exchange2007_SP1');
    expect(find(root, EwsNs.messages, 'ConvertId')?.attrs.get('DestinationFormat')).toBe('EwsId');
    const alt = find(find(root, EwsNs.messages, 'SourceIds') ?? root, EwsNs.types, 'AlternateId');
    expect(Object.fromEntries(alt?.attrs ?? [])).toEqual({
      Format: 'EwsId',
      Id: 'AAMkAGRvY3Jvb3QAAAEBAAA=',
      Mailbox: EWS_PLACEHOLDER_MAILBOX,
    });
  });

  it('escapes every value it inserts', () => {
    const req = buildConvertIdRequest({ id: `"/><evil a='x'>&amp;`, mailbox: 'a<b>@c.test' });
    expect(req.body).not.toContain('<evil');
    const alt = find(parseXml(req.body), EwsNs.types, 'AlternateId');
    expect(alt?.attrs.get('Id')).toBe(`"/><evil a='x'>&amp;`);
    expect(alt?.attrs.get('Mailbox')).toBe('a<b>@c.test');
  });

  it('round-trips any id and mailbox through our own parser', () => {
    const xmlChar = fc.string({ maxLength: 80, unit: 'grapheme' }).filter((s) =>
      // Only characters XML 1.0 can carry (§2.2).
      Array.from(s).every((c) => {
        const cp = c.codePointAt(0) ?? 0;
        return cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp !== 0xfffe && cp !== 0xffff);
      }),
    );
    fc.assert(
      fc.property(xmlChar, xmlChar, (id, mailbox) => {
        const alt = find(parseXml(buildConvertIdRequest({ id, mailbox }).body), EwsNs.types, 'AlternateId');
        expect(alt?.attrs.get('Id')).toBe(id);
        expect(alt?.attrs.get('Mailbox')).toBe(mailbox);
      }),
      { numRuns: 1000 },
    );
  });

  it('escapeXmlAttribute and decodeXmlText are inverse', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(decodeXmlText(escapeXmlAttribute(s))).toBe(s);
      }),
    );
  });
});

describe('parseGetFolderResponse', () => {
  const table: { description: string; input: string; expected: unknown }[] = [
    {
      description: 'documented success shape (default namespace, m:/t: prefixes)',
      input: 'getfolder-success-doc.xml',
      expected: {
        ok: true,
        value: { id: 'AAMkAGRvY3Jvb3QAAAEBAAA=', changeKey: 'AQAAABYAAAA=' },
        serverVersion: { majorVersion: 8, minorVersion: 0, majorBuildNumber: 628, minorBuildNumber: 0 },
      },
    },
    {
      description: 's:/h:/m:/t: prefixes, one line',
      input: 'getfolder-success-prefixed.xml',
      expected: {
        ok: true,
        value: { id: 'AAMkADc3MWUyMGQ4LWFsaWNlAC4AAAAAAAEBAAA=', changeKey: 'AQAAABYAAABhbGljZQ==' },
        serverVersion: {
          majorVersion: 15,
          minorVersion: 2,
          majorBuildNumber: 1544,
          minorBuildNumber: 4,
          version: 'V2017_07_11',
        },
      },
    },
    {
      description: 'ErrorInvalidIdMalformed',
      input: 'getfolder-error-malformed.xml',
      expected: {
        ok: false,
        error: {
          kind: 'response',
          responseClass: 'Error',
          responseCode: 'ErrorInvalidIdMalformed',
          messageText: 'Id is malformed.',
        },
        serverVersion: { majorVersion: 8, minorVersion: 0, majorBuildNumber: 628, minorBuildNumber: 0 },
      },
    },
    {
      description: 'ErrorAccessDenied',
      input: 'getfolder-error-access-denied.xml',
      expected: { ok: false, error: { kind: 'response', responseCode: 'ErrorAccessDenied' } },
    },
    {
      description: 'a SOAP fault (schema validation)',
      input: 'fault-invalid-request.xml',
      expected: {
        ok: false,
        error: {
          kind: 'fault',
          faultCode: 'ErrorSchemaValidation',
          faultString: 'The request failed schema validation.',
          responseCode: 'ErrorSchemaValidation',
        },
      },
    },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(parseGetFolderResponse(ewsFixture(input))).toMatchObject(expected as object);
  });
});

describe('parseConvertIdResponse', () => {
  const table: { description: string; input: string; expected: unknown }[] = [
    {
      description: 'documented success shape (AlternateId in the messages namespace, xsi:type)',
      input: 'convertid-success-doc.xml',
      expected: {
        ok: true,
        value: { id: 'AAMkAGRvY3Jvb3QAAAEBAAA=', format: 'EwsId', mailbox: 'Alice@corp.test' },
        serverVersion: { majorVersion: 8, minorVersion: 1, version: 'Exchange2007_SP1' },
      },
    },
    {
      description: 'm:AlternateId with a character reference and IsArchive',
      input: 'convertid-success-prefixed.xml',
      expected: {
        ok: true,
        value: { format: 'EwsId', mailbox: 'carol.smith@corp.test', isArchive: false },
        serverVersion: { majorVersion: 15 },
      },
    },
    {
      description: 'ErrorInvalidIdMalformed with ServerVersionInfo in a default namespace',
      input: 'convertid-error-malformed.xml',
      expected: {
        ok: false,
        error: { kind: 'response', responseClass: 'Error', responseCode: 'ErrorInvalidIdMalformed' },
        serverVersion: { majorVersion: 8, minorVersion: 1, majorBuildNumber: 206 },
      },
    },
    {
      description: 'a SOAP fault',
      input: 'fault-invalid-request.xml',
      expected: { ok: false, error: { kind: 'fault', faultCode: 'ErrorSchemaValidation' } },
    },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    expect(parseConvertIdResponse(ewsFixture(input))).toMatchObject(expected as object);
  });

  it('does not depend on prefixes: renaming every prefix changes nothing', () => {
    const original = ewsFixture('convertid-success-prefixed.xml');
    const renamed = original
      .replace(/\b(s|h|m|t):/g, (_, p: string) => `zz${p}:`)
      .replace(/xmlns:(s|h|m|t)=/g, 'xmlns:zz$1=');
    expect(renamed).not.toEqual(original);
    expect(parseConvertIdResponse(renamed)).toEqual(parseConvertIdResponse(original));
  });

  it('matches by namespace: the right local names in the wrong namespace are not accepted', () => {
    const wrong = ewsFixture('convertid-success-doc.xml').replace(
      'xmlns="http://schemas.microsoft.com/exchange/services/2006/messages"',
      'xmlns="https://schemas.microsoft.com/exchange/services/2006/messages"',
    );
    expectParseError(() => parseConvertIdResponse(wrong), 'ews', 'unexpected-body');
  });
});

describe('EWS responses: malformed', () => {
  const ok = ewsFixture('getfolder-success-doc.xml');
  const table: { description: string; input: string; expected: [string, string] }[] = [
    {
      description: 'an HTML error page',
      input: '<html><body>401 - Unauthorized</body></html>',
      expected: ['ews', 'not-soap'],
    },
    { description: 'plain text', input: 'Service Unavailable', expected: ['xml', 'malformed'] },
    { description: 'empty', input: '', expected: ['xml', 'malformed'] },
    { description: 'truncated', input: ok.slice(0, ok.length / 2), expected: ['xml', 'malformed'] },
    { description: 'mismatched tags', input: '<a><b></a></b>', expected: ['xml', 'malformed'] },
    {
      description: 'a DOCTYPE (entity expansion)',
      input: '<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
      expected: ['xml', 'doctype'],
    },
    {
      description: 'an unknown entity',
      input: ok.replace('NoError', 'No&foo;Error'),
      expected: ['xml', 'bad-entity'],
    },
    {
      description: 'a NUL character reference',
      input: ok.replace('NoError', '&#0;'),
      expected: ['xml', 'bad-entity'],
    },
    {
      description: 'an unbound prefix',
      input: ok.replace('<m:Folders>', '<q:Folders>').replace('</m:Folders>', '</q:Folders>'),
      expected: ['xml', 'unbound-prefix'],
    },
    {
      description: 'no Body',
      input: '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"/>',
      expected: ['ews', 'no-body'],
    },
    {
      description: 'no FolderId',
      input: ok.replace(/<t:FolderId[^>]*\/>/, ''),
      expected: ['ews', 'no-folder-id'],
    },
    {
      description: 'two response messages',
      input: ok.replace(/(<m:GetFolderResponseMessage[\s\S]*<\/m:GetFolderResponseMessage>)/, '$1$1'),
      expected: ['ews', 'unexpected-message-count'],
    },
    {
      description: 'an unknown ResponseClass',
      input: ok.replace('"Success"', '"Maybe"'),
      expected: ['ews', 'bad-response-class'],
    },
    { description: 'over 1 MiB', input: ok + ' '.repeat(1024 * 1024), expected: ['xml', 'too-large'] },
  ];
  it.each(table)('rejects $description', ({ input, expected: [subject, reason] }) => {
    expectParseError(() => parseGetFolderResponse(input), subject, reason);
  });

  it('findSoapFault never throws and finds only faults', () => {
    expect(findSoapFault(ewsFixture('fault-invalid-request.xml'))?.faultCode).toBe('ErrorSchemaValidation');
    expect(findSoapFault(ok)).toBeUndefined();
    expect(findSoapFault('<html>')).toBeUndefined();
  });

  it('never throws anything but ProtocolParseError (random text and mutated answers)', () => {
    const fixtures = [
      'getfolder-success-doc.xml',
      'getfolder-success-prefixed.xml',
      'convertid-success-doc.xml',
      'fault-invalid-request.xml',
    ].map(ewsFixture);
    const mutated = fc
      .record({
        i: fc.nat({ max: fixtures.length - 1 }),
        at: fc.nat(),
        del: fc.nat({ max: 20 }),
        ins: fc.string({ maxLength: 10, unit: 'binary' }),
      })
      .map(({ i, at, del, ins }) => {
        const f = fixtures[i] ?? '';
        const p = at % (f.length + 1);
        return f.slice(0, p) + ins + f.slice(p + del);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200, unit: 'binary' }), mutated), (xml) => {
        onlyParseErrors(() => parseGetFolderResponse(xml));
        onlyParseErrors(() => parseConvertIdResponse(xml));
        findSoapFault(xml);
      }),
      { numRuns: 2000 },
    );
  });
});
