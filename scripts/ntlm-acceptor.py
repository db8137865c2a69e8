#!/usr/bin/python3
"""A tiny line-based GSSAPI acceptor over gss-ntlmssp, for testing our NTLM client.

Run with Debian's system Python, which has python3-gssapi (the `python3` on PATH may not):

    NTLM_USER_FILE=server.ntlm /usr/bin/python3 scripts/ntlm-acceptor.py [--mech ntlmssp|spnego|any]
        [--channel-bindings-hex HEX]

The server user file holds one `DOMAIN:user:password` per line. Give the process a
KRB5_CONFIG/KRB5_KTNAME that point at nothing, so only NTLM is possible; the caller's test
does that.

Protocol, one line each way, tokens in standard base64:

    in:  <base64 token>         the next initiator token (a new handshake starts on its own)
    in:  RESET                  forget the handshake in progress
    out: READY                  once at start, when gssapi has loaded
    out: CONTINUE <base64>      send this token back to the initiator
    out: COMPLETE <name> <mech> [<base64>]
                                accepted; <name> is the initiator name as gss-ntlmssp displays
                                it (e.g. CORP\\alice), percent-encoded for spaces; <mech> the
                                dotted OID; a final token when the acceptor produced one
    out: ERROR <message>        refused; the handshake is over

Exit on EOF. Nothing secret is printed: the tokens are what the wire would carry anyway.

--mech picks the acceptor credential: `ntlmssp` acquires gss-ntlmssp credentials (raw
NTLMSSP tokens only), `spnego` acquires SPNEGO credentials, `any` (the default) uses
GSS_C_NO_CREDENTIAL, which is what mod_auth_gssapi effectively does: MIT's mechglue picks
the mechanism from the token, including raw `NTLMSSP` tokens.
"""

import argparse
import base64
import sys
import urllib.parse

import gssapi
import gssapi.raw as graw

SPNEGO = '1.3.6.1.5.5.2'
NTLMSSP = '1.3.6.1.4.1.311.2.2.10'


def out(line):
    sys.stdout.write(line + '\n')
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--mech', choices=('ntlmssp', 'spnego', 'any'), default='any')
    parser.add_argument('--channel-bindings-hex', default=None,
                        help='application data of the channel bindings the acceptor enforces')
    args = parser.parse_args()

    creds = None
    if args.mech != 'any':
        oid = gssapi.OID.from_int_seq(NTLMSSP if args.mech == 'ntlmssp' else SPNEGO)
        creds = gssapi.Credentials(usage='accept', mechs=[oid])
    cb = None
    if args.channel_bindings_hex:
        cb = graw.ChannelBindings(application_data=bytes.fromhex(args.channel_bindings_hex))

    ctx = None
    out('READY')
    for raw in sys.stdin:
        line = raw.strip()
        if not line:
            continue
        if line == 'RESET':
            ctx = None
            continue
        try:
            token = base64.b64decode(line, validate=True)
        except ValueError:
            out('ERROR bad-base64')
            ctx = None
            continue
        if ctx is None:
            ctx = gssapi.SecurityContext(usage='accept', creds=creds, channel_bindings=cb)
        try:
            reply = ctx.step(token)
            # With SPNEGO, a refused AUTHENTICATE makes step() return a reject token and keep
            # the error for the next attribute access, so read `complete` inside the try.
            complete = ctx.complete
        except gssapi.exceptions.GSSError as err:
            message = err.gen_message() if hasattr(err, 'gen_message') else str(err)
            out('ERROR ' + ' | '.join(message.split('\n')))
            ctx = None
            continue
        if complete:
            name = str(ctx.initiator_name).rstrip('\x00')  # gss-ntlmssp adds a trailing NUL
            mech = ctx.mech.dotted_form if hasattr(ctx.mech, 'dotted_form') else str(ctx.mech)
            parts = ['COMPLETE', urllib.parse.quote(name, safe='\\@.-_'), mech]
            if reply:
                parts.append(base64.b64encode(reply).decode('ascii'))
            out(' '.join(parts))
            ctx = None
        else:
            out('CONTINUE ' + base64.b64encode(reply or b'').decode('ascii'))


if __name__ == '__main__':
    main()
