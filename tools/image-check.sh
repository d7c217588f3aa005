#!/usr/bin/env bash
# Checks the services' images as built (docker compose build, or docker build -f
# services/<name>/Dockerfile), each in containers of its own, hardened as docker-compose.yml
# runs them (read-only root, a tmpfs on /tmp, no capabilities, no-new-privileges) and with no
# network but loopback, so Redis and RabbitMQ are out of reach:
#   - it runs as the image's non-root user (uid 1654, app);
#   - /healthz answers 200 and /readyz 503 (alive, not ready without its servers); the gateway's
#     /healthz answers on its server API port (8081) too;
#   - the image's own HEALTHCHECK, run by Docker (every second here), turns it healthy, and turns
#     a container unhealthy whose service answers on another port than the one it asks;
#   - SIGTERM (docker stop) ends it with exit code 0;
#   - the gateway, started with none of its Auth settings, refuses to run and names them.
#
#   tools/image-check.sh IMAGE...     e.g. chatplatform/gateway:0.1.0 (the service is the name's
#                                     last part; tools/compose-smoke.sh runs this after building)
#
# Needs a Docker engine (source tools/containers.sh; ensure_docker_engine). Prints every check
# with what it took; exits 1 on the first failure, with the container's log, and removes the
# containers it started in any case.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 IMAGE..." >&2
  exit 2
fi

