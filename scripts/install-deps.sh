#!/usr/bin/env bash
# Installs the Debian packages the lab, the browser tests, the storage tests and the
# several-instances test need. Idempotent; as non-root it prints the exact command instead.
set -euo pipefail
# python3-cryptography: the lab's Negotiate client reads the certificate's signature hash for
# RFC 5929 channel bindings (it falls back to SHA-256 without it).
# krb5-admin-server: kadmin.local, which builds the lab realm (krb5-kdc does not ship it).
# fonts-ipafont-gothic, fonts-wqy-microhei: Japanese and Chinese glyphs for the pane's
# screenshots in Chromium (Arabic is in the default DejaVu fonts).
packages=(krb5-kdc krb5-admin-server krb5-user apache2 libapache2-mod-auth-gssapi gss-ntlmssp python3-gssapi
  python3-cryptography chromium curl openssl ca-certificates postgresql haproxy systemd
  fonts-ipafont-gothic fonts-wqy-microhei)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root: sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
# Installing may start the system apache2/krb5-kdc/postgresql services; the lab uses its own
# instances on high loopback ports, so block service starts during the install.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
