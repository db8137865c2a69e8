import { promisify } from 'node:util';
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { tlsServerEndPoint } from '../channel-binding.ts';
import type { EffectiveProfile } from '../domain.ts';
import { ewsIdentityProbe } from './identity-probe.ts';
import { parseWwwAuthenticate } from '../../protocol/http-auth.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { casTarget } from './relay.ts';
import type { CasClient } from '../cas/client.ts';
import { toTransportError } from '../cas/transport-errors.ts';

export interface DiagnosisStep {
  readonly name: 'profile' | 'dns' | 'tcp' | 'tls' | 'negotiate' | 'extended-protection';
  readonly ok: boolean;
  /** Passed, but something may still refuse sign-ins (e.g. EPA "Required" with other certificates). */
  readonly warning?: boolean;
  /** The step's verdict in one sentence, meaningful without `detail` (which names hosts, subjects, hashes). */
  readonly outcome?: string;
  readonly detail: string;
  /** For a failed (or warning) step: what an Exchange admin should change. */
  readonly remedy?: string;
}

export interface DiagnosisReport {
  readonly ok: boolean;
  readonly mailbox: string;
  readonly profile: string | null;
  readonly steps: readonly DiagnosisStep[];
}

export interface DiagnoserDeps {
  effectiveProfile(mailbox: string): Promise<EffectiveProfile | null>;
  /** The app's CAS client: its name resolution, TLS rules and connections. */
  readonly cas: CasClient;
  readonly timeoutMs?: number;
  /** The certificate this backend serves, to tell whether Extended Protection can pass. */
  servingCertificate?(): X509Certificate | undefined;
}

/**
 * Runs the CAS probe of a mailbox's effective profile step by step (docs/architecture.md §5): profile,
 * DNS, TCP, TLS and certificate, what EWS offers in `WWW-Authenticate`, and the Extended
 * Protection hint. It stops at the first failed step, since later ones cannot run. Every step
 * talks to the CAS now: the anonymous EWS request never comes from the relay's probe cache,
 * since a cached "Negotiate offered" may be what no longer holds.
 */
export class Diagnoser {
  readonly #deps: DiagnoserDeps;
  readonly #timeoutMs: number;

  constructor(deps: DiagnoserDeps) {
    this.#deps = deps;
    this.#timeoutMs = deps.timeoutMs ?? 5_000;
  }

