/**
 * Replays handshakes and EWS answers captured from the test lab (scripts/capture-vectors.ts:
 * Apache mod_auth_gssapi with MIT Kerberos and gss-ntlmssp as the CAS, the lab's EWS
 * stand-in behind it) through the pure classifier, step by step, as the relay would.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../../src/protocol/base64.ts';
import {
  classifyConvertId,
  classifyGetFolder,
  classifyIdentity,
  classifyLeg,
  classifyProbe,
  type AuthenticatedOutcome,
  type ContinueOutcome,
  type ErrorOutcome,
} from '../../../src/protocol/classify.ts';
import { parseConvertIdResponse } from '../../../src/protocol/ews.ts';
import { inspectNegotiateToken } from '../../../src/protocol/negotiate.ts';
import { ewsFixture } from './helpers.ts';

interface LabVector {
  description: string;
  user: string;
  mech: 'krb5' | 'ntlm';
  legs: { from: 'initiator' | 'acceptor'; token: string }[];
  http: { status: number; wwwAuthenticate: string[]; token: boolean }[];
}

const file = fileURLToPath(new URL('../../fixtures/protocol/lab-handshakes.json', import.meta.url));
const vectors = (JSON.parse(readFileSync(file, 'utf8')) as { vectors: LabVector[] }).vectors;

function lab(description: string): LabVector {
  const v = vectors.find((x) => x.description === description);
  if (v === undefined) throw new Error(`no lab vector ${description}`);
  return v;
}

/** Replay: the anonymous probe, then one classifyLeg per relayed client token. */
function replay(v: LabVector): (ContinueOutcome | AuthenticatedOutcome | ErrorOutcome)[] {
  const [probe, ...rounds] = v.http;
  if (probe === undefined) throw new Error('no probe');
  expect(classifyProbe({ status: probe.status, wwwAuthenticate: probe.wwwAuthenticate }).kind).toBe('offer');
  const client = v.legs.filter((l) => l.from === 'initiator');
  const server = v.legs.filter((l) => l.from === 'acceptor');
  let s = 0;
  return rounds.map((round, i) => {
    const c = client[i];
    if (c === undefined) throw new Error('missing client leg');
    const serverToken = round.token ? server[s++]?.token : undefined;
    const wwwAuthenticate = round.wwwAuthenticate.map((scheme) =>
      scheme === 'Negotiate' && serverToken !== undefined ? `Negotiate ${serverToken}` : scheme,
    );
    return classifyLeg({
      status: round.status,
      wwwAuthenticate,
      clientToken: inspectNegotiateToken(decodeBase64(c.token)),
    });
  });
}

describe('lab handshakes through the classifier', () => {
  const table: {
    description: string;
    expected: { kinds: string[]; mechanism: string; final?: Record<string, unknown> };
  }[] = [
    {
      description: 'alice, Kerberos through SPNEGO, GetFolder then ConvertId',
      expected: { kinds: ['authenticated'], mechanism: 'kerberos' },
    },
    {
      description: 'carol, NTLM through SPNEGO, GetFolder then ConvertId',
      expected: { kinds: ['continue', 'authenticated'], mechanism: 'ntlm' },
    },
    {
      description: 'bob, NTLM through SPNEGO, channel-bound to the CAS certificate (not enforced by Apache)',
      expected: { kinds: ['continue', 'authenticated'], mechanism: 'ntlm' },
    },
    {
      description: 'alice, NTLM with a wrong password',
      expected: {
        kinds: ['continue', 'error'],
        mechanism: 'ntlm',
        final: { code: 'AUTH_REJECTED', hint: 'credentials-refused', user: 'alice', domain: 'CORP' },
      },
    },
  ];
  it.each(table)('$description', ({ description, expected }) => {
    const v = lab(description);
    const outcomes = replay(v);
    expect(outcomes.map((o) => o.kind)).toEqual(expected.kinds);
    const first = v.legs.find((l) => l.from === 'initiator');
    expect(inspectNegotiateToken(decodeBase64(first?.token ?? '')).mechanism).toBe(expected.mechanism);
    const last = outcomes[outcomes.length - 1];
    if (expected.final !== undefined) {
      expect(last?.kind === 'error' && { code: last.error.code, ...last.error.details }).toMatchObject(
        expected.final,
      );
    }
    if (last?.kind === 'authenticated' && v.mech === 'krb5') {
      // Mutual authentication: the AP-REP the browser must see.
      expect(last.serverToken?.kind).toBe('kerberos-ap-rep');
      expect(last.mutualToken?.length).toBeGreaterThan(0);
    }
  });

  it('the channel-bound AUTHENTICATE, had the CAS enforced Extended Protection, is named as such', () => {
    const v = lab('bob, NTLM through SPNEGO, channel-bound to the CAS certificate (not enforced by Apache)');
    const auth = v.legs.filter((l) => l.from === 'initiator')[1];
    const clientToken = inspectNegotiateToken(decodeBase64(auth?.token ?? ''));
    expect(clientToken.ntlm).toMatchObject({
      messageType: 'authenticate',
      user: 'bob',
      channelBindings: 'present',
    });
    const out = classifyLeg({ status: 401, wwwAuthenticate: ['Negotiate', 'NTLM'], clientToken });
    expect(out.kind === 'error' && out.error.code).toBe('EXTENDED_PROTECTION_SUSPECTED');
  });

  it('the Kerberos ticket is for the CAS SPN', () => {
    const v = lab('alice, Kerberos through SPNEGO, GetFolder then ConvertId');
    const info = inspectNegotiateToken(decodeBase64(v.legs[0]?.token ?? ''));
    expect(info.kerberos).toMatchObject({
      kind: 'ap-req',
      realm: 'CORP.TEST',
      servicePrincipal: 'HTTP/cas.corp.test',
    });
  });
});

