/**
 * Starts a lab by hand for exploring: `node --import tsx test/lab/cli.ts start [--keep]`.
 * Prints hosts, ports, files and ready-to-paste commands (never a password: they are read
 * from files), then runs until Ctrl-C and stops everything it started.
 */
import { parseArgs } from 'node:util';
import { startLab } from './lab.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { keep: { type: 'boolean', default: false }, trace: { type: 'boolean', default: false } },
});
if (positionals[0] !== 'start') {
  process.stderr.write('usage: node --import tsx test/lab/cli.ts start [--keep] [--trace]\n');
  process.exit(2);
}

const t0 = performance.now();
const lab = await startLab({ trace: values.trace });
const startMs = Math.round(performance.now() - t0);
const i = lab.info;
const resolve = `--resolve ${i.hosts.cas}:${i.cas.port}:127.0.0.1`;
const lines = [
  `Outlook IWA lab started in ${startMs} ms — directory ${i.dir}`,
  '',
  `Realm ${i.realm} (NTLM domain ${i.ntlmDomain}), KDC 127.0.0.1:${i.kdc.port} (udp+tcp)`,
  `CAS          ${i.cas.ewsUrl}  (Negotiate: Kerberos or NTLM)`,
  `Basic only   ${i.cas.basicEwsUrl}`,
  `Untrusted    ${i.cas.untrustedEwsUrl}  (self-signed certificate)`,
  `Static       ${i.cas.staticUrl}  ← ${i.staticDir}`,
  `Stand-in     http://127.0.0.1:${i.standin.port}/EWS/Exchange.asmx, control ${i.standin.controlUrl}/mode`,
  `Lab CA       ${i.tls.caCertPath}`,
  `Relay cert   ${i.tls.relayCertPath} (key ${i.tls.relayKeyPath})`,
  `Keytab       ${i.keytabPath} (${i.spns.join(', ')})`,
  `Users        ${Object.values(i.users)
    .map((u) => `${u.login} → ${u.smtp}`)
    .join(', ')} (passwords in ${i.dir}/users/*.pw)`,
  `Logs         ${i.logs.apacheError}, ${i.logs.apacheAccess}, ${i.logs.kdc}`,
  '',
  'Kerberos with curl:',
  `  export KRB5_CONFIG=${i.env.KRB5_CONFIG} KRB5CCNAME=FILE:${i.dir}/ccache/alice`,
  `  kinit ${i.users.alice.principal} < ${i.users.alice.passwordFile}`,
  `  curl --negotiate -u : --cacert ${i.tls.caCertPath} ${resolve} ${i.cas.ewsUrl}`,
  '',
  'NTLM inside Negotiate with the Python GSSAPI client:',
  `  KRB5_CONFIG=${i.env.KRB5_CONFIG} KRB5CCNAME=FILE:/nonexistent NTLM_USER_FILE=${i.users.carol.ntlmUserFile} \\`,
  `    /usr/bin/python3 test/lab/negotiate_client.py --url ${i.cas.ewsUrl} --connect 127.0.0.1:${i.cas.port} --ca ${i.tls.caCertPath}`,
  '',
  'Press Ctrl-C to stop.',
];
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  const t1 = performance.now();
  void lab.stop({ keepDir: values.keep }).then(() => {
    process.stdout.write(`\nLab stopped in ${Math.round(performance.now() - t1)} ms.\n`);
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Keep the event loop alive until a signal arrives.
setInterval(() => undefined, 1 << 30);
