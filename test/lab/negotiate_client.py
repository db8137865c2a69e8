#!/usr/bin/python3
"""A real GSSAPI Negotiate (SPNEGO) HTTP client for the Outlook IWA test lab.

Run with /usr/bin/python3 (Debian's, which has python3-gssapi). Each sign-in runs over ONE
persistent HTTPS connection to 127.0.0.1:PORT while presenting the lab host name (SNI and
Host), because Negotiate/NTLM authenticate a connection, not a request.

The mechanism inside SPNEGO is chosen by the environment, as the lab notes describe:
  krb5: KRB5CCNAME=<ccache with a ticket>
  ntlm: KRB5CCNAME=<a cache that does not exist> and NTLM_USER_FILE=<one-line user file>

Prints ONE JSON object on stdout. It never prints tokens; with --dump-tokens DIR it writes
every raw token (base64) it sent and received to files there, as captured test vectors.
"""

import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import socket
import ssl
import sys
import time
from urllib.parse import urlsplit

import gssapi

SPNEGO = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
MECH_NAMES = {
    "1.2.840.113554.1.2.2": "krb5",
    "1.3.6.1.4.1.311.2.2.10": "ntlmssp",
    "1.3.6.1.5.5.2": "spnego",
}


class LabHTTPSConnection(http.client.HTTPSConnection):
    """Connects to connect_host:port but speaks TLS and HTTP to server_name (SNI + Host)."""

    def __init__(self, connect_host, port, server_name, context, timeout, source=None):
        super().__init__(server_name, port, context=context, timeout=timeout)
        self._connect_host = connect_host
        self._source = (source, 0) if source else None

    def connect(self):
        sock = socket.create_connection((self._connect_host, self.port), self.timeout, self._source)
        # Without TCP_NODELAY delayed ACKs add ~40 ms per request and ruin any timing.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def tls_server_end_point(cert_der):
    """RFC 5929 section 4.1: hash of the server certificate, SHA-256 for MD5/SHA-1 signatures."""
    algo = "sha256"
    try:
        from cryptography import x509

        h = x509.load_der_x509_certificate(cert_der).signature_hash_algorithm
        if h is not None and h.name not in ("md5", "sha1"):
            algo = h.name
    except Exception:  # pragma: no cover - without python3-cryptography assume SHA-256 (lab certs)
        pass
    return b"tls-server-end-point:" + hashlib.new(algo, cert_der).digest()


def auth_schemes(headers):
    """Scheme names of every WWW-Authenticate header (never the token after them)."""
    return [v.strip().split(" ", 1)[0] for k, v in headers if k.lower() == "www-authenticate"]


def negotiate_token(headers):
    for k, v in headers:
        if k.lower() == "www-authenticate":
            parts = v.strip().split(None, 1)
            if parts and parts[0].lower() == "negotiate" and len(parts) == 2:
                return base64.b64decode(parts[1].strip())
    return None


def safe_headers(headers):
    """Response headers, with Negotiate tokens cut down to their scheme."""
    out = []
    for k, v in headers:
        if k.lower() == "www-authenticate":
            v = v.strip().split(" ", 1)[0] + (" <token>" if " " in v.strip() else "")
        out.append([k, v])
    return out


class Dumper:
    def __init__(self, directory):
        self.dir = directory
        if directory:
            os.makedirs(directory, exist_ok=True)

    def write(self, iteration, leg, direction, token):
        if not self.dir or token is None:
            return
        name = "iter%02d-leg%02d-%s.b64" % (iteration, leg, direction)
        with open(os.path.join(self.dir, name), "w") as f:
            f.write(base64.b64encode(token).decode("ascii") + "\n")


