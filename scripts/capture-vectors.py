#!/usr/bin/python3
"""Capture Negotiate test vectors from real GSSAPI implementations.

Run with Debian's system Python, which has python3-gssapi:

    /usr/bin/python3 scripts/capture-vectors.py [--out test/fixtures/protocol]

What it does, all on loopback and in throw-away temp dirs:

* NTLM: gss-ntlmssp 1.2 (loaded by MIT's mechglue from /etc/gss/mech.d) plays both the
  initiator (client NTLM_USER_FILE with one `CORP:alice:Passw0rd!` line, a KRB5CCNAME that
  does not exist so SPNEGO picks NTLMSSP) and the acceptor (server NTLM_USER_FILE), in one
  process, through SPNEGO (1.3.6.1.5.5.2) and raw NTLM (1.3.6.1.4.1.311.2.2.10). Scenarios:
  good password, wrong password, channel bindings (RFC 5929 tls-server-end-point shape),
  NTLMv1 (LM_COMPAT_LEVEL=1), and a local account (domain == NETBIOS_COMPUTER_NAME).
* curl's own NTLM (`curl --ntlm`, not GSSAPI): a throw-away HTTP/1.1 server on 127.0.0.1
  answers `401 NTLM`, then `401 NTLM <a CHALLENGE gss-ntlmssp produced above>`, then 200, and
  records curl's NEGOTIATE (which has no Version field) and AUTHENTICATE. Nobody verifies
  that AUTHENTICATE: it is a vector for inspection only.
* Kerberos: a private MIT KDC (realm CORP.TEST) on a free 127.0.0.1 port, `kinit alice`
  into a private ccache, then python-gssapi as initiator (ccache) and acceptor (keytab with
  HTTP/cas.corp.test via KRB5_KTNAME), through SPNEGO and raw krb5, with mutual auth so an
  AP-REP comes back. The KDC is killed at the end.

Each scenario runs in its own subprocess, because gss-ntlmssp reads some environment
variables (NETBIOS_COMPUTER_NAME, LM_COMPAT_LEVEL) once per process.

The output is JSON, tokens in base64, in the shape the unit tests read:
    {"source": ..., "made": ..., "vectors": [{"description", "mech", "setup",
      "legs": [{"from": "initiator"|"acceptor", "token"}], "outcome": {...}}]}
The passwords are lab-only values.
"""

import argparse
import base64
import datetime
import hashlib
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SPNEGO = '1.3.6.1.5.5.2'
NTLMSSP = '1.3.6.1.4.1.311.2.2.10'
KRB5 = '1.2.840.113554.1.2.2'
REALM = 'CORP.TEST'
SERVICE = 'HTTP@cas.corp.test'
PASSWORD = 'Passw0rd!'

# A fixed stand-in for a TLS certificate, hashed the way RFC 5929 tls-server-end-point does.
FAKE_CERT_DER = b'outlook-iwa capture-vectors fake certificate'
CHANNEL_BINDING_APPDATA = b'tls-server-end-point:' + hashlib.sha256(FAKE_CERT_DER).digest()


def b64(data):
    return base64.b64encode(data).decode('ascii')


# --------------------------------------------------------------------------------------------
# Child side: one handshake, in-process, printed as JSON on stdout.
# --------------------------------------------------------------------------------------------


