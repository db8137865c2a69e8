import { promisify } from 'node:util';
import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import tls from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { IwaError } from '../../protocol/errors.ts';
import type { EffectiveProfile } from '../storage/types.ts';
import { ewsIdentityProbe } from './identity-probe.ts';
import { parseWwwAuthenticate } from '../../protocol/http-auth.ts';
import { parseMailbox } from '../../protocol/mailbox.ts';
import { casTarget } from './relay.ts';
import { UpstreamConnection } from './upstream.ts';

export interface DiagnosisStep {
  readonly name: 'profile' | 'dns' | 'tcp' | 'tls' | 'negotiate' | 'extended-protection';
  readonly ok: boolean;
  readonly detail: string;
  /** For a failed step: what an Exchange admin should change. */
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
  readonly lookup?: LookupFunction | undefined;
  readonly timeoutMs?: number;
  /** The certificate this backend serves, to tell whether Extended Protection can pass. */
  servingCertificate?(): X509Certificate | undefined;
}

/**
 * Runs the CAS probe of a mailbox's effective profile step by step (design.md §5): profile,
 * DNS, TCP, TLS and certificate, what EWS offers in `WWW-Authenticate`, and the Extended
 * Protection hint. It stops at the first failed step, since later ones cannot run.
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

    const upstream = new UpstreamConnection(target, {
      lookup: this.#deps.lookup,
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
      const code = err instanceof IwaError ? err.code : 'CAS_UNREACHABLE';
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

    const ours = this.#deps.servingCertificate?.();
    const same =
      ours !== undefined && casCert !== undefined && ours.fingerprint256 === casCert.fingerprint256;
    steps.push({
      name: 'extended-protection',
      ok: true,
      detail: same
        ? "This backend serves the CAS's own certificate, so channel bindings match even with Extended Protection on."
        : "This backend serves a different certificate than the CAS. If Extended Protection is Required on the CAS's EWS front-end directory, Windows clients that bind their token to our certificate will be refused (EXTENDED_PROTECTION_SUSPECTED).",
      ...(same
        ? {}
        : {
            remedy:
              "Serve the backend with the CAS's certificate and key, or set the EWS front-end virtual directory's Extended Protection to None or Allow (Set-WebServicesVirtualDirectory -ExtendedProtectionTokenChecking None), weighing that it removes channel binding for EWS.",
          }),
    });
    return done(profile.name);
  }

  async #lookup(host: string): Promise<string> {
    const lookup = this.#deps.lookup;
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
        lookup: this.#deps.lookup,
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

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'error';
}
