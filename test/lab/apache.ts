/**
 * Apache httpd playing the Exchange CAS: a private instance (own config, pid file, ports and
 * runtime dir) with mod_auth_gssapi doing Kerberos and, through gss-ntlmssp, NTLM — both
 * inside Negotiate — in front of the EWS stand-in (mod_proxy_http).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitForTcp } from './proc.ts';

const MODULES = '/usr/lib/apache2/modules';

export interface ApacheConfig {
  dir: string;
  casPort: number;
  untrustedPort: number;
  standinPort: number;
  casCert: { certPath: string; keyPath: string };
  untrustedCert: { certPath: string; keyPath: string };
  htpasswd: string;
  staticDir: string;
  /** Run the workers as www-data (only possible, and required, when we are root). */
  runAsWwwData: boolean;
}

/**
 * The EWS locations. Case-insensitive like IIS (`/ews/exchange.asmx` works too). The
 * identity headers are set here, after authentication, and override anything the client
 * sent, so the stand-in can trust them.
 */
function ewsLocations(c: ApacheConfig): string {
  const backend = `http://127.0.0.1:${c.standinPort}`;
  return `
  # Windows authentication (Negotiate: Kerberos or NTLM) on /EWS/, as on an Exchange CAS.
  <LocationMatch "(?i)^/ews/">
    AuthType GSSAPI
    AuthName "cas.corp.test"
    GssapiAllowedMech krb5
    GssapiAllowedMech ntlmssp
    # NTLM takes several legs on one connection; and like IIS, later requests on an
    # authenticated connection pass without an Authorization header.
    GssapiConnectionBound On
    GssapiSignalPersistentAuth On
    GssapiBasicAuth Off
    # Publishes GSS_MECH (Negotiate/krb5 or Negotiate/NTLM) to the backend headers below.
    GssapiPublishMech On
    Require valid-user
    RequestHeader set X-Lab-User "expr=%{REMOTE_USER}"
    RequestHeader set X-Lab-Mech "expr=%{reqenv:GSS_MECH}"
    RequestHeader set X-Lab-Auth "expr=%{AUTH_TYPE}"
  </LocationMatch>
  ProxyPassMatch "(?i)^/ews/(.*)$" "${backend}/EWS/$1"

  # The same service with Windows authentication switched off: only Basic is offered.
  <LocationMatch "(?i)^/basic/ews/">
    AuthType Basic
    AuthName "cas.corp.test"
    AuthBasicProvider file
    AuthUserFile "${c.htpasswd}"
    Require valid-user
    RequestHeader set X-Lab-User "expr=%{REMOTE_USER}"
    RequestHeader set X-Lab-Mech "Basic"
    RequestHeader set X-Lab-Auth "expr=%{AUTH_TYPE}"
  </LocationMatch>
  ProxyPassMatch "(?i)^/basic/ews/(.*)$" "${backend}/EWS/$1"

  # Unauthenticated static files (the Exchange auth-metadata document goes here).
  Alias /autodiscover/metadata/ "${c.staticDir}/"
  <Directory "${c.staticDir}">
    Options None
    AllowOverride None
    Require all granted
  </Directory>
`;
}