def run_handshake(args):
    """Run one initiator/acceptor exchange. The environment was prepared by the parent."""
    import gssapi
    import gssapi.raw as graw

    mech = gssapi.OID.from_int_seq(args.mech)
    target = gssapi.Name(SERVICE, gssapi.NameType.hostbased_service)
    flags = gssapi.RequirementFlag.mutual_authentication | gssapi.RequirementFlag.out_of_sequence_detection
    cb = None
    if args.channel_bindings:
        cb = graw.ChannelBindings(application_data=CHANNEL_BINDING_APPDATA)
    # The acceptor normally binds to the same channel; 'mismatch' models a CAS that enforces
    # Extended Protection against its own certificate while the client bound to the relay's.
    acb = cb
    if args.acceptor_bindings == 'mismatch':
        acb = graw.ChannelBindings(application_data=b'tls-server-end-point:' + hashlib.sha256(b'other').digest())

    # Switch NTLM_USER_FILE between the two sides: gss-ntlmssp reads it when it acquires
    # credentials (initiator) and when it looks a user up (acceptor).
    def as_client():
        if args.client_user_file:
            os.environ['NTLM_USER_FILE'] = args.client_user_file

    def as_server():
        if args.server_user_file:
            os.environ['NTLM_USER_FILE'] = args.server_user_file

    as_client()
    ictx = gssapi.SecurityContext(name=target, mech=mech, usage='initiate', flags=flags, channel_bindings=cb)
    as_server()
    acreds = None
    if args.mech != SPNEGO:
        acreds = gssapi.Credentials(usage='accept', mechs=[mech])
    actx = gssapi.SecurityContext(usage='accept', creds=acreds, channel_bindings=acb)

    legs = []
    outcome = {'accepted': False}
    as_client()
    token = ictx.step()
    try:
        for _ in range(6):
            if token is None:
                break
            legs.append({'from': 'initiator', 'token': b64(token)})
            as_server()
            reply = actx.step(token)
            if reply is not None:
                legs.append({'from': 'acceptor', 'token': b64(reply)})
            if actx.complete and (reply is None or ictx.complete):
                # Let the initiator verify the final token (mutual auth / mechListMIC).
                if reply is not None and not ictx.complete:
                    as_client()
                    ictx.step(reply)
                break
            if reply is None:
                break
            as_client()
            token = ictx.step(reply)
        outcome['accepted'] = bool(actx.complete)
        if actx.complete:
            # gss-ntlmssp's display name carries a trailing NUL.
            outcome['initiatorName'] = str(actx.initiator_name).rstrip('\x00')
            outcome['mech'] = actx.mech.dotted_form if hasattr(actx.mech, 'dotted_form') else str(actx.mech)
    except gssapi.exceptions.GSSError as err:
        outcome['accepted'] = False
        outcome['error'] = err.gen_message().splitlines()[0] if hasattr(err, 'gen_message') else str(err)
    json.dump({'legs': legs, 'outcome': outcome}, sys.stdout)


# --------------------------------------------------------------------------------------------
# Parent side: environments, the KDC, and the list of scenarios.
# --------------------------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def child(env, mech, description, setup, client_user_file=None, server_user_file=None,
          channel_bindings=False, acceptor_bindings=None):
    cmd = [sys.executable, os.path.abspath(__file__), '--child', '--mech', mech]
    if client_user_file:
        cmd += ['--client-user-file', client_user_file]
    if server_user_file:
        cmd += ['--server-user-file', server_user_file]
    if channel_bindings:
        cmd.append('--channel-bindings')
    if acceptor_bindings:
        cmd += ['--acceptor-bindings', acceptor_bindings]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=True)
    result = json.loads(done.stdout)
    return {'description': description, 'mech': mech, 'setup': setup, **result}


def ntlm_vectors(tmp):
    def user_file(name, line):
        path = os.path.join(tmp, name)
        with open(path, 'w') as f:
            f.write(line + '\n')
        return path

    alice = user_file('alice.ntlm', f'CORP:alice:{PASSWORD}')
    alice_wrong = user_file('alice-wrong.ntlm', 'CORP:alice:NotThePassword1')
    server = os.path.join(tmp, 'server.ntlm')
    with open(server, 'w') as f:
        f.write(f'CORP:alice:{PASSWORD}\nCORP:bob:{PASSWORD}\nPC01:localuser:{PASSWORD}\n')
    local = user_file('local.ntlm', f'PC01:localuser:{PASSWORD}')

    base = {
        'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
        # No Kerberos credentials at all: SPNEGO must fall back to NTLMSSP.
        'KRB5CCNAME': 'FILE:' + os.path.join(tmp, 'no-such-ccache'),
        'KRB5_KTNAME': 'FILE:' + os.path.join(tmp, 'no-such-keytab'),
        'KRB5_CONFIG': os.path.join(tmp, 'empty-krb5.conf'),
        'NETBIOS_COMPUTER_NAME': 'WKS01',
    }
    open(base['KRB5_CONFIG'], 'w').close()

    common = {'client': 'CORP:alice (gss-ntlmssp NTLM_USER_FILE)', 'workstation': 'WKS01'}
    out = []
    for mech, label in ((SPNEGO, 'SPNEGO'), (NTLMSSP, 'raw NTLMSSP')):
        out.append(child(base, mech, f'{label}: alice, right password', common,
                         client_user_file=alice, server_user_file=server))
        out.append(child(base, mech, f'{label}: alice, wrong password', {**common, 'password': 'wrong'},
                         client_user_file=alice_wrong, server_user_file=server))
        out.append(child(base, mech, f'{label}: alice, channel bindings on both sides',
                         {**common, 'channelBindings': 'tls-server-end-point:sha256(fake cert)'},
                         client_user_file=alice, server_user_file=server, channel_bindings=True))
    out.append(child(base, SPNEGO, 'SPNEGO: alice binds to one certificate, acceptor enforces another',
                     {**common, 'channelBindings': 'client and acceptor differ (Extended Protection)'},
                     client_user_file=alice, server_user_file=server, channel_bindings=True,
                     acceptor_bindings='mismatch'))
    out.append(child({**base, 'LM_COMPAT_LEVEL': '1'}, NTLMSSP, 'raw NTLMSSP: alice, NTLMv1 (LM_COMPAT_LEVEL=1)',
                     {**common, 'lmCompatLevel': 1}, client_user_file=alice, server_user_file=server))
    out.append(child({**base, 'NETBIOS_COMPUTER_NAME': 'PC01'}, SPNEGO,
                     'SPNEGO: local account PC01\\localuser on workstation PC01',
                     {'client': 'PC01:localuser', 'workstation': 'PC01'},
                     client_user_file=local, server_user_file=server))
    return out