  async diagnose(mailboxParam: string | undefined): Promise<DiagnosisReport> {
    const mailbox = parseMailbox(mailboxParam);
    const steps: DiagnosisStep[] = [];
    const done = (profile: string | null): DiagnosisReport => ({
      ok: steps.every((s) => s.ok),
      mailbox,
      profile,
      steps,
    });

    const effective = await this.#deps.effectiveProfile(mailbox);
    if (effective === null) {
      steps.push({
        name: 'profile',
        ok: false,
        detail: `No authentication profile applies to ${mailbox}.`,
        remedy: `Create a default profile, or one whose domains include ${mailbox.split('@')[1] ?? ''}: outlook-iwa profile create …`,
      });
      return done(null);
    }
    const { profile } = effective;
    const iwa = profile.methods.includes('iwa');
    steps.push({
      name: 'profile',
      ok: iwa,
      detail: `${effective.reason}; CAS ${profile.casUrl}; methods ${profile.methods.join(', ')}`,
      ...(iwa
        ? {}
        : {
            remedy: `Add iwa to the methods of profile ${profile.name}: outlook-iwa profile update ${profile.name} --methods iwa,…`,
          }),
    });
    if (!iwa) return done(profile.name);

    const target = casTarget(profile);
    const host = target.url.hostname;
    const port = target.url.port === '' ? 443 : Number(target.url.port);

    let address: string;
    try {
      address = await this.#lookup(host);
      steps.push({ name: 'dns', ok: true, detail: `${host} resolves to ${address}` });
    } catch {
      steps.push({
        name: 'dns',
        ok: false,
        detail: `${host} does not resolve from this server.`,
        remedy: `Add a DNS record for ${host}, or set the profile's CAS URL to a name this server can resolve.`,
      });
      return done(profile.name);
    }

    try {
      await this.#tcp(address, port);
      steps.push({ name: 'tcp', ok: true, detail: `connected to ${address}:${port}` });
    } catch (err) {
      steps.push({
        name: 'tcp',
        ok: false,
        detail: `cannot connect to ${address}:${port} (${errorCode(err)})`,
        remedy: `Allow TCP ${port} from this server to the CAS in the firewall, and check IIS is listening on ${port}.`,
      });
      return done(profile.name);
    }

    let casCert: X509Certificate | undefined;
    try {
      const seen = await this.#tls(host, port, target.ca);
      casCert = seen.certificate;
      const c = seen.certificate;
      const subject =
        c === undefined
          ? 'no certificate'
          : `subject ${c.subject.replaceAll('\n', ', ')}, expires ${c.validTo}`;
      steps.push({
        name: 'tls',
        ok: seen.trusted,
        detail: `${seen.protocol ?? 'TLS'}; ${subject}; trusted: ${seen.trusted ? 'yes' : `no (${seen.error ?? 'unknown'})`}`,
        ...(seen.trusted
          ? {}
          : {
              remedy: `Give profile ${profile.name} the CA that issued the CAS certificate (--cas-ca), or install a certificate for ${host} from a trusted CA on the Exchange Back End/Front End site.`,
            }),
      });
      if (!seen.trusted) return done(profile.name);
    } catch (err) {
      steps.push({
        name: 'tls',
        ok: false,
        detail: `TLS handshake failed (${errorCode(err)})`,
        remedy:
          'Enable TLS 1.2 or newer on the CAS (SCHANNEL settings) and bind a certificate to the HTTPS site in IIS.',
      });
      return done(profile.name);
    }

    const upstream = this.#deps.cas.connect(target, {
      probeCache: false,
      connectTimeoutMs: this.#timeoutMs,
      requestTimeoutMs: this.#timeoutMs,
      maxResponseBytes: 1024 * 1024,
    });
    try {
      const answer = await upstream.post(ewsIdentityProbe.firstRequest());
      const schemes = offeredSchemes(answer.wwwAuthenticate);
      const negotiate = answer.status === 401 && schemes.some((s) => s.toLowerCase() === 'negotiate');
      steps.push({
        name: 'negotiate',
        ok: negotiate,
        detail:
          answer.status === 401
            ? `EWS answers 401 and offers: ${schemes.length > 0 ? schemes.join(', ') : 'nothing'}`
            : `EWS answered ${answer.status} to an anonymous request (expected 401 with Negotiate)`,
        ...(negotiate
          ? {}
          : {
              remedy:
                'Turn on Windows Authentication for the EWS virtual directory: Set-WebServicesVirtualDirectory -Identity "<server>\\EWS (Default Web Site)" -WindowsAuthentication $true, then iisreset. Check that the URL ends in /EWS/Exchange.asmx.',
            }),
      });
      if (!negotiate) return done(profile.name);
    } catch (err) {
      const { code } = toTransportError(err);
      steps.push({
        name: 'negotiate',
        ok: false,
        detail: `the anonymous EWS request failed (${code})`,
        remedy:
          'Check that the profile URL points at https://<cas>/EWS/Exchange.asmx and that EWS is running.',
      });
      return done(profile.name);
    } finally {
      upstream.destroy();
    }

    steps.push(extendedProtectionStep(this.#deps.servingCertificate?.(), casCert));
    return done(profile.name);
  }

  async #lookup(host: string): Promise<string> {
    const lookup = this.#deps.cas.lookup;
    if (net.isIP(host) !== 0) return host;
    if (lookup === undefined) return (await promisify(dns.lookup)(host)).address;
    return new Promise((resolve, reject) => {
      lookup(host, {}, (err, address) => {
        if (err) reject(err);
        else resolve(typeof address === 'string' ? address : (address[0]?.address ?? ''));
      });
    });
  }

  #tcp(address: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address, port, timeout: this.#timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
      });
      socket.once('error', reject);
    });
  }

  #tls(
    host: string,
    port: number,
    ca: string | undefined,
  ): Promise<{ trusted: boolean; error?: string; certificate?: X509Certificate; protocol: string | null }> {
    return new Promise((resolve, reject) => {
      // Verification is read, not enforced, here: the report must show the certificate it rejects.
      const socket = tls.connect({
        host,
        port,
        servername: host,
        ca,
        minVersion: 'TLSv1.2',
        rejectUnauthorized: false,
        lookup: this.#deps.cas.lookup,
        timeout: this.#timeoutMs,
      });
      socket.once('secureConnect', () => {
        const certificate = socket.getPeerX509Certificate();
        const error = socket.authorizationError;
        const hostOk = certificate?.checkHost(host) !== undefined;
        const trusted = socket.authorized && hostOk;
        resolve({
          trusted,
          ...(trusted ? {} : { error: hostOk ? String(error) : `certificate does not name ${host}` }),
          ...(certificate === undefined ? {} : { certificate }),
          protocol: socket.getProtocol(),
        });
        socket.destroy();
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
      });
      socket.once('error', reject);
    });
  }
}

