/**
 * Shared helpers for the protocol tests: the captured vectors, a tiny DER writer to build
 * tokens real clients send but our lab cannot produce (Windows-style mechType lists, broken
 * lengths), and an assertion that a call fails only with our typed parse error.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { decodeBase64 } from '../../../src/protocol/base64.ts';
import { ProtocolParseError } from '../../../src/protocol/parse-error.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/protocol/', import.meta.url));

export interface CapturedLeg {
  readonly from: 'initiator' | 'acceptor';
  readonly token: string;
}
export interface CapturedVector {
  readonly description: string;
  readonly mech: string;
  readonly setup: Record<string, unknown>;
  readonly legs: readonly CapturedLeg[];
  readonly outcome: {
    readonly accepted: boolean | null;
    readonly initiatorName?: string;
    readonly error?: string;
  };
}

function loadJson(name: string): unknown {
  return JSON.parse(readFileSync(fixtures + name, 'utf8'));
}

/** Vectors captured by scripts/capture-vectors.py. */
export type VectorFile = 'ntlm-gssntlmssp.json' | 'ntlm-curl.json' | 'kerberos-mit.json';

export function captured(file: VectorFile): CapturedVector[] {
  return (loadJson(file) as { vectors: CapturedVector[] }).vectors;
}

/** One captured vector by description (fails the test if it is missing). */
export function vector(file: VectorFile, description: string): CapturedVector {
  const v = captured(file).find((x) => x.description === description);
  if (v === undefined) throw new Error(`no vector ${description}`);
  return v;
}

/** The decoded token of leg `i` of a vector. */
export function leg(v: CapturedVector, i: number): Uint8Array {
  const l = v.legs[i];
  if (l === undefined) throw new Error(`vector ${v.description} has no leg ${i}`);
  return decodeBase64(l.token);
}

/** Every captured token, decoded, for fuzzing. */
export function allCapturedTokens(): Uint8Array[] {
  const ms = (loadJson('ms-nlmp-4.2.4.json') as { vectors: { token: string }[] }).vectors.map((v) =>
    decodeBase64(v.token),
  );
  return [
    ...captured('ntlm-gssntlmssp.json').flatMap((v) => v.legs.map((l) => decodeBase64(l.token))),
    ...captured('ntlm-curl.json').flatMap((v) => v.legs.map((l) => decodeBase64(l.token))),
    ...captured('kerberos-mit.json').flatMap((v) => v.legs.map((l) => decodeBase64(l.token))),
    ...(loadJson('lab-handshakes.json') as { vectors: CapturedVector[] }).vectors.flatMap((v) =>
      v.legs.map((l) => decodeBase64(l.token)),
    ),
    ...ms,
  ];
}

export function msNlmp(index: 0 | 1): Uint8Array {
  const v = (loadJson('ms-nlmp-4.2.4.json') as { vectors: { token: string }[] }).vectors[index];
  if (v === undefined) throw new Error('missing MS-NLMP vector');
  return decodeBase64(v.token);
}

export function ewsFixture(name: string): string {
  return readFileSync(`${fixtures}ews/${name}`, 'utf8');
}

// --- a minimal DER writer ---------------------------------------------------------------

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return [0x80 | out.length, ...out];
}

export function tlv(tag: number, ...content: (Uint8Array | number[])[]): Uint8Array {
  const body = content.flatMap((c) => [...c]);
  return Uint8Array.from([tag, ...derLength(body.length), ...body]);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const first = (arcs[0] ?? 0) * 40 + (arcs[1] ?? 0);
  const bytes: number[] = [];
  for (const arc of [first, ...arcs.slice(2)]) {
    const enc: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) enc.unshift(0x80 | (v & 0x7f));
    bytes.push(...enc);
  }
  return tlv(0x06, bytes);
}

export const octetString = (b: Uint8Array | number[]): Uint8Array => tlv(0x04, b);

/** `60 { OID, inner }`: the RFC 2743 §3.1 framing. */
export function gssFramed(mech: string, inner: Uint8Array | number[]): Uint8Array {
  return tlv(0x60, oid(mech), inner);
}

/** A NegTokenInit with the given mechTypes and optional mechToken, SPNEGO-framed. */
export function negTokenInit(mechTypes: string[], mechToken?: Uint8Array): Uint8Array {
  const fields = [tlv(0xa0, tlv(0x30, ...mechTypes.map(oid)))];
  if (mechToken !== undefined) fields.push(tlv(0xa2, octetString(mechToken)));
  return gssFramed('1.3.6.1.5.5.2', tlv(0xa0, tlv(0x30, ...fields)));
}

/** A NegTokenResp. */
export function negTokenResp(opts: {
  negState?: number;
  mech?: string;
  token?: Uint8Array;
  mic?: Uint8Array;
}): Uint8Array {
  const fields: Uint8Array[] = [];
  if (opts.negState !== undefined) fields.push(tlv(0xa0, tlv(0x0a, [opts.negState])));
  if (opts.mech !== undefined) fields.push(tlv(0xa1, oid(opts.mech)));
  if (opts.token !== undefined) fields.push(tlv(0xa2, octetString(opts.token)));
  if (opts.mic !== undefined) fields.push(tlv(0xa3, octetString(opts.mic)));
  return tlv(0xa1, tlv(0x30, ...fields));
}

// --- a minimal NTLM AUTHENTICATE writer (for forms gss-ntlmssp will not produce) ----------

export function utf16le(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) & 0xff, s.charCodeAt(i) >> 8);
  return out;
}

/** An AUTHENTICATE_MESSAGE with the given payloads (MS-NLMP §2.2.1.3), no Version, no MIC field. */
export function ntlmAuthenticate(p: {
  flags: number;
  lm?: number[];
  nt?: number[];
  domain?: number[];
  user?: number[];
  workstation?: number[];
}): Uint8Array {
  const payloads = [p.lm ?? [], p.nt ?? [], p.domain ?? [], p.user ?? [], p.workstation ?? [], []];
  const header: number[] = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00, 3, 0, 0, 0];
  let offset = 64;
  const body: number[] = [];
  for (const pl of payloads) {
    header.push(pl.length & 0xff, pl.length >> 8, pl.length & 0xff, pl.length >> 8);
    header.push(offset & 0xff, (offset >> 8) & 0xff, 0, 0);
    offset += pl.length;
    body.push(...pl);
  }
  header.push(p.flags & 0xff, (p.flags >>> 8) & 0xff, (p.flags >>> 16) & 0xff, (p.flags >>> 24) & 0xff);
  return Uint8Array.from([...header, ...body]);
}

/** Assert `fn` throws a ProtocolParseError, optionally of the given subject and reason. */
export function expectParseError(fn: () => unknown, subject?: string, reason?: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ProtocolParseError);
  const e = thrown as ProtocolParseError;
  if (subject !== undefined) expect(e.subject).toBe(subject);
  if (reason !== undefined) expect(e.reason).toBe(reason);
}

/** Run `fn`; anything it throws must be a ProtocolParseError. */
export function onlyParseErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ProtocolParseError)) throw err;
  }
}
