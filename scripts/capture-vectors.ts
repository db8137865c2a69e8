/**
 * Capture Negotiate handshakes and EWS answers from the test lab (test/lab): the real Apache
 * CAS (mod_auth_gssapi with MIT Kerberos and gss-ntlmssp) in front of the lab's EWS stand-in,
 * driven by the lab's GSSAPI client (negotiate_client.py) exactly as the relay's browser would.
 *
 *     npx tsx scripts/capture-vectors.ts
 *
 * Writes test/fixtures/protocol/lab-handshakes.json and test/fixtures/protocol/ews/lab-*.xml.
 * The identity probe is sent with our own builders (src/protocol/ews.ts): GetFolder carries
 * the handshake, ConvertId follows on the same authenticated connection without
 * `Authorization`. The companion scripts/capture-vectors.py captures tokens in-process,
 * without the lab.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildConvertIdRequest, buildGetFolderRequest } from '../src/protocol/ews.ts';
import { negotiateRequest, type NegotiateRequestOptions } from '../test/lab/clients.ts';
import { startLab } from '../test/lab/lab.ts';

const out = fileURLToPath(new URL('../test/fixtures/protocol/', import.meta.url));

interface Scenario {
  readonly description: string;
  readonly options: Omit<NegotiateRequestOptions, 'dumpTokensDir'>;
  /** Save the GetFolder and ConvertId answers under these names (ews/lab-<name>-*.xml). */
  readonly saveBodies?: string;
}

const getFolder = buildGetFolderRequest().body;
// The lab client fills {{FolderId}} from the previous answer; escaping leaves it intact.
const convertId = buildConvertIdRequest({ id: '{{FolderId}}' }).body;

const scenarios: Scenario[] = [
  {
    description: 'alice, Kerberos through SPNEGO, GetFolder then ConvertId',
    options: { user: 'alice', mech: 'krb5', method: 'POST', body: getFolder, thenBodies: [convertId] },
    saveBodies: 'alice-krb5',
  },
  {
    description: 'carol, NTLM through SPNEGO, GetFolder then ConvertId',
    options: { user: 'carol', mech: 'ntlm', method: 'POST', body: getFolder, thenBodies: [convertId] },
    saveBodies: 'carol-ntlm',
  },
  {
    description: 'bob, NTLM through SPNEGO, channel-bound to the CAS certificate (not enforced by Apache)',
    options: { user: 'bob', mech: 'ntlm', method: 'POST', body: getFolder, channelBindings: true },
  },
  {
    description: 'alice, NTLM with a wrong password',
    options: { user: 'alice', mech: 'ntlm', method: 'POST', body: getFolder, password: 'NotThePassword1' },
  },
  {
    description: 'alice, Kerberos, then ConvertId of a malformed id and with an invalid Mailbox',
    options: {
      user: 'alice',
      mech: 'krb5',
      method: 'POST',
      body: getFolder,
      thenBodies: [
        buildConvertIdRequest({ id: 'AAAA' }).body,
        buildConvertIdRequest({ id: '{{FolderId}}', mailbox: 'not an address' }).body,
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Nonsense/></soap:Body></soap:Envelope>',
      ],
    },
    saveBodies: 'errors',
  },
];

interface CapturedLeg {
  from: 'initiator' | 'acceptor';
  token: string;
}

async function dumpedLegs(dir: string): Promise<CapturedLeg[]> {
  // negotiate_client.py names them iterNN-legNN-sent|recv.b64. Wire order: by leg, and within
  // a leg what was sent before what came back.
  const key = (n: string): string => n.replace('-sent', '-0').replace('-recv', '-1');
  const names = (await readdir(dir))
    .filter((n) => n.endsWith('.b64'))
    .sort((a, b) => key(a).localeCompare(key(b)));
  const legs: CapturedLeg[] = [];
  for (const n of names) {
    legs.push({
      from: n.includes('-sent') ? 'initiator' : 'acceptor',
      token: (await readFile(join(dir, n), 'utf8')).trim(),
    });
  }
  return legs;
}

async function main(): Promise<void> {
  const lab = await startLab();
  const tmp = await mkdtemp(join(tmpdir(), 'iwa-lab-vectors-'));
  const vectors: unknown[] = [];
  try {
    for (const [i, s] of scenarios.entries()) {
      const dumpTokensDir = join(tmp, String(i));
      const r = await negotiateRequest(lab.info, { ...s.options, dumpTokensDir });
      vectors.push({
        description: s.description,
        user: s.options.user,
        mech: s.options.mech,
        legs: await dumpedLegs(dumpTokensDir),
        // Per HTTP round trip: status and the schemes of WWW-Authenticate (tokens are in legs).
        http: r.legs.map((l) => ({
          status: l.status,
          wwwAuthenticate: l.wwwAuthenticate,
          token: l.receivedTokenLength > 0,
        })),
        outcome: { status: r.status, mech: r.mech, initiator: r.initiator, error: r.error },
      });
      if (s.saveBodies !== undefined) {
        if (r.body !== null) await writeFile(join(out, 'ews', `lab-${s.saveBodies}-0.xml`), r.body);
        for (const [j, f] of r.followUps.entries()) {
          await writeFile(join(out, 'ews', `lab-${s.saveBodies}-${j + 1}.xml`), f.body);
        }
        console.log(
          `${s.description}: ${r.status}, follow-ups ${r.followUps.map((f) => f.status).join(',')}`,
        );
      } else {
        console.log(`${s.description}: ${r.status}`);
      }
    }
  } finally {
    await lab.stop();
    await rm(tmp, { recursive: true, force: true });
  }
  const file = {
    source:
      'test lab (scripts/capture-vectors.ts): Apache httpd with mod_auth_gssapi (MIT krb5, gss-ntlmssp) as the CAS, ' +
      "the lab's EWS stand-in behind it, the lab's python3-gssapi client as the browser",
    made: new Date().toISOString().slice(0, 10),
    vectors,
  };
  await writeFile(join(out, 'lab-handshakes.json'), JSON.stringify(file, null, 2) + '\n');
  console.log(`wrote ${vectors.length} handshakes`);
}

await main();