function offeredSchemes(headers: readonly string[]): string[] {
  try {
    return parseWwwAuthenticate(headers).map((c) => c.scheme);
  } catch {
    return ['(unparseable WWW-Authenticate)'];
  }
}

/** The transport failure's stable reason (e.g. `tcp-refused`), from the one mapping. */
function errorCode(err: unknown): string {
  const details = toTransportError(err).details as { reason?: unknown } | undefined;
  return typeof details?.reason === 'string' ? details.reason : 'error';
}

function describeCertificate(c: X509Certificate): string {
  const ep = tlsServerEndPoint(c);
  return `subject ${c.subject.replaceAll('\n', ', ')}, tls-server-end-point ${ep.algorithm}:${ep.hash.toString('hex')}`;
}

/**
 * The Extended Protection step (docs/admin-guide.md "Extended Protection"): Windows clients bind
 * their tokens to the RFC 5929 `tls-server-end-point` of the certificate they see, ours; a CAS
 * with EWS Extended Protection "Required" checks it against its own. Comparing the two hashes
 * tells, before anyone signs in, whether "Required" would refuse relayed sign-ins. The CAS's
 * EPA setting itself cannot be read anonymously, so differing certificates are a warning.
 */
export function extendedProtectionStep(
  ours: X509Certificate | undefined,
  cas: X509Certificate | undefined,
): DiagnosisStep {
  const remedy =
    "Serve this backend with the CAS's own certificate and key, or set Extended Protection on the EWS virtual directory to None (Set-WebServicesVirtualDirectory -ExtendedProtectionTokenChecking None), weighing that it removes channel binding for EWS; Accept (Allow) still refuses Windows clients, which bind.";
  if (ours === undefined || cas === undefined) {
    return {
      name: 'extended-protection',
      ok: true,
      warning: true,
      outcome: 'Cannot tell whether Extended Protection "Required" would refuse relayed sign-ins.',
      detail:
        ours === undefined
          ? 'The certificate this backend serves is not known here (outlook-iwa diagnose --tls-cert FILE).'
          : 'The CAS presented no certificate.',
      remedy,
    };
  }
  const same = tlsServerEndPoint(ours).hash.equals(tlsServerEndPoint(cas).hash);
  const detail = `backend: ${describeCertificate(ours)}; CAS: ${describeCertificate(cas)}`;
  if (same) {
    return {
      name: 'extended-protection',
      ok: true,
      outcome:
        'Extended Protection "Required" lets relayed sign-ins through: this backend serves the CAS\'s own certificate.',
      detail,
    };
  }
  return {
    name: 'extended-protection',
    ok: true,
    warning: true,
    outcome:
      'If EWS Extended Protection is "Required", relayed sign-ins from Windows will be refused (EXTENDED_PROTECTION_SUSPECTED): this backend\'s certificate differs from the CAS\'s.',
    detail,
    remedy,
  };
}