ok() { printf '  ok    %s\n' "$*"; }
note() { printf '  note  %s\n' "$*"; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
clock() { printf '%s\n' "${EPOCHREALTIME/,/.}"; }
since() { awk -v a="$1" -v b="$(clock)" 'BEGIN { printf "%.1f s", b - a }'; }

containers=()
cleanup() {
  local c
  for c in "${containers[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

fail() { # message [container]
  printf '  FAIL  %s\n' "$1" >&2
  if [ -n "${2:-}" ]; then
    echo "  last lines of $2's log:" >&2
    docker logs --tail 30 "$2" 2>&1 | sed 's/^/    | /' >&2 || true
  fi
  exit 1
}

# Unreachable servers: the services start, stay alive and report themselves not ready.
unreachable=(
  -e "Redis__ConnectionString=127.0.0.1:1,connectTimeout=1000"
  -e RabbitMq__Host=127.0.0.1
  -e RabbitMq__Port=1
)
# What an operator must give the gateway (docker-compose.yml and k8s/ do).
gateway_auth=(
  -e Auth__Jwt__Secret=image-check-secret-of-at-least-32-bytes
  -e Auth__Jwt__Issuer=image-check
  -e Auth__Jwt__Audience=chatplatform
)
hardened=(--read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges:true --network none)
# The image's HEALTHCHECK command and retries, run every second from the start.
fast_health=(--health-interval 1s --health-start-period 1ms)

run() { # name, docker run arguments...
  local name=$1
  shift
  containers+=("$name")
  docker run -d --name "$name" "${hardened[@]}" "$@" >/dev/null
}

# The HTTP status of PATH on PORT, asked from inside the container (curl is in the image for its
# HEALTHCHECK); 000 when nothing answers.
status() { # container, port, path
  docker exec "$1" curl --silent --output /dev/null --max-time 2 --write-out '%{http_code}' "http://127.0.0.1:$2$3" 2>/dev/null || true
}

wait_status() { # container, port, path, expected, seconds
  local deadline=$((SECONDS + $5)) got
  while :; do
    got=$(status "$1" "$2" "$3")
    [ "$got" = "$4" ] && return 0
    if [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" != true ]; then
      fail "$1 exited (code $(docker inspect -f '{{.State.ExitCode}}' "$1")) before $3 answered $4" "$1"
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "$3 on port $2 answered ${got:-nothing} for $5 s, expected $4" "$1"
    sleep 0.2
  done
}

wait_health() { # container, healthy|unhealthy, seconds
  local deadline=$((SECONDS + $3)) got
  while :; do
    got=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$1")
    [ "$got" = "$2" ] && return 0
    [ "$got" != none ] || fail "$1 has no health check: the image lost its HEALTHCHECK" "$1"
    [ "$SECONDS" -lt "$deadline" ] || fail "$1 was still $got after $3 s, expected $2" "$1"
    sleep 0.2
  done
}

check_image() { # image
  local image=$1 service name start took code user healthcheck extra=()
  service=${image%%:*}
  service=${service##*/}
  name="chatplatform-imagecheck-$service-$$"
  [ "$service" = gateway ] && extra=("${gateway_auth[@]}")
  say "Image $image"
  docker image inspect "$image" >/dev/null 2>&1 || fail "$image is not in the engine; build it first (docker compose build)"
  healthcheck=$(docker image inspect -f '{{json .Config.Healthcheck.Test}}' "$image")

  if [ "$service" = gateway ]; then
    start=$(clock)
    local output
    if output=$(timeout 120 docker run --rm "${hardened[@]}" "$image" 2>&1); then
      fail "$image started and exited 0 without its Auth settings; it must refuse to run unconfigured"
    else
      code=$?
    fi
    [ "$code" = 1 ] || [ "$code" = 124 ] || fail "$image refused to start without its Auth settings, but with exit code $code instead of 1"
    [ "$code" != 124 ] || fail "$image was still running 120 s after starting without its Auth settings; it must refuse to run unconfigured"
    if ! grep -q 'Auth:' <<<"$output"; then
      printf '%s\n' "$output" | tail -n 10 | sed 's/^/    | /' >&2
      fail "$image refused to start without its Auth settings (exit $code), but its error does not name them"
    fi
    ok "refuses to start without its Auth settings (exit $code, $(since "$start")): $(grep -m 1 '^Invalid settings' <<<"$output" | cut -c1-120)"
  fi

  start=$(clock)
  run "$name" "${fast_health[@]}" "${unreachable[@]}" "${extra[@]}" "$image"
  # A second container whose service listens on 9090 while the HEALTHCHECK asks the image's port.
  run "$name-elsewhere" "${fast_health[@]}" "${unreachable[@]}" "${extra[@]}" -e ASPNETCORE_URLS=http://+:9090 "$image"

  wait_status "$name" 8080 /healthz 200 120
  ok "/healthz answers 200 ($(since "$start") after docker run, read-only root, no capabilities, no network)"
  if [ "$service" = gateway ]; then
    code=$(status "$name" 8081 /healthz)
    [ "$code" = 200 ] || fail "/healthz on the API port 8081 answered $code, expected 200 (ASPNETCORE_HTTP_PORTS: $(docker exec "$name" printenv ASPNETCORE_HTTP_PORTS))" "$name"
    ok "/healthz answers 200 on the API port 8081 too (ASPNETCORE_HTTP_PORTS=$(docker exec "$name" printenv ASPNETCORE_HTTP_PORTS))"
  fi
  user=$(docker exec "$name" sh -c 'echo "$(id -u) $(id -un)"' || true)
  [ "$user" = "1654 app" ] || fail "runs as '$user', expected the image's non-root user 1654 (app)" "$name"
  ok "runs as uid 1654 (app)"
  code=$(status "$name" 8080 /readyz)
  [ "$code" = 503 ] || fail "/readyz answered $code with Redis and RabbitMQ unreachable, expected 503" "$name"
  ok "/readyz answers 503 while Redis and RabbitMQ are unreachable"
  wait_health "$name" healthy 60
  ok "healthy by its own HEALTHCHECK $healthcheck ($(since "$start") after docker run)"

  wait_status "$name-elsewhere" 9090 /healthz 200 120
  wait_health "$name-elsewhere" unhealthy 60
  ok "unhealthy by the same HEALTHCHECK when the service answers on 9090 instead ($(since "$start") after docker run)"

  start=$(clock)
  timeout 60 docker stop -t 30 "$name" >/dev/null || fail "docker stop $name did not return" "$name"
  took=$(since "$start")
  code=$(docker inspect -f '{{.State.ExitCode}}' "$name")
  [ "$code" = 0 ] || fail "exited with $code after SIGTERM (docker stop), expected 0" "$name"
  ok "SIGTERM (docker stop) ends it with exit code 0 in $took"
  docker rm -f "$name" "$name-elsewhere" >/dev/null 2>&1 || true
}

for image in "$@"; do
  check_image "$image"
done
