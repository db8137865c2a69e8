/**
 * The lab's stand-in for Exchange's identity-token issuer: a signing key with a self-signed
 * certificate, the authentication metadata document that publishes it (written where the lab
 * Apache serves `/autodiscover/metadata/`), and a minter that produces tokens exactly in the
 * form Exchange documents: header `{typ, alg: RS256, x5t}`, `nbf`/`exp` as strings of seconds,
 * `appctx` as a JSON string.
 *
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/inside-the-identity-token
 * @see https://learn.microsoft.com/office/dev/add-ins/outlook/validate-an-identity-token#retrieve-the-public-signing-key
 */
import { createHash, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EXCHANGE_PRINCIPAL,
  IDENTITY_TOKEN_VERSION,
  encodeBase64Url,
} from '../../src/protocol/identity-token.ts';
import { runOk } from './proc.ts';

/** The lab organisation's realm; on-premises Exchange uses a GUID after the principal's `@`. */
export const LAB_REALM = '6f0a2b1c-3d4e-4f50-8a61-b2c3d4e5f607';

export interface LabSigningKey {
  /** PKCS#8 PEM private key; stays in memory and is never written under the served directory. */
  readonly signingKeyPem: string;
  readonly certPem: string;
  /** DER of the certificate. */
  readonly certDer: Buffer;
  /** base64url SHA-1 of the DER certificate (RFC 7515 §4.1.7), as Exchange puts in the header. */
  readonly x5t: string;
}

/** An RSA-2048 key and a self-signed certificate for it, made with `openssl req -x509`. */
export async function createLabSigningKey(
  commonName = 'Outlook IWA lab Exchange auth',
): Promise<LabSigningKey> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const dir = await mkdtemp(join(tmpdir(), 'iwa-idtoken-'));
  try {
    const keyPath = join(dir, 'signing.key');
    const certPath = join(dir, 'signing.crt');
    await writeFile(keyPath, signingKeyPem, { mode: 0o600 });
    await runOk(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        '-key',
        keyPath,
        '-sha256',
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-out',
        certPath,
      ],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, RANDFILE: join(dir, '.rnd') } },
    );
    const cert = new X509Certificate(await readFile(certPath));
    const certDer = cert.raw;
    return { signingKeyPem, certPem: cert.toString(), certDer, x5t: thumbprint(certDer) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** base64url(SHA-1(DER)), the `x5t` of RFC 7515 §4.1.7. */
export function thumbprint(der: Uint8Array): string {
  return encodeBase64Url(createHash('sha1').update(der).digest());
}

/**
 * The metadata document in the format Microsoft documents for Exchange (field order and
 * values as in "Validate an Exchange identity token"), publishing `keys` as signing keys.
 */
export function labAuthMetadataDocument(
  amurl: string,
  keys: readonly Pick<LabSigningKey, 'certDer' | 'x5t'>[],
) {
  return {
    id: '_6a1d6f0e-0c6b-4d8e-9f35-1a2b3c4d5e6f',
    version: '1.0',
    name: 'Exchange',
    realm: '*',
    serviceName: EXCHANGE_PRINCIPAL,
    issuer: `${EXCHANGE_PRINCIPAL}@*`,
    allowedAudiences: [`${EXCHANGE_PRINCIPAL}@*`],
    keys: keys.map((k) => ({
      usage: 'signing',
      keyinfo: { x5t: k.x5t },
      keyvalue: { type: 'x509Certificate', value: k.certDer.toString('base64') },
    })),
    endpoints: [{ location: amurl, protocol: 'OAuth2', usage: 'metadata' }],
  };
}

export interface LabAuthMetadata extends LabSigningKey {
  /** `https://<casHost>/autodiscover/metadata/json/1`. */
  readonly amurl: string;
  /** The JSON text written to `<staticDir>/json/1`. */
  readonly documentJson: string;
}

/**
 * Makes a lab signing key and writes the metadata document publishing it to
 * `<staticDir>/json/1`; the lab Apache serves `<staticDir>` at `/autodiscover/metadata/`.
 *
 * @param casHost - host and port of the lab CAS as clients reach it, e.g. `cas.corp.test:8443`.
 */
export async function writeLabAuthMetadata(staticDir: string, casHost: string): Promise<LabAuthMetadata> {
  const key = await createLabSigningKey();
  const amurl = `https://${casHost}/autodiscover/metadata/json/1`;
  const documentJson = JSON.stringify(labAuthMetadataDocument(amurl, [key]), null, 2);
  await mkdir(join(staticDir, 'json'), { recursive: true });
  await writeFile(join(staticDir, 'json', '1'), documentJson);
  return { ...key, amurl, documentJson };
}

export interface MintOptions {
  /** The issuer's private key (PEM or KeyObject). */
  readonly key: string | KeyObject;
  readonly x5t: string;
  /** The add-in page URL. */
  readonly aud: string;
  readonly amurl: string;
  readonly msexchuid: string;
  /** Seconds since 1970. */
  readonly nbf: number;
  readonly exp: number;
  readonly overrides?: MintOverrides;
}

/**
 * Deviations from Exchange's format, for negative tests. `header`/`payload` members are
 * merged over the defaults (`undefined` removes one); `appctx` replaces the `appctx` claim
 * as given (an object stays an object, a string stays a string); `signature` chooses how the
 * third part is made.
 */
export interface MintOverrides {
  readonly header?: Record<string, unknown>;
  readonly payload?: Record<string, unknown>;
  readonly appctx?: unknown;
  readonly signature?: 'rs256' | 'empty' | 'tampered';
}

function merge(
  base: Record<string, unknown>,
  over: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const merged = Object.entries({ ...base, ...over });
  return Object.fromEntries(merged.filter(([, v]) => v !== undefined));
}

const b64json = (value: unknown) => encodeBase64Url(Buffer.from(JSON.stringify(value), 'utf8'));

/** A compact identity token as Exchange writes it, signed RS256 with `key`. */
export function mintLabIdentityToken(options: MintOptions): string {
  const o = options.overrides ?? {};
  const header = merge({ typ: 'JWT', alg: 'RS256', x5t: options.x5t }, o.header);
  const appctx =
    o.appctx === undefined
      ? JSON.stringify({
          msexchuid: options.msexchuid,
          version: IDENTITY_TOKEN_VERSION,
          amurl: options.amurl,
        })
      : o.appctx;
  const payload = merge(
    {
      aud: options.aud,
      iss: `${EXCHANGE_PRINCIPAL}@${LAB_REALM}`,
      nbf: String(options.nbf),
      exp: String(options.exp),
      appctxsender: `${EXCHANGE_PRINCIPAL}@${LAB_REALM}`,
      isbrowserhostedapp: 'true',
      appctx,
    },
    o.payload,
  );
  const input = `${b64json(header)}.${b64json(payload)}`;
  if (o.signature === 'empty') return `${input}.`;
  const signature = sign('sha256', Buffer.from(input, 'ascii'), options.key);
  if (o.signature === 'tampered') signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 0x01;
  return `${input}.${encodeBase64Url(signature)}`;
}