def one_sign_in(args, iteration, dumper, ctx_tls, body, extra_headers):
    conn = LabHTTPSConnection(args.connect_host, args.connect_port, args.server_name, ctx_tls, args.timeout,
                              args.source)
    t0 = time.perf_counter()
    legs = []
    result = {"legs": legs}
    try:
        conn.connect()
        cb = None
        if args.channel_bindings == "tls-server-end-point":
            cb = gssapi.raw.ChannelBindings(application_data=tls_server_end_point(conn.sock.getpeercert(True)))
        name = gssapi.Name("HTTP@" + args.spn_host, gssapi.NameType.hostbased_service)
        ctx = gssapi.SecurityContext(name=name, mech=SPNEGO, usage="initiate", channel_bindings=cb,
                                     flags=gssapi.RequirementFlag.mutual_authentication
                                     | gssapi.RequirementFlag.out_of_sequence_detection)
        token = None
        send_token = not args.anonymous_first
        leg = 0
        while True:
            headers = dict(extra_headers)
            if send_token:
                token = ctx.step(token)
                headers["Authorization"] = "Negotiate " + base64.b64encode(token).decode("ascii")
                dumper.write(iteration, leg, "sent", token)
            if body is not None:
                headers.setdefault("Content-Type", "text/xml; charset=utf-8")
            lt = time.perf_counter()
            # No answer yet: if the connection dies now, the final status is "none", not the
            # previous leg's.
            result.update({"status": None, "headers": None, "body": None})
            conn.request(args.method, args.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            hdrs = resp.getheaders()
            server_token = negotiate_token(hdrs)
            dumper.write(iteration, leg, "recv", server_token)
            legs.append({
                "status": resp.status,
                "sentToken": send_token,
                "sentTokenLength": len(token) if send_token and token is not None else 0,
                "wwwAuthenticate": auth_schemes(hdrs),
                "receivedTokenLength": len(server_token) if server_token else 0,
                "bodyLength": len(data),
                "ms": round((time.perf_counter() - lt) * 1000, 2),
            })
            # Keep the latest answer even if the next GSSAPI step fails (a refused sign-in).
            result.update({"status": resp.status, "headers": safe_headers(hdrs), "body": data.decode("utf-8", "replace")})
            leg += 1
            if resp.status == 401 and "Negotiate" in [s for s in auth_schemes(hdrs)] and leg <= args.max_legs:
                if send_token and ctx.complete:
                    break  # the server refused a complete context
                if send_token and server_token is None:
                    break  # refused: a fresh challenge with no token to continue with
                token = server_token
                send_token = True
                continue
            if server_token is not None and not ctx.complete:
                # Mutual authentication: the final token rides on the 200.
                ctx.step(server_token)
            break
        result["contextComplete"] = bool(ctx.complete)
        if ctx.complete:
            try:
                result["mech"] = MECH_NAMES.get(ctx.mech.dotted_form, ctx.mech.dotted_form)
            except Exception:
                pass
            try:
                result["initiator"] = str(ctx.initiator_name).rstrip("\x00")
            except Exception:
                pass
        # Later requests on the now-authenticated connection, without Authorization.
        follow = []
        prev = result["body"]
        for path in args.then_body_file:
            with open(path, "rb") as f:
                tmpl = f.read().decode("utf-8")
            m = re.search(r'FolderId Id="([^"]+)"(?: ChangeKey="([^"]*)")?', prev)
            if m:
                tmpl = tmpl.replace("{{FolderId}}", m.group(1)).replace("{{ChangeKey}}", m.group(2) or "")
            lt = time.perf_counter()
            conn.request("POST", args.path, body=tmpl.encode("utf-8"),
                         headers={**extra_headers, "Content-Type": "text/xml; charset=utf-8"})
            r = conn.getresponse()
            d = r.read().decode("utf-8", "replace")
            follow.append({"status": r.status, "wwwAuthenticate": auth_schemes(r.getheaders()),
                           "headers": safe_headers(r.getheaders()), "body": d,
                           "ms": round((time.perf_counter() - lt) * 1000, 2)})
            prev = d
        result["followUps"] = follow
    except gssapi.exceptions.GSSError as e:
        # GSSAPI messages name mechanisms and causes, never token bytes.
        result["error"] = "GSSError: " + str(e).replace("\n", " ")
    except (OSError, http.client.HTTPException) as e:
        result["error"] = "%s: %s" % (type(e).__name__, e)
    finally:
        conn.close()
    result["ms"] = round((time.perf_counter() - t0) * 1000, 2)
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True, help="e.g. https://cas.corp.test:PORT/EWS/Exchange.asmx")
    p.add_argument("--connect", required=True, help="127.0.0.1:PORT to actually connect to")
    p.add_argument("--spn-host", help="host part of HTTP@host (default: the URL's host)")
    p.add_argument("--mech", choices=["krb5", "ntlm"], default="krb5",
                   help="informational: the environment selects the mechanism (see module doc)")
    p.add_argument("--source", help="local address to connect from (e.g. 127.0.0.2)")
    p.add_argument("--method", default="GET")
    p.add_argument("--body-file")
    p.add_argument("--then-body-file", action="append", default=[],
                   help="POST this on the same connection afterwards, with no Authorization; "
                        "{{FolderId}}/{{ChangeKey}} are taken from the previous response")
    p.add_argument("--header", action="append", default=[], help="K:V, repeatable")
    p.add_argument("--repeat", type=int, default=1, help="complete sign-ins, each on a fresh connection")
    p.add_argument("--channel-bindings", choices=["tls-server-end-point"])
    p.add_argument("--ca", help="CA bundle to trust (default: system)")
    p.add_argument("--insecure", action="store_true", help="do not verify the server certificate")
    p.add_argument("--anonymous-first", dest="anonymous_first", action="store_true", default=True,
                   help="first send the request without Authorization, like a browser (default)")
    p.add_argument("--preemptive", dest="anonymous_first", action="store_false",
                   help="send the first token right away")
    p.add_argument("--max-legs", type=int, default=6)
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--dump-tokens", metavar="DIR")
    args = p.parse_args()


    url = urlsplit(args.url)
    args.server_name = url.hostname
    args.path = url.path + (("?" + url.query) if url.query else "") or "/"
    host, _, port = args.connect.rpartition(":")
    args.connect_host, args.connect_port = host, int(port)
    args.spn_host = args.spn_host or url.hostname

    ctx_tls = ssl.create_default_context(cafile=args.ca)
    if args.insecure:
        ctx_tls.check_hostname = False
        ctx_tls.verify_mode = ssl.CERT_NONE
    body = None
    if args.body_file:
        with open(args.body_file, "rb") as f:
            body = f.read()
    extra = {}
    for h in args.header:
        k, _, v = h.partition(":")
        extra[k.strip()] = v.strip()

    dumper = Dumper(args.dump_tokens)
    iterations = [one_sign_in(args, i, dumper, ctx_tls, body, extra) for i in range(max(1, args.repeat))]
    last = iterations[-1]
    out = {
        "mechRequested": args.mech,
        "url": args.url,
        "status": last.get("status"),
        "headers": last.get("headers"),
        "body": last.get("body"),
        "legs": last["legs"],
        "followUps": last.get("followUps", []),
        "mech": last.get("mech"),
        "initiator": last.get("initiator"),
        "error": last.get("error"),
        "timingsMs": [it["ms"] for it in iterations],
        "iterations": [{k: v for k, v in it.items() if k not in ("body", "headers", "followUps")} for it in iterations]
        if args.repeat > 1 else None,
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0 if last.get("error") is None else 2


if __name__ == "__main__":
    sys.exit(main())
