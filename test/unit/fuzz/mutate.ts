/**
 * Mutations of real tokens for fuzzing: bit flips, truncations, length-field corruptions
 * (DER lengths and NTLM security buffers) and splices of two tokens. Shared by the fast-check
 * properties (`test/unit/fuzz`) and the live endpoint fuzz (`test/integration/fuzz-live.test.ts`).
 */
import { readFileSync } from 'node:fs';

const fixtures = new URL('../../fixtures/protocol/', import.meta.url);

interface VectorFile {
  vectors: { legs?: { token: string }[]; token?: string }[];
}

/** Every real token in the protocol fixtures (gss-ntlmssp, curl, MIT Kerberos, the lab, MS-NLMP). */
export function corpus(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const file of [
    'ntlm-gssntlmssp.json',
    'ntlm-curl.json',
    'kerberos-mit.json',
    'lab-handshakes.json',
    'ms-nlmp-4.2.4.json',
  ]) {
    const v = JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as VectorFile;
    for (const vector of v.vectors) {
      if (vector.token !== undefined) out.push(Buffer.from(vector.token, 'base64'));
      for (const leg of vector.legs ?? []) out.push(Buffer.from(leg.token, 'base64'));
    }
  }
  return out.filter((t) => t.length > 0);
}

/** EWS SOAP answers in the fixtures (documented shapes and lab captures). */
export function xmlCorpus(): string[] {
  const dir = new URL('ews/', fixtures);
  const names = [
    'convertid-error-malformed.xml',
    'convertid-success-doc.xml',
    'convertid-success-prefixed.xml',
    'fault-invalid-request.xml',
    'getfolder-error-access-denied.xml',
    'getfolder-error-malformed.xml',
    'getfolder-success-doc.xml',
    'getfolder-success-prefixed.xml',
    'lab-alice-krb5-0.xml',
    'lab-alice-krb5-1.xml',
    'lab-errors-0.xml',
  ];
  return names.map((n) => readFileSync(new URL(n, dir), 'utf8'));
}

/** A source of random numbers in [0, 1): fast-check's or a seeded PRNG. */
export type Random = () => number;

/** mulberry32: small, seeded, good enough to pick mutations reproducibly. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rnd: Random, n: number) => Math.floor(rnd() * n);

/** Values that break length fields: zero, one, DER long-form markers, maxima. */
const LENGTHS: readonly number[][] = [
  [0x00],
  [0x01],
  [0x7f],
  [0x80],
  [0x81, 0xff],
  [0x82, 0xff, 0xff],
  [0x84, 0xff, 0xff, 0xff, 0xff],
  [0x89],
  [0xff],
  [0xff, 0xff],
  [0x00, 0x00, 0x00, 0x80],
];

export type MutationKind = 'bit-flip' | 'truncate' | 'length' | 'ntlm-field' | 'splice' | 'insert' | 'delete';
export const MUTATIONS: readonly MutationKind[] = [
  'bit-flip',
  'truncate',
  'length',
  'ntlm-field',
  'splice',
  'insert',
  'delete',
];

function ntlmStart(t: Uint8Array): number {
  const sig = Buffer.from('NTLMSSP\0', 'latin1');
  return Buffer.from(t.buffer, t.byteOffset, t.byteLength).indexOf(sig);
}

/** One mutation of `token` (`other` is the splice partner). Never returns the input object. */
export function mutate(kind: MutationKind, token: Uint8Array, other: Uint8Array, rnd: Random): Uint8Array {
  const t = Uint8Array.from(token);
  switch (kind) {
    case 'bit-flip': {
      const flips = 1 + int(rnd, 4);
      for (let i = 0; i < flips; i++) {
        const at = int(rnd, t.length);
        t[at] = (t[at] ?? 0) ^ (1 << int(rnd, 8));
      }
      return t;
    }
    case 'truncate':
      return t.slice(0, int(rnd, t.length));
    case 'length': {
      // DER lengths sit right after a tag; anywhere will do, the parsers must not care.
      const at = 1 + int(rnd, Math.max(1, t.length - 1));
      const value = LENGTHS[int(rnd, LENGTHS.length)] ?? [0];
      return Uint8Array.from([...t.slice(0, at), ...value, ...t.slice(at + 1)]);
    }
    case 'ntlm-field': {
      // A security buffer (len u16, maxlen u16, offset u32) or the message type of NTLMSSP.
      const start = ntlmStart(t);
      if (start < 0) return mutate('length', token, other, rnd);
      const field =
        start + ([8, 12, 14, 16, 20, 22, 24, 28, 30, 32, 36, 40, 44, 48, 52, 60][int(rnd, 16)] ?? 8);
      const values = [0, 1, 0xff, 0x7fff, 0xffff, 0xffffffff, t.length - start, t.length - start + 1];
      const v = values[int(rnd, values.length)] ?? 0;
      const view = new DataView(t.buffer, t.byteOffset, t.byteLength);
      if (field + 4 <= t.length) view.setUint32(field, v >>> 0, true);
      else if (field + 2 <= t.length) view.setUint16(field, v & 0xffff, true);
      return t;
    }
    case 'splice': {
      const a = int(rnd, t.length + 1);
      const b = int(rnd, other.length + 1);
      return Uint8Array.from([...t.slice(0, a), ...other.slice(b)]);
    }
    case 'insert': {
      const at = int(rnd, t.length + 1);
      const junk = Array.from({ length: 1 + int(rnd, 16) }, () => int(rnd, 256));
      return Uint8Array.from([...t.slice(0, at), ...junk, ...t.slice(at)]);
    }
    case 'delete': {
      const at = int(rnd, t.length);
      return Uint8Array.from([...t.slice(0, at), ...t.slice(at + 1 + int(rnd, 16))]);
    }
  }
}

/** A random mutation of a random corpus token. */
export function randomMutant(
  tokens: readonly Uint8Array[],
  rnd: Random,
): { kind: MutationKind; bytes: Uint8Array } {
  const kind = MUTATIONS[int(rnd, MUTATIONS.length)] ?? 'bit-flip';
  const token = tokens[int(rnd, tokens.length)] ?? new Uint8Array(0);
  const other = tokens[int(rnd, tokens.length)] ?? token;
  let bytes = mutate(kind, token, other, rnd);
  // Now and then, a second mutation on top.
  if (rnd() < 0.3) bytes = mutate(MUTATIONS[int(rnd, MUTATIONS.length)] ?? 'truncate', bytes, other, rnd);
  return { kind, bytes };
}
