/**
 * The lab's PKI, made with the openssl CLI: a CA, server certificates for the CAS and the
 * relay signed by it, and one self-signed certificate nobody trusts (for CAS_TLS_UNTRUSTED).
 * EC P-256 keys keep generation instant; the signature hash is SHA-256, which is also the
 * hash RFC 5929 `tls-server-end-point` channel bindings use for these certificates.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runOk } from './proc.ts';

export interface CertFiles {
  certPath: string;
  keyPath: string;
}

export interface LabPki {
  ca: CertFiles;
  cas: CertFiles;
  relay: CertFiles;
  untrusted: CertFiles;
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-sha256', '-days', '30'];

function serverExts(host: string): string[] {
  return [
    '-addext',
    `subjectAltName=DNS:${host}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'keyUsage=critical,digitalSignature',
    '-addext',
    'extendedKeyUsage=serverAuth',
  ];
}

export async function makePki(dir: string): Promise<LabPki> {
  const f = (name: string): CertFiles => ({
    certPath: join(dir, `${name}.crt`),
    keyPath: join(dir, `${name}.key`),
  });
  const pki: LabPki = {
    ca: f('ca'),
    cas: f('cas.corp.test'),
    relay: f('relay.corp.test'),
    untrusted: f('untrusted'),
  };
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, RANDFILE: join(dir, '.rnd') };

  await runOk(
    'openssl',
    [
      'req',
      '-x509',
      ...KEY_ARGS,
      '-keyout',
      pki.ca.keyPath,
      '-out',
      pki.ca.certPath,
      '-subj',
      '/O=Outlook IWA test lab/CN=Outlook IWA Lab CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    { env },
  );
  const leaf = (files: CertFiles, host: string) =>
    runOk(
      'openssl',
      [
        'req',
        '-x509',
        ...KEY_ARGS,
        '-CA',
        pki.ca.certPath,
        '-CAkey',
        pki.ca.keyPath,
        '-keyout',
        files.keyPath,
        '-out',
        files.certPath,
        '-subj',
        `/O=Outlook IWA test lab/CN=${host}`,
        ...serverExts(host),
      ],
      { env },
    );
  await Promise.all([
    leaf(pki.cas, 'cas.corp.test'),
    leaf(pki.relay, 'relay.corp.test'),
    // Same host name as the CAS, but self-signed: only the trust chain is wrong.
    runOk(
      'openssl',
      [
        'req',
        '-x509',
        ...KEY_ARGS,
        '-keyout',
        pki.untrusted.keyPath,
        '-out',
        pki.untrusted.certPath,
        '-subj',
        '/O=Untrusted/CN=cas.corp.test',
        ...serverExts('cas.corp.test'),
      ],
      { env },
    ),
  ]);
  return pki;
}

export const readPem = (path: string): Promise<string> => readFile(path, 'utf8');
