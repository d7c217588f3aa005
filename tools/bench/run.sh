#!/usr/bin/env bash
# The side-by-side benchmark: ChatPlatform (./run.sh) and a Socket.IO + Redis adapter peer,
# driven by one load client. See docs/benchmarks.md; `tools/bench/run.sh --help` for options.
set -euo pipefail

cd "$(dirname "$0")"
root=$(cd ../.. && pwd)

source "$root/tools/install-servers.sh"
install_servers
missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
install_debian_packages "${missing[@]}"

# The pinned packages (package-lock.json), installed again whenever the lockfile changes.
if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
  echo "==> Installing the benchmark's npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json node_modules/.installed-lock.json
fi

# Thousands of sockets, in the load client and in the gateways run.sh starts from here.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

exec node bench.mjs "$@"