def curl_ntlm_vectors(challenge_b64):
    """Record what `curl --ntlm` sends, answering with a real gss-ntlmssp CHALLENGE."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'  # NTLM authenticates the connection: keep it alive

        def do_GET(self):  # noqa: N802 (http.server's naming)
            auth = self.headers.get('Authorization')
            if auth is None:
                self.reply(401, 'NTLM')
            elif auth.startswith('NTLM ') and len(seen) % 2 == 0:
                seen.append(auth[5:])
                self.reply(401, 'NTLM ' + challenge_b64)
            else:
                seen.append(auth[5:])
                self.reply(200, None)

        def reply(self, status, challenge):
            self.send_response(status)
            if challenge:
                self.send_header('WWW-Authenticate', challenge)
            self.send_header('Content-Length', '0')
            self.end_headers()

        def log_message(self, *args):
            pass

    out = []
    for user, description in (('CORP\\alice:' + PASSWORD, "curl --ntlm -u 'CORP\\alice:…'"),
                              ('alice:' + PASSWORD, "curl --ntlm -u 'alice:…' (no domain)")):
        seen.clear()
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f'http://127.0.0.1:{server.server_address[1]}/EWS/Exchange.asmx'
            subprocess.run(['curl', '-sS', '-o', '/dev/null', '--ntlm', '-u', user, url],
                           check=True, timeout=30, capture_output=True)
        finally:
            server.shutdown()
            server.server_close()
        legs = []
        for i, token in enumerate(seen):
            legs.append({'from': 'initiator', 'token': token})
            if i == 0:
                legs.append({'from': 'acceptor', 'token': challenge_b64})
        out.append({
            'description': description,
            'mech': 'curl-ntlm',
            'setup': {'client': 'curl 7.88 built-in NTLM (not GSSAPI)', 'workstation': socket.gethostname()},
            'legs': legs,
            'outcome': {'accepted': None, 'note': 'recorded only; the CHALLENGE was replayed, not issued to curl'},
        })
    return out


KRB5_CONF = """[libdefaults]
  default_realm = {realm}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  udp_preference_limit = 1
[realms]
  {realm} = {{
    kdc = 127.0.0.1:{port}
  }}
[domain_realm]
  .corp.test = {realm}
  corp.test = {realm}
"""

KDC_CONF = """[kdcdefaults]
  kdc_listen = 127.0.0.1:{port}
  kdc_tcp_listen = 127.0.0.1:{port}
[realms]
  {realm} = {{
    database_name = {dir}/principal
    key_stash_file = {dir}/stash
    acl_file = {dir}/kadm5.acl
    max_life = 10h
  }}
[logging]
  kdc = FILE:{dir}/kdc.log
