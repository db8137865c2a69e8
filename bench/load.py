#!/usr/bin/python3
"""Closed-loop load generator for `npm run bench`: THREADS threads each run complete Negotiate
sign-ins back to back, each on a fresh connection, from START until END (Unix epoch seconds),
with exactly the code of test/lab/negotiate_client.py (`one_sign_in`), so the load and the
handshake-cost measurements use the same client.

With --resume-tls each thread keeps the TLS session of its last connection and offers it on
the next one (an abbreviated handshake, as browsers do when they reconnect); the sign-in on it
is still complete. The same flag, and so the same client behaviour, is used for the CAS
directly and for the relay. "tlsResumed" counts the connections the server resumed.

Run with /usr/bin/python3 (python3-gssapi). The mechanism is chosen by the environment, as for
negotiate_client.py (KRB5CCNAME for Kerberos; a missing cache plus NTLM_USER_FILE for NTLM).
Prints ONE JSON object: completed sign-ins inside the window, failures, and latencies (ms).
"""

import argparse
import json
import os
import sys
import threading
import time
from urllib.parse import urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "lab"))
import socket  # noqa: E402
import ssl  # noqa: E402

import negotiate_client  # noqa: E402


def resume_sessions(resumed):
    """Makes negotiate_client's connections offer the thread's last TLS session and keep the
    new one when they close (TLS 1.3 tickets arrive after the handshake, so not before)."""
    local = threading.local()
    cls = negotiate_client.LabHTTPSConnection
    connect, close = cls.connect, cls.close
    lock = threading.Lock()

    def connect_resuming(self):
        sock = socket.create_connection((self._connect_host, self.port), self.timeout, self._source)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host,
                                              session=getattr(local, "session", None))
        if self.sock.session_reused:
            with lock:
                resumed["n"] += 1

    def close_keeping(self):
        if self.sock is not None:
            try:
                if self.sock.session is not None:
                    local.session = self.sock.session
            except (OSError, ValueError):
                pass
        close(self)

    assert connect is not None
    cls.connect = connect_resuming
    cls.close = close_keeping


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--url", required=True)
    p.add_argument("--connect", required=True, help="127.0.0.1:PORT")
    p.add_argument("--spn-host")
    p.add_argument("--method", default="GET")
    p.add_argument("--body-file")
    p.add_argument("--then-body-file", action="append", default=[])
    p.add_argument("--ca", required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--start", type=float, default=0, help="epoch seconds: begin")
    p.add_argument("--end", type=float, default=float("inf"), help="epoch seconds: stop")
    p.add_argument("--window-from-stdin", action="store_true",
                   help="print 'ready' on stderr, then read 'START END' (epoch seconds) from stdin")
    p.add_argument("--count", type=int, default=0, help="sign-ins per thread (0: until --end)")
    p.add_argument("--detail", action="store_true", help="report every sign-in's legs and follow-ups")
    p.add_argument("--timeout", type=float, default=20.0)
    p.add_argument("--resume-tls", action="store_true",
                   help="offer each thread's last TLS session on its next connection")
    a = p.parse_args()
    resumed = {"n": 0}
    if a.resume_tls:
        resume_sessions(resumed)

    url = urlsplit(a.url)
    host, _, port = a.connect.rpartition(":")
    args = argparse.Namespace(
        connect_host=host,
        connect_port=int(port),
        server_name=url.hostname,
        path=url.path + (("?" + url.query) if url.query else ""),
        spn_host=a.spn_host or url.hostname,
        method=a.method,
        then_body_file=a.then_body_file,
        channel_bindings=None,
        anonymous_first=True,
        max_legs=6,
        timeout=a.timeout,
        source=None,
    )
    ctx_tls = ssl.create_default_context(cafile=a.ca)
    body = None
    if a.body_file:
        with open(a.body_file, "rb") as f:
            body = f.read()
    dumper = negotiate_client.Dumper(None)

    if a.window_from_stdin:
        sys.stderr.write("ready\n")
        sys.stderr.flush()
        start, end = sys.stdin.readline().split()
        a.start, a.end = float(start), float(end)

    lock = threading.Lock()
    out = {"completed": 0, "failed": 0, "latenciesMs": [], "errors": {}, "detail": []}

    def ok(r):
        if r.get("error") or r.get("status") != 200:
            return False
        return all(f.get("status") == 200 for f in r.get("followUps", []))

    def worker():
        if a.resume_tls:
            # Untimed: the thread gets a session to resume, as a browser that has talked to
            # the server before has; otherwise the first sign-in of every process is a full one.
            try:
                negotiate_client.one_sign_in(args, -1, dumper, ctx_tls, body, {})
            except Exception:  # the counted sign-ins report what is wrong
                pass
        now = time.time()
        if now < a.start:
            time.sleep(a.start - now)
        i = 0
        while time.time() < a.end and (a.count == 0 or i < a.count):
            try:
                r = negotiate_client.one_sign_in(args, i, dumper, ctx_tls, body, {})
            except Exception as e:  # a client bug counts as a failure, never as silence
                r = {"error": "%s: %s" % (type(e).__name__, e)}
            i += 1
            done = time.time()
            with lock:
                if done > a.end:
                    break
                if ok(r):
                    out["completed"] += 1
                    out["latenciesMs"].append(r["ms"])
                    if a.detail:
                        out["detail"].append({
                            "ms": r["ms"],
                            "legsMs": [leg["ms"] for leg in r["legs"]],
                            "legStatus": [leg["status"] for leg in r["legs"]],
                            "followUpsMs": [f["ms"] for f in r.get("followUps", [])],
                            "mech": r.get("mech"),
                        })
                else:
                    out["failed"] += 1
                    key = r.get("error") or ("status %s" % r.get("status"))
                    out["errors"][key[:120]] = out["errors"].get(key[:120], 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(max(1, a.threads))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out["tlsResumed"] = resumed["n"]
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
