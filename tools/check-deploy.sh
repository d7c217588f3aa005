#!/usr/bin/env bash
# Checks the deployment files, and fails on any problem:
#   1. the checker's self-test: every rule, broken on purpose, is caught;
#   2. the Dockerfiles, docker-compose.yml and every manifest under k8s/ (schemas, unknown
#      fields, kustomization file lists, probes, resources, non-root, pinned images);
#   3. `docker-compose config -q` on docker-compose.yml, with and without its profile;
#   4. `nginx -t` on the front proxy's configuration (deploy/nginx/default.conf);
#   5. `kubectl kustomize` on every folder under k8s/, when kubectl is installed;
#   6. the compose test: the images built from the Dockerfiles and checked alone, and the stack
#      run and driven through its proxy (tools/compose-smoke.sh; a Docker engine, started if
#      none answers).
# Steps 1 to 5 need neither an engine nor a cluster. Called by test.sh. Alone:
# tools/check-deploy.sh [static|compose|all] (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
what=${1:-all}
case "$what" in static | compose | all) ;; *) echo "usage: $0 [static|compose|all]" >&2; exit 2 ;; esac

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

source "$root/tools/install-servers.sh"
install_deploy_tools

started=$SECONDS
say "Deployment checks: installing the checker (npm ci)"
(cd tools/deploy-check && npm ci --no-audit --no-fund --loglevel=error)

# An nginx binary for `nginx -t`: the system's, or the one in Debian's package, unpacked into
# the scratch folder without installing it (installing would start a server on port 80).
nginx_binary() {
  if command -v nginx >/dev/null; then
    command -v nginx
    return
  fi
  (
    cd "$scratch"
    apt-get download nginx >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get download nginx >/dev/null 2>&1; }
    dpkg -x nginx_*.deb nginx-root
  ) >&2
  echo "$scratch/nginx-root/usr/sbin/nginx"
}

check_nginx() {
  local nginx prefix="$scratch/nginx"
  nginx=$(nginx_binary)
  if [ ! -x "$nginx" ]; then
    echo "  FAIL  no nginx to check deploy/nginx/default.conf with (apt-get download nginx failed)" >&2
    return 1
  fi
  mkdir -p "$prefix/logs"
  # The image includes conf.d/*.conf in its http block; this wraps the file the same way.
  cat >"$prefix/nginx.conf" <<EOF
error_log stderr;
pid $prefix/nginx.pid;
events {}
http {
  access_log off;
  client_body_temp_path $prefix/body;
  proxy_temp_path $prefix/proxy;
  fastcgi_temp_path $prefix/fastcgi;
  uwsgi_temp_path $prefix/uwsgi;
  scgi_temp_path $prefix/scgi;
  include $root/deploy/nginx/default.conf;
}
EOF
  "$nginx" -t -q -p "$prefix" -c "$prefix/nginx.conf"
  echo "  ok    deploy/nginx/default.conf passes nginx -t ($("$nginx" -v 2>&1 | sed 's/.*: //'))"
}

if [ "$what" != compose ]; then
  say "Deployment checks: self-test of the checker (each rule broken on purpose must fail)"
  (cd tools/deploy-check && node --test --test-reporter=spec)

  say "Deployment checks: Dockerfiles, docker-compose.yml, k8s/"
  node tools/deploy-check/check.mjs "$root"

  say "Deployment checks: docker-compose config, nginx -t, kubectl kustomize"
  docker-compose -f docker-compose.yml config -q
  docker-compose -f docker-compose.yml --profile observability config -q
  echo "  ok    docker-compose.yml passes docker-compose config ($(docker-compose version --short)), with and without the observability profile"
  check_nginx
  if command -v kubectl >/dev/null; then
    for dir in k8s/*/; do
      count=$(kubectl kustomize "$dir" | grep -c '^kind:')
      echo "  ok    kubectl kustomize ${dir%/} builds $count objects"
    done
  else
    echo "  note  kubectl is not installed: kustomize builds skipped (the checker covers the file lists)"
  fi
fi

if [ "$what" != static ]; then
  say "Deployment checks: the compose test (tools/compose-smoke.sh)"
  tools/compose-smoke.sh
fi

say "Deployment checks passed ($((SECONDS - started)) s)"