"""


def kerberos_vectors(tmp):
    kdir = os.path.join(tmp, 'kdc')
    os.makedirs(kdir)
    port = free_port()
    krb5_conf = os.path.join(kdir, 'krb5.conf')
    kdc_conf = os.path.join(kdir, 'kdc.conf')
    with open(krb5_conf, 'w') as f:
        f.write(KRB5_CONF.format(realm=REALM, port=port))
    with open(kdc_conf, 'w') as f:
        f.write(KDC_CONF.format(realm=REALM, port=port, dir=kdir))
    open(os.path.join(kdir, 'kadm5.acl'), 'w').close()
    keytab = os.path.join(kdir, 'cas.keytab')
    ccache = os.path.join(kdir, 'alice.ccache')
    env = {
        'PATH': '/usr/sbin:/usr/bin:/sbin:/bin',
        'KRB5_CONFIG': krb5_conf,
        'KRB5_KDC_PROFILE': kdc_conf,
        'KRB5CCNAME': 'FILE:' + ccache,
        'KRB5_KTNAME': 'FILE:' + keytab,
        # No NTLM credentials here: SPNEGO must use Kerberos.
        'NTLM_USER_FILE': os.path.join(kdir, 'no-such-ntlm-file'),
    }

    def run(*cmd, stdin=None):
        subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True, check=True, timeout=60)

    run('kdb5_util', 'create', '-s', '-r', REALM, '-P', 'masterkey-lab-only')
    run('kadmin.local', '-r', REALM, '-q', f'addprinc -pw {PASSWORD} alice')
    run('kadmin.local', '-r', REALM, '-q', 'addprinc -randkey HTTP/cas.corp.test')
    run('kadmin.local', '-r', REALM, '-q', f'ktadd -k {keytab} HTTP/cas.corp.test')
    kdc = subprocess.Popen(['krb5kdc', '-n', '-P', os.path.join(kdir, 'kdc.pid')], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while True:
            try:
                with socket.create_connection(('127.0.0.1', port), timeout=0.5):
                    break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        run('kinit', 'alice@' + REALM, stdin=PASSWORD + '\n')
        setup = {'client': 'alice@CORP.TEST (kinit ccache)', 'service': 'HTTP/cas.corp.test', 'kdc': 'MIT krb5kdc'}
        out = [
            child(env, SPNEGO, 'SPNEGO: Kerberos AP-REQ in NegTokenInit, mutual auth', setup),
            child(env, KRB5, 'raw krb5: AP-REQ and AP-REP, mutual auth', setup),
            child(env, SPNEGO, 'SPNEGO: Kerberos with channel bindings on both sides',
                  {**setup, 'channelBindings': 'tls-server-end-point:sha256(fake cert)'}, channel_bindings=True),
        ]
        # Re-key the service into a new keytab: the ticket alice already holds (old kvno) is
        # then refused, as a CAS refuses a ticket for an SPN whose key it does not have.
        stale = os.path.join(kdir, 'rekeyed.keytab')
        run('kadmin.local', '-r', REALM, '-q', f'ktadd -k {stale} HTTP/cas.corp.test')
        out.append(child({**env, 'KRB5_KTNAME': 'FILE:' + stale}, SPNEGO,
                         'SPNEGO: Kerberos ticket the acceptor cannot decrypt (service re-keyed)',
                         {**setup, 'acceptorKeytab': 'new kvno only'}))
    finally:
        kdc.send_signal(signal.SIGTERM)
        kdc.wait(timeout=10)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--child', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--mech', help=argparse.SUPPRESS)
    parser.add_argument('--client-user-file', help=argparse.SUPPRESS)
    parser.add_argument('--server-user-file', help=argparse.SUPPRESS)
    parser.add_argument('--channel-bindings', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--acceptor-bindings', choices=['mismatch'], help=argparse.SUPPRESS)
    parser.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test',
                                                      'fixtures', 'protocol'))
    args = parser.parse_args()
    if args.child:
        run_handshake(args)
        return

    made = datetime.date.today().isoformat()
    tmp = tempfile.mkdtemp(prefix='iwa-vectors-')
    try:
        ntlm = ntlm_vectors(tmp)
        raw = next(v for v in ntlm if v['description'] == 'raw NTLMSSP: alice, right password')
        files = {
            'ntlm-gssntlmssp.json': {
                'source': 'gss-ntlmssp 1.2.0 via MIT krb5 1.20 mechglue and python3-gssapi, '
                          'initiator and acceptor in one process (scripts/capture-vectors.py)',
                'made': made,
                'vectors': ntlm,
            },
            'ntlm-curl.json': {
                'source': "curl 7.88.1's built-in NTLM against a recording HTTP/1.1 server on 127.0.0.1, "
                          'answered with a gss-ntlmssp CHALLENGE (scripts/capture-vectors.py)',
                'made': made,
                'vectors': curl_ntlm_vectors(raw['legs'][1]['token']),
            },
            'kerberos-mit.json': {
                'source': 'MIT krb5 1.20 KDC (private realm CORP.TEST on 127.0.0.1) and python3-gssapi, '
                          'initiator with a kinit ccache, acceptor with a keytab (scripts/capture-vectors.py)',
                'made': made,
                'vectors': kerberos_vectors(tmp),
            },
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(args.out, exist_ok=True)
    for name, content in files.items():
        path = os.path.join(args.out, name)
        with open(path, 'w') as f:
            json.dump(content, f, indent=2)
            f.write('\n')
        print(f'wrote {path}: {len(content["vectors"])} vectors')


if __name__ == '__main__':
    main()