describe('lab EWS answers through the identity probe', () => {
  const ok = (name: string) => ({ status: 200, wwwAuthenticate: [], body: ewsFixture(name) });
  const table: { description: string; input: [string, string, string]; expected: unknown }[] = [
    {
      description: 'alice (Kerberos) proves alice@corp.test',
      input: ['lab-alice-krb5-0.xml', 'lab-alice-krb5-1.xml', 'alice@corp.test'],
      expected: { kind: 'proven', mailbox: 'alice@corp.test' },
    },
    {
      description: 'carol (NTLM) proves carol.smith@corp.test, not her login',
      input: ['lab-carol-ntlm-0.xml', 'lab-carol-ntlm-1.xml', 'Carol.Smith@corp.test'],
      expected: { kind: 'proven', mailbox: 'carol.smith@corp.test' },
    },
    {
      description: 'carol claiming carol@corp.test is a mismatch',
      input: ['lab-carol-ntlm-0.xml', 'lab-carol-ntlm-1.xml', 'carol@corp.test'],
      expected: { code: 'IDENTITY_MISMATCH', claimed: 'carol@corp.test', proven: 'carol.smith@corp.test' },
    },
    {
      description: 'alice claiming bob@corp.test is a mismatch',
      input: ['lab-alice-krb5-0.xml', 'lab-alice-krb5-1.xml', 'bob@corp.test'],
      expected: { code: 'IDENTITY_MISMATCH', claimed: 'bob@corp.test', proven: 'alice@corp.test' },
    },
  ];
  it.each(table)('$description', ({ input: [gf, ci, claimed], expected }) => {
    const folder = classifyGetFolder(ok(gf));
    expect(folder.kind).toBe('folder');
    const converted = classifyConvertId(ok(ci));
    if (converted.kind !== 'converted' || folder.kind !== 'folder') throw new Error('probe failed');
    // ConvertId was sent with GetFolder's id (the lab client filled it in).
    expect(converted.alternateId.id.length).toBeGreaterThan(0);
    expect(folder.serverVersion?.majorVersion).toBe(15);
    const out = classifyIdentity(converted.alternateId, claimed);
    expect(out.kind === 'error' ? { code: out.error.code, ...out.error.details } : out).toEqual(expected);
  });

  const errors: { description: string; input: { status: number; file: string }; expected: unknown }[] = [
    {
      description: 'ConvertId of a malformed id',
      input: { status: 200, file: 'lab-errors-1.xml' },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'ews-error', responseCode: 'ErrorInvalidIdMalformed' },
    },
    {
      description: 'ConvertId with an invalid Mailbox',
      input: { status: 200, file: 'lab-errors-2.xml' },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'ews-error', responseCode: 'ErrorInvalidSmtpAddress' },
    },
    {
      description: 'a request EWS cannot validate: SOAP fault, HTTP 500',
      input: { status: 500, file: 'lab-errors-3.xml' },
      expected: { code: 'CAS_PROTOCOL_ERROR', reason: 'soap-fault', faultCode: 'ErrorSchemaValidation' },
    },
  ];
  it.each(errors)('$description', ({ input, expected }) => {
    const out = classifyConvertId({
      status: input.status,
      wwwAuthenticate: [],
      body: ewsFixture(input.file),
    });
    expect(out.kind === 'error' && { code: out.error.code, ...out.error.details }).toMatchObject(
      expected as object,
    );
  });

  it('the placeholder Mailbox we send never comes back as the proof', () => {
    const r = parseConvertIdResponse(ewsFixture('lab-alice-krb5-1.xml'));
    expect(r.ok && r.value.mailbox).toBe('alice@corp.test');
  });
});
