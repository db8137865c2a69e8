#!/usr/bin/python3
"""A CAS with Extended Protection (channel binding) for the Outlook IWA test lab.

mod_auth_gssapi always accepts with no channel bindings, so Apache cannot play an Exchange CAS
whose EWS Extended Protection is "Required". This small HTTPS server on python3-gssapi (MIT krb5
and gss-ntlmssp underneath) can: it hands accept_sec_context the RFC 5929 tls-server-end-point
binding of its OWN certificate, so a token bound to any other certificate fails inside GSSAPI.

Modes (as IIS's extendedProtection tokenChecking):
  Required  also refuse contexts without GSS_C_CHANNEL_BOUND_FLAG (2048): MIT krb5 and
            gss-ntlmssp accept a token that carries no binding at all, IIS "Required" does not.
  Accept    a token bound to another channel is still refused (GSSAPI does that), one without
            a binding passes.

Connection-bound like IIS: after a context completes, later requests on that TCP connection pass
without Authorization; a new Authorization header discards the old context and starts over.
Authenticated requests are proxied to the lab's EWS stand-in with X-Lab-User / X-Lab-Mech /
X-Lab-Auth, exactly as the Apache CAS does, so the EWS answers are the same documents.

Environment: KRB5_CONFIG, KRB5_KTNAME (the CAS keytab), NTLM_USER_FILE (server users).
Prints one JSON line {"ready": true, "port": N} once listening; exits when stdin closes.
"""

import argparse
import base64
import hashlib
import http.client
import json
import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import gssapi
import gssapi.raw

CHANNEL_BOUND_FLAG = 2048
KRB5_OID = "1.2.840.113554.1.2.2"
NTLMSSP_OID = "1.3.6.1.4.1.311.2.2.10"


def tls_server_end_point(cert_der):
    """RFC 5929 section 4.1: hash of the server certificate, SHA-256 for MD5/SHA-1 signatures."""
    from cryptography import x509

    algo = "sha256"
    h = x509.load_der_x509_certificate(cert_der).signature_hash_algorithm
    if h is not None and h.name not in ("md5", "sha1"):
        algo = h.name
    return b"tls-server-end-point:" + hashlib.new(algo, cert_der).digest()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LabEpaCas/1"

    def setup(self):
        super().setup()
        # Without TCP_NODELAY delayed ACKs add ~40 ms per request.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.ctx = None  # the context being established on this connection
        self.user = None  # set once a context completed: the connection is authenticated
        self.mech = None

    def log_message(self, fmt, *args):
        # One line per request on stderr, never a header value (tokens live there).
        sys.stderr.write("epa-cas %s %s\n" % (self.address_string(), fmt % args))

    def _reply(self, status, headers=(), body=b""):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _challenge(self, token=None):
        value = "Negotiate" if token is None else "Negotiate " + base64.b64encode(token).decode("ascii")
        self._reply(401, [("WWW-Authenticate", value), ("Content-Type", "text/plain")], b"401 Unauthorized\n")

    def _refuse(self, why):
        sys.stderr.write("epa-cas refused: %s\n" % why)
        self.ctx = None
        self.user = None
        self._challenge()

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        auth = self.headers.get("Authorization")
        out_token = None
        if auth is not None:
            scheme, _, b64 = auth.strip().partition(" ")
            if scheme.lower() != "negotiate" or not b64.strip():
                return self._refuse("not a Negotiate token")
            if self.user is not None:
                # A new Authorization header on an authenticated connection starts over (IIS).
                self.user = None
                self.ctx = None
            if self.ctx is None:
                self.ctx = gssapi.SecurityContext(usage="accept", channel_bindings=self.server.bindings)
            try:
                out_token = self.ctx.step(base64.b64decode(b64.strip()))
                # python-gssapi raises a failed step's error on the next attribute read.
                complete = self.ctx.complete
                flags = int(self.ctx.actual_flags) if complete else 0
            except (gssapi.exceptions.GSSError, ValueError) as e:
                return self._refuse("GSSAPI: " + str(e).replace("\n", " "))
            if not complete:
                return self._challenge(out_token)
            bound = flags & CHANNEL_BOUND_FLAG != 0
            if self.server.mode == "Required" and not bound:
                return self._refuse("no channel binding (Extended Protection Required)")
            mech = self.ctx.mech.dotted_form if self.ctx.mech is not None else ""
            self.mech = "Negotiate/krb5" if mech == KRB5_OID else "Negotiate/NTLM" if mech == NTLMSSP_OID else "Negotiate"
            self.user = str(self.ctx.initiator_name).rstrip("\x00")
            self.ctx = None
        elif self.user is None:
            return self._challenge()
        self._proxy(body, out_token)

    def _proxy(self, body, out_token):
        """Forward to the EWS stand-in with the identity headers the Apache CAS sets."""
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("authorization", "host", "connection", "content-length")
                   and not k.lower().startswith("x-lab-")}
        headers.update({"X-Lab-User": self.user, "X-Lab-Mech": self.mech, "X-Lab-Auth": "Negotiate"})
        conn = http.client.HTTPConnection("127.0.0.1", self.server.standin_port, timeout=60)
        try:
            conn.request(self.command, self.path, body=body if body else None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            out = [(k, v) for k, v in resp.getheaders()
                   if k.lower() not in ("content-length", "connection", "transfer-encoding", "keep-alive")]
        finally:
            conn.close()
        if out_token:
            out.append(("WWW-Authenticate", "Negotiate " + base64.b64encode(out_token).decode("ascii")))
        self._reply(resp.status, out, data)

    do_GET = do_POST = do_HEAD = _handle


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--mode", choices=["Required", "Accept"], required=True)
    p.add_argument("--standin-port", type=int, required=True)
    args = p.parse_args()

    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.minimum_version = ssl.TLSVersion.TLSv1_2
    tls.load_cert_chain(args.cert, args.key)
    with open(args.cert, "rb") as f:
        der = ssl.PEM_cert_to_DER_cert(f.read().decode("ascii"))

    server = Server(("127.0.0.1", args.port), Handler)
    # The TLS handshake runs in the connection's own thread (first read), not in the accept loop.
    server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.mode = args.mode
    server.standin_port = args.standin_port
    server.bindings = gssapi.raw.ChannelBindings(application_data=tls_server_end_point(der))

    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write(json.dumps({"ready": True, "port": server.server_address[1]}) + "\n")
    sys.stdout.flush()
    # The parent holds our stdin: when it goes (stopped or crashed), so do we.
    sys.stdin.read()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