export function apacheConf(c: ApacheConfig): string {
  const a = join(c.dir, 'apache');
  const vhost = (port: number, cert: { certPath: string; keyPath: string }) => `
<VirtualHost 127.0.0.1:${port}>
  ServerName cas.corp.test
  SSLEngine on
  SSLCertificateFile "${cert.certPath}"
  SSLCertificateKeyFile "${cert.keyPath}"
  DocumentRoot "${join(a, 'htdocs')}"
  <Directory "${join(a, 'htdocs')}">
    Options None
    AllowOverride None
    Require all granted
  </Directory>
${ewsLocations(c)}
</VirtualHost>
`;
  return `# Outlook IWA test lab: the CAS. Generated; see test/lab/apache.ts.
ServerRoot "${a}"
ServerName cas.corp.test
PidFile "${join(a, 'run', 'httpd.pid')}"
DefaultRuntimeDir "${join(a, 'run')}"
Mutex file:${join(a, 'run')} default
ErrorLog "${join(a, 'error.log')}"
LogLevel warn
${c.runAsWwwData ? 'User www-data\nGroup www-data' : ''}

LoadModule mpm_worker_module ${MODULES}/mod_mpm_worker.so
LoadModule authn_core_module ${MODULES}/mod_authn_core.so
LoadModule authn_file_module ${MODULES}/mod_authn_file.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule authz_user_module ${MODULES}/mod_authz_user.so
LoadModule auth_basic_module ${MODULES}/mod_auth_basic.so
LoadModule auth_gssapi_module ${MODULES}/mod_auth_gssapi.so
LoadModule socache_shmcb_module ${MODULES}/mod_socache_shmcb.so
LoadModule ssl_module ${MODULES}/mod_ssl.so
LoadModule headers_module ${MODULES}/mod_headers.so
LoadModule proxy_module ${MODULES}/mod_proxy.so
LoadModule proxy_http_module ${MODULES}/mod_proxy_http.so
LoadModule alias_module ${MODULES}/mod_alias.so
LoadModule mime_module ${MODULES}/mod_mime.so

# %k counts requests on the connection: shows whether a client kept its connection. The
# client's port ties a request to the error log's "[client 127.0.0.1:PORT]" lines.
LogFormat "%h %u [%{%d/%b/%Y:%T}t.%{msec_frac}t] \\"%r\\" %>s %B %Dus keepalive=%k %{GSS_MECH}e port=%{remote}p" lab
CustomLog "${join(a, 'access.log')}" lab

# Keep-alive as IIS: Negotiate/NTLM authenticate the connection, so it must stay open.
KeepAlive On
MaxKeepAliveRequests 10000
KeepAliveTimeout 30
Timeout 60

# Worker MPM sized for about 64 concurrent connections (one thread each while kept alive).
StartServers 2
ServerLimit 4
ThreadLimit 64
ThreadsPerChild 32
MinSpareThreads 16
MaxSpareThreads 128
MaxRequestWorkers 128
MaxConnectionsPerChild 0

TypesConfig /etc/mime.types
AddType application/json .json
ServerTokens Prod
ServerSignature Off
TraceEnable Off

SSLSessionCache "shmcb:${join(a, 'run', 'ssl_scache')}(512000)"
SSLProtocol -all +TLSv1.2 +TLSv1.3

ProxyRequests Off
ProxyTimeout 60

Listen 127.0.0.1:${c.casPort} https
Listen 127.0.0.1:${c.untrustedPort} https
${vhost(c.casPort, c.casCert)}
# Same CAS, but its certificate is self-signed and not from the lab CA.
${vhost(c.untrustedPort, c.untrustedCert)}
`;
}

export interface ApacheEnv {
  krb5Conf: string;
  keytab: string;
  ntlmServerUserFile: string;
  rcacheDir: string;
  traceFile?: string;
}

/**
 * Starts httpd in the foreground (`-k start -DFOREGROUND`) so we own the master's pid and
 * see it exit. The environment is built from nothing (like `env -i`): only what the
 * GSSAPI mechanisms need.
 */
export async function startApache(confPath: string, c: ApacheConfig, e: ApacheEnv): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C',
    KRB5_CONFIG: e.krb5Conf,
    KRB5_KTNAME: `FILE:${e.keytab}`,
    NTLM_USER_FILE: e.ntlmServerUserFile,
    KRB5RCACHEDIR: e.rcacheDir,
  };
  if (e.traceFile !== undefined) env.KRB5_TRACE = e.traceFile;
  await writeFile(confPath, apacheConf(c), { mode: 0o644 });
  const child = spawn('apache2', ['-f', confPath, '-k', 'start', '-DFOREGROUND'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const alive = () =>
    child.exitCode !== null || child.signalCode !== null
      ? `apache2 exited early (${String(child.exitCode)}): ${stderr.trim()}`
      : undefined;
  try {
    await waitForTcp(c.casPort, { timeoutMs: 10_000, alive });
    await waitForTcp(c.untrustedPort, { timeoutMs: 10_000, alive });
  } catch (err) {
    child.kill('SIGKILL');
    const log = await readFile(join(c.dir, 'apache', 'error.log'), 'utf8').catch(() => '');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${log.slice(-2000)}`, {
      cause: err,
    });
  }
  return child;
}
