/**
 * The HTTP/1.1 response head parser, request writer and chunked decoder (RFC 9112) from tables,
 * malformed input included, and fuzzed: random bytes and mutated real heads throw only
 * ProtocolParseError, and a body cut into any pieces decodes to the same bytes.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  ChunkedDecoder,
  formatRequestHead,
  parseResponseHead,
  type ResponseHead,
} from '../../../src/protocol/http1.ts';
import { expectParseError, onlyParseErrors } from './helpers.ts';

vi.setConfig({ testTimeout: 60_000 });

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const LIMIT = 64 * 1024;

function head(s: string): ResponseHead {
  const r = parseResponseHead(bytes(s), LIMIT);
  if (r.kind !== 'complete') throw new Error('incomplete');
  return r.head;
}

/** What IIS sends to an anonymous EWS request (two challenges, a length). */
const IIS_401 =
  'HTTP/1.1 401 Unauthorized\r\nContent-Type: text/html\r\nServer: Microsoft-IIS/10.0\r\n' +
  'WWW-Authenticate: Negotiate\r\nWWW-Authenticate: NTLM\r\nX-Powered-By: ASP.NET\r\n' +
  'Content-Length: 1293\r\n\r\n';

describe('parseResponseHead', () => {
  it('reads status, every WWW-Authenticate in order, content type and length', () => {
    const r = parseResponseHead(bytes(`${IIS_401}body`), LIMIT);
    expect(r).toEqual({
      kind: 'complete',
      length: IIS_401.length,
      head: {
        minor: 1,
        status: 401,
        wwwAuthenticate: ['Negotiate', 'NTLM'],
        contentType: 'text/html',
        framing: { kind: 'length', length: 1293 },
        close: false,
      },
    });
  });

  it('is incomplete until the empty line arrives', () => {
    for (let cut = 0; cut < IIS_401.length; cut++) {
      expect(parseResponseHead(bytes(IIS_401.slice(0, cut)), LIMIT)).toEqual({ kind: 'incomplete' });
    }
  });

  const framings: [string, string, ResponseHead['framing']][] = [
    ['chunked (§6.3 item 4)', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', { kind: 'chunked' }],
    ['chunked, any case', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n', { kind: 'chunked' }],
    ['no length: until close (§6.3 item 8)', 'HTTP/1.1 200 OK\r\n\r\n', { kind: 'until-close' }],
    ['204 has no body', 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n', { kind: 'none' }],
    ['304 has no body', 'HTTP/1.1 304 Not Modified\r\n\r\n', { kind: 'none' }],
    ['1xx has no body', 'HTTP/1.1 100 Continue\r\n\r\n', { kind: 'none' }],
    [
      'identical lengths (§8.6)',
      'HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\n',
      { kind: 'length', length: 3 },
    ],
  ];
  it.each(framings)('framing: %s', (_name, text, framing) => {
    expect(head(text).framing).toEqual(framing);
  });

  it('reads Connection: close, and HTTP/1.0 closes unless keep-alive (§9.3)', () => {
    expect(head('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').close).toBe(true);
    expect(head('HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\n\r\n').close).toBe(true);
    expect(head('HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n\r\n').close).toBe(false);
    expect(head('HTTP/1.0 200 OK\r\n\r\n').close).toBe(true);
    expect(head('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n').close).toBe(false);
  });

  it('trims optional whitespace, unfolds obs-fold into a space (§5.2), accepts no reason phrase', () => {
    const h = head(
      'HTTP/1.1 401\r\nWWW-Authenticate:   Negotiate \t\r\nContent-Type: text/xml;\r\n charset=utf-8\r\n\r\n',
    );
    expect(h.status).toBe(401);
    expect(h.wwwAuthenticate).toEqual(['Negotiate']);
    expect(h.contentType).toBe('text/xml; charset=utf-8');
  });

  it('keeps a comma list of challenges in one field as one value', () => {
    expect(head('HTTP/1.1 401 x\r\nwww-authenticate: Negotiate, NTLM\r\n\r\n').wwwAuthenticate).toEqual([
      'Negotiate, NTLM',
    ]);
  });

  const malformed: [string, string, string][] = [
    ['not HTTP', 'HTTP/2 200 OK\r\n\r\n', 'bad-status-line'],
    ['HTTP/1.2', 'HTTP/1.2 200 OK\r\n\r\n', 'bad-status-line'],
    ['two-digit status', 'HTTP/1.1 20 OK\r\n\r\n', 'bad-status-line'],
    ['status below 100', 'HTTP/1.1 099 OK\r\n\r\n', 'bad-status-line'],
    ['space before the colon (§5.1)', 'HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n', 'bad-field-name'],
    ['no colon', 'HTTP/1.1 200 OK\r\nContent-Length\r\n\r\n', 'bad-field-line'],
    ['empty name', 'HTTP/1.1 200 OK\r\n: x\r\n\r\n', 'bad-field-line'],
    ['bare LF inside', 'HTTP/1.1 200 OK\r\nA: b\nC: d\r\n\r\n', 'bare-cr-or-lf'],
    ['bare CR inside', 'HTTP/1.1 200 OK\r\nA: b\rC: d\r\n\r\n', 'bare-cr-or-lf'],
    ['NUL in a value', 'HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n', 'bad-field-value'],
    ['fold before any field', 'HTTP/1.1 200 OK\r\n x\r\n\r\n', 'fold-without-field'],
    [
      'length and chunked (§6.3 item 3)',
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n',
      'length-and-transfer-encoding',
    ],
    [
      'gzip coding',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n',
      'unsupported-transfer-coding',
    ],
    [
      'two lengths',
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n',
      'conflicting-content-length',
    ],
    ['negative length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'bad-content-length'],
    ['hex length', 'HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n', 'bad-content-length'],
  ];
  it.each(malformed)('refuses %s', (_name, text, reason) => {
    expectParseError(() => parseResponseHead(bytes(text), LIMIT), 'http', reason);
  });

  it('refuses a head longer than the limit, complete or not', () => {
    const long = `HTTP/1.1 401 x\r\nWWW-Authenticate: Negotiate ${'A'.repeat(200)}\r\n\r\n`;
    expectParseError(() => parseResponseHead(bytes(long), 100), 'http', 'too-large');
    expectParseError(() => parseResponseHead(bytes(long.slice(0, 150)), 100), 'http', 'too-large');
    expect(parseResponseHead(bytes(long), long.length).kind).toBe('complete');
  });

  it('fuzz: random bytes and mutated heads throw only ProtocolParseError', () => {
    const real = [IIS_401, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n'];
    const mutated = fc
      .record({
        i: fc.nat({ max: real.length - 1 }),
        at: fc.nat(),
        insert: fc.uint8Array({ maxLength: 8 }),
        drop: fc.nat({ max: 8 }),
      })
      .map(({ i, at, insert, drop }) => {
        const b = bytes(real[i] ?? '');
        const p = at % (b.length + 1);
        return new Uint8Array([...b.subarray(0, p), ...insert, ...b.subarray(p + drop)]);
      });
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated),
        fc.integer({ min: 1, max: 400 }),
        (b, limit) => {
          onlyParseErrors(() => parseResponseHead(b, limit));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('fuzz: whatever parses has a valid status and at most one framing', () => {
    const lines = fc.array(
      fc.constantFrom(
        'Content-Length: 5',
        'Content-Length: 6',
        'Transfer-Encoding: chunked',
        'Connection: close',
        'WWW-Authenticate: NTLM',
        ' folded',
        'X: y',
      ),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), lines, (status, fields) => {
        const text = `HTTP/1.1 ${String(status).padStart(3, '0')} x\r\n${fields.map((f) => `${f}\r\n`).join('')}\r\n`;
        let r;
        try {
          r = parseResponseHead(bytes(text), LIMIT);
        } catch {
          return;
        }
        expect(r.kind).toBe('complete');
        if (r.kind !== 'complete') return;
        expect(r.head.status).toBe(status);
        expect(r.length).toBe(text.length);
        const hasLength = fields.includes('Content-Length: 5') || fields.includes('Content-Length: 6');
        const hasChunked = fields.includes('Transfer-Encoding: chunked');
        expect(hasLength && hasChunked && status >= 200 && status !== 204 && status !== 304).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('formatRequestHead', () => {
  it('writes the request line, fields in order and the empty line (§3, §5)', () => {
    expect(
      formatRequestHead('POST', '/EWS/Exchange.asmx', [
        ['Host', 'cas.corp.test'],
        ['Content-Length', '3'],
      ]),
    ).toBe('POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: cas.corp.test\r\nContent-Length: 3\r\n\r\n');
  });

  it.each([
    ['CR LF in a value (request splitting)', 'Negotiate x\r\nX-Evil: 1'],
    ['a bare LF', 'Negotiate x\nX'],
    ['NUL', 'Negotiate \0'],
  ])('refuses %s', (_name, value) => {
    expectParseError(
      () => formatRequestHead('POST', '/', [['Authorization', value]]),
      'http',
      'bad-field-value',
    );
  });

  it('refuses a target that is not origin-form and a bad method', () => {
    expectParseError(() => formatRequestHead('POST', 'http://x/', []), 'http', 'bad-request-line');
    expectParseError(() => formatRequestHead('POST', '/a b', []), 'http', 'bad-request-line');
    expectParseError(() => formatRequestHead('PO ST', '/', []), 'http', 'bad-request-line');
  });
});

/** RFC 9112 §7.1 encoding of `parts`, with an extension and a trailer for good measure. */
function encodeChunked(parts: readonly Uint8Array[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (p.length === 0) continue;
    out.push(...bytes(`${p.length.toString(16)};ext=1\r\n`), ...p, ...bytes('\r\n'));
  }
  out.push(...bytes('0\r\nX-Trailer: t\r\n\r\n'));
  return new Uint8Array(out);
}

function decodeAll(pieces: readonly Uint8Array[]): { body: Uint8Array; extra: number; done: boolean } {
  const d = new ChunkedDecoder();
  let extra = 0;
  for (const p of pieces) if (!d.done) extra = d.push(p);
  const body = new Uint8Array(d.size);
  let at = 0;
  for (const part of d.parts) {
    body.set(part, at);
    at += part.length;
  }
  return { body, extra, done: d.done };
}

describe('ChunkedDecoder', () => {
  it('decodes chunks, skips extensions and trailers, reports extra bytes', () => {
    const wire = bytes('5\r\nhello\r\n6;name="v"\r\n world\r\n0\r\nExpires: 0\r\n\r\nHTTP');
    const r = decodeAll([wire]);
    expect(Buffer.from(r.body).toString()).toBe('hello world');
    expect(r.done).toBe(true);
    expect(r.extra).toBe(4);
  });

  it('is not done before the trailer section ends', () => {
    expect(decodeAll([bytes('5\r\nhello\r\n0\r\n')]).done).toBe(false);
    expect(decodeAll([bytes('5\r\nhello\r\n0\r\nA: b\r\n')]).done).toBe(false);
  });

  it.each([
    ['a non-hex size', 'zz\r\n', 'bad-chunk-size'],
    ['a negative size', '-5\r\nhello\r\n', 'bad-chunk-size'],
    ['an oversized size field', '123456789\r\n', 'bad-chunk-size'],
    ['data longer than its size', '2\r\nhello\r\n', 'bad-chunk-end'],
    ['a bare LF after the size', '5\nhello\r\n', 'bare-lf'],
    ['a bare CR after the size', '5\rhello\r\n', 'bare-cr'],
  ])('refuses %s', (_name, text, reason) => {
    expectParseError(() => new ChunkedDecoder().push(bytes(text)), 'http', reason);
  });

  it('refuses an endless size line or trailer', () => {
    expectParseError(
      () => new ChunkedDecoder().push(bytes(`5;${'x'.repeat(2000)}`)),
      'http',
      'chunk-line-too-long',
    );
    expectParseError(
      () => new ChunkedDecoder().push(bytes(`0\r\nA: ${'x'.repeat(20_000)}`)),
      'http',
      'trailer-too-large',
    );
  });

  it('fuzz: any body, cut into any pieces, decodes to itself', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (parts, cuts) => {
          const wire = encodeChunked(parts);
          const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
          const pieces: Uint8Array[] = [];
          let from = 0;
          for (const p of [...points, wire.length]) {
            pieces.push(wire.slice(from, p));
            from = p;
          }
          const r = decodeAll(pieces);
          expect(r.done).toBe(true);
          expect(r.extra).toBe(0);
          expect(Buffer.from(r.body).equals(Buffer.concat(parts))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('fuzz: random bytes throw only ProtocolParseError', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 4 }), (pieces) => {
        onlyParseErrors(() => decodeAll(pieces));
      }),
      { numRuns: 2000 },
    );
  });
});
