#!/usr/bin/env bash
# The compose test: docker-compose.yml built and run as a user would, and driven from outside
# through its front proxy on 127.0.0.1:8080 with the `chat` command (tools/chat-cli):
#
#    1. the images, built by `docker compose build` from the repository's Dockerfiles (on their
#       base images; tools/containers.sh makes local stand-ins where none can be pulled);
#    2. each service image alone (tools/image-check.sh): non-root, /healthz and /readyz, its
#       HEALTHCHECK turning healthy and unhealthy, exit 0 on SIGTERM, the gateway refusing to
#       start unconfigured;
#    3. `docker compose up`, until every service is healthy; the proxy published on 127.0.0.1
#       only, and the Redis password on no command line;
#    4. k8s/dev's images, pull policies, declared ports, probes and preStop hooks, tried in the
#       compose containers of the same images (tools/deploy-check/k8s-probes.mjs);
#    5. the chat page, its assets and /auth-mode through the proxy;
#    6. connections refused: no token, a development user, a token signed with another key, a
#       page from another origin;
#    7. the server API (docs/api.md): gateway-1's API port published on 127.0.0.1:8081 only, the
#       proxy answering 404 for it, 401 without the key, and a presence answer with it;
#    8. two users on different gateways: a direct message and a room message;
#    9. a gateway crash (its process killed from outside): the room members see its user leave
#       within the documented 11 s while the others keep chatting, and Docker restarts it;
#   10. a rolling restart (`docker compose restart` of a gateway): its clients are closed with
#       1001, reconnect and rejoin their rooms;
#   11. `docker compose down -v`: every client is closed with 1001, and nothing of the project is
#       left (containers, networks, volumes).
#
# Every step prints what it checked and what it took, and a summary of the timings ends the run.
# On failure: the step, the relevant containers' last log lines and the chat sessions' last
# lines; the stack is taken down in any case.
#
#   tools/compose-smoke.sh [--no-cache]      --no-cache: build the images cold
#
# Settings (environment): COMPOSE_SMOKE_PROJECT (the compose project name, default
# chatplatform-smoke: only that project's containers, networks and volumes are touched),
# COMPOSE_SMOKE_BUILD_TIMEOUT (seconds, default 2400). It uses `docker compose` when the plugin is
# installed, else docker-compose 1.29 (installed from Debian's packages when neither is there).
# The proxy's port 8080 and gateway-1's API port 8081 on 127.0.0.1 must be free. Called by tools/check-deploy.sh, so by
# ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

no_cache=()
for arg in "$@"; do
  case "$arg" in
    --no-cache) no_cache=(--no-cache) ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "usage: $0 [--no-cache]" >&2
      exit 2
      ;;
  esac
done

project=${COMPOSE_SMOKE_PROJECT:-chatplatform-smoke}
build_timeout=${COMPOSE_SMOKE_BUILD_TIMEOUT:-2400}
http_url=http://127.0.0.1:8080
api_url=http://127.0.0.1:8081
ws_url=ws://127.0.0.1:8080/ws
chat_dll=$root/tools/chat-cli/bin/Release/net10.0/chat.dll
# docs/architecture.md, "Bounds on registry entries": a killed gateway's connections leave the
# registry and their rooms within 11 s. The check allows 1 s more for the `left` event to reach
# the other members and for this script to see it.
left_bound=11
left_slack=1

# --- output, timing ------------------------------------------------------------------------------
clock() { printf '%s\n' "${EPOCHREALTIME/,/.}"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; } # from, to
since() { secs "$1" "$(clock)"; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
ok() { printf '  ok    %s\n' "$*"; }
note() { printf '  note  %s\n' "$*"; }

run_start=$(clock)
step_number=0
step_name=""
step_start=""
step_services=() # the services whose logs a failure in this step shows
timings=()       # "seconds|what"
measures=()      # "value|what"

step() { # name [services whose logs matter...]
  step_end
  step_number=$((step_number + 1))
  step_name=$1
  shift
  step_services=("$@")
  step_start=$(clock)
  say "[$step_number] $step_name"
}

step_end() {
  if [ -n "$step_name" ]; then
    timings+=("$(since "$step_start")|[$step_number] $step_name")
    step_name=""
  fi
}

measure() { measures+=("$1|$2"); } # value, what

# --- the engine, compose, the chat command ------------------------------------------------------
# shellcheck source=tools/containers.sh
source "$root/tools/containers.sh"
# shellcheck source=tools/install-servers.sh
source "$root/tools/install-servers.sh"

compose_cmd=()
compose_args=(-p "$project" -f "$root/docker-compose.yml" --project-directory "$root")
compose() { "${compose_cmd[@]}" "${compose_args[@]}" "$@"; }
project_filter=(--filter "label=com.docker.compose.project=$project")

# The container of a compose service (the first, if scaled).
container_of() { docker ps -aq "${project_filter[@]}" --filter "label=com.docker.compose.service=$1" | head -n 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- chat sessions: `chat script` with its input on a pipe and its output lines timestamped ------
work=$(mktemp -d "${TMPDIR:-/tmp}/chatplatform-smoke.XXXXXX")
declare -A session_pid=() session_fd=() session_dir=() session_mark=() session_gateway=() tokens=()
event=""    # the last event session_wait found (compact JSON)
event_ts="" # when its line was read, in seconds since the epoch

stamp() {
  local line
  while IFS= read -r line; do printf '%s %s\n' "${EPOCHREALTIME/,/.}" "$line"; done
}

# `chat token` for USER, signed with SECRET (default: the stack's CHAT_JWT_SECRET).
mint() { # user [secret]
  dotnet "$chat_dll" token --user "$1" --secret "${2:-$CHAT_JWT_SECRET}" \
    --issuer "$CHAT_JWT_ISSUER" --audience "$CHAT_JWT_AUDIENCE" --lifetime 1h ||
    fail "chat token --user $1 failed"
}

session_start() { # name, token
  local name=$1 token=$2 dir fd
  dir="$work/sessions/$name.$(date +%s%N)"
  mkdir -p "$dir"
  mkfifo "$dir/in"
  : >"$dir/out"
  (
    # Not the other sessions' input pipes: each session ends when its own input closes.
    for fd in "${session_fd[@]}"; do eval "exec $fd>&-"; done
    exec dotnet "$chat_dll" script --url "$ws_url" --token "$token" <"$dir/in" > >(stamp >>"$dir/out") 2>>"$dir/err"
  ) &
  session_pid[$name]=$!
  exec {fd}>"$dir/in"
  session_fd[$name]=$fd
  session_dir[$name]=$dir
  session_mark[$name]=0
}

session_send() { # name, command line
  kill -0 "${session_pid[$1]}" 2>/dev/null || fail "$1: its chat process has exited"
  printf '%s\n' "$2" >&"${session_fd[$1]}"
}

# Later waits of this session look only at the lines from now on.
session_mark() { session_mark[$1]=$(wc -l <"${session_dir[$1]}/out"); }

# Waits for the first line after the session's mark whose event matches the jq FILTER; sets
# event and event_ts. Fails after SECONDS, naming WHAT.
session_wait() { # name, filter, seconds, what
  local name=$1 filter=$2 deadline found
  deadline=$(awk -v now="$(clock)" -v s="$3" 'BEGIN { printf "%.3f", now + s }')
  while :; do
    found=$(tail -n +"$((session_mark[$name] + 1))" "${session_dir[$name]}/out" |
      jq -R -c "(index(\" \")) as \$i | (.[\$i + 1:] | fromjson) as \$e | select(\$e | $filter) | [.[:\$i], \$e]" 2>/dev/null | head -n 1) || true
    if [ -n "$found" ]; then
      event_ts=$(jq -r '.[0]' <<<"$found")
      event=$(jq -c '.[1]' <<<"$found")
      return 0
    fi
    if awk -v now="$(clock)" -v d="$deadline" 'BEGIN { exit !(now > d) }'; then
      fail "$name: no $4 within $3 s"
    fi
    sleep 0.1
  done
}

# Ends a session: its input closes, and the chat command exits once its answers are in (after
# 5 s it is terminated, after 10 s killed). With --kill, it is killed at once.
session_stop() { # name [--kill]
  local name=$1 pid=${session_pid[$1]:-} fd=${session_fd[$1]:-} waited=0
  [ -n "$pid" ] || return 0
  if [ "${2:-}" = --kill ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  if [ -n "$fd" ]; then
    exec {fd}>&- 2>/dev/null || true
    unset "session_fd[$name]"
  fi
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
    [ "$waited" != 50 ] || kill -TERM "$pid" 2>/dev/null || true
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "session_pid[$name]"
}

# Connects USER as session NAME until the proxy hands it to a gateway that matches WHERE: any,
# on:GATEWAY or off:GATEWAY (the proxy spreads connections; each try is a new connection).
connect() { # name, user, where
  local name=$1 user=$2 where=$3 gateway
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
    session_start "$name" "${tokens[$user]}"
    session_wait "$name" '.event == "connected" or .event == "fatal"' 30 "welcome from a gateway"
    [ "$(jq -r .event <<<"$event")" = connected ] || fail "$name: refused: $event"
    gateway=$(jq -r .gateway <<<"$event")
    case "$where" in
      any | "on:$gateway") ;;
      off:*) [ "$where" != "off:$gateway" ] || gateway="" ;;
      *) gateway="" ;;
    esac
    if [ -n "$gateway" ]; then
      session_gateway[$name]=$gateway
      return 0
    fi
    session_stop "$name"
  done
  fail "$name: the proxy did not hand $user to a gateway ${where/:/ } in 12 connections"
}

# --- failure and cleanup --------------------------------------------------------------------------
failed=0
fail() { # message
  local name dir service services=()
  failed=1
  printf '  FAIL  [%s] %s\n' "${step_name:-setup}" "$1" >&2
  if [ ${#compose_cmd[@]} -gt 0 ] && [ -n "$(docker ps -aq "${project_filter[@]}" 2>/dev/null)" ]; then
    echo "  containers:" >&2
    docker ps -a "${project_filter[@]}" --format '    {{.Label "com.docker.compose.service"}}: {{.Status}}' >&2 || true
    if [ ${#step_services[@]} -gt 0 ]; then
      services=("${step_services[@]}")
    else
      mapfile -t services < <(docker ps -a "${project_filter[@]}" --format '{{.Label "com.docker.compose.service"}}' | sort)
    fi
    for service in "${services[@]}"; do
      local id
      id=$(container_of "$service")
      [ -n "$id" ] || continue
      echo "  last log lines of $service:" >&2
      docker logs --tail 25 "$id" 2>&1 | cut -c1-300 | sed 's/^/    | /' >&2 || true
    done
  fi
  for name in "${!session_dir[@]}"; do
    dir=${session_dir[$name]}
    echo "  chat session $name (${session_gateway[$name]:-?}), last lines:" >&2
    tail -n 8 "$dir/out" | cut -c1-300 | sed 's/^/    | /' >&2
    if [ -s "$dir/err" ]; then tail -n 5 "$dir/err" | sed 's/^/    ! /' >&2; fi
  done
  exit 1
}

events_pid=""
cleanup() {
  local rc=$? name
  trap - EXIT
  [ -z "$events_pid" ] || kill "$events_pid" 2>/dev/null || true
  for name in "${!session_pid[@]}"; do session_stop "$name" --kill; done
  if [ ${#compose_cmd[@]} -gt 0 ] && { [ -n "$(docker ps -aq "${project_filter[@]}" 2>/dev/null)" ] ||
    [ -n "$(docker network ls -q "${project_filter[@]}" 2>/dev/null)" ]; }; then
    echo "Taking the $project stack down"
    compose down -v --remove-orphans -t 5 >"$work/cleanup-down.log" 2>&1 || tail -n 20 "$work/cleanup-down.log" >&2
  fi
  if [ "$rc" -ne 0 ] || [ "$failed" = 1 ]; then
    echo "The compose test FAILED. Its files (build log, chat sessions, events): $work" >&2
  else
    rm -rf "$work"
  fi
  stop_docker_engine_if_started
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# The secrets of this run: not the development defaults, and a Redis password with characters
# Redis configuration quotes (", \, ').
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
# shellcheck disable=SC2089 # the quotes and the backslash are the point
REDIS_PASSWORD="smoke-$(hex 8)-\"q\\b'"
RABBITMQ_PASSWORD="smoke-$(hex 12)"
CHAT_JWT_SECRET="smoke-$(hex 24)"
CHAT_API_KEY="smoke-$(hex 24)"
# shellcheck disable=SC2090
export REDIS_PASSWORD RABBITMQ_PASSWORD CHAT_JWT_SECRET CHAT_API_KEY RABBITMQ_USER=chat
export CHAT_JWT_ISSUER=chatplatform-compose CHAT_JWT_AUDIENCE=chatplatform
export CHAT_ALLOW_DEVELOPMENT_USERS=false
unset CHAT_PUBLISH_ADDRESS OTEL_EXPORTER_OTLP_ENDPOINT COMPOSE_PROFILES COMPOSE_FILE COMPOSE_PROJECT_NAME

# --- 0. what the run needs ------------------------------------------------------------------------
step "Preparation: engine, compose, base images, the chat command"
ensure_docker_engine
install_deploy_tools
if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
else
  compose_cmd=(docker-compose)
fi
ok "compose: ${compose_cmd[*]} $("${compose_cmd[@]}" version --short 2>/dev/null || true)"

# The services compose builds, and the images it pulls (profiles left out).
service_table=$(compose config | awk '
  /^services:/ { s = 1; next }
  s && /^[^ ]/ { s = 0 }
  s && /^  [^ ]/ { name = $1; sub(":", "", name); names[name] = 1 }
  s && /^    build:/ { build[name] = 1 }
  s && /^    profiles:/ { profiled[name] = 1 }
  s && /^    image:/ { image[name] = $2 }
  END { for (n in names) if (!profiled[n]) print n, image[n], (build[n] ? "build" : "pull") }' | sort)
mapfile -t services < <(awk '{ print $1 }' <<<"$service_table")
mapfile -t built_images < <(awk '$3 == "build" { print $2 }' <<<"$service_table" | sort -u)
mapfile -t pulled_images < <(awk '$3 == "pull" { print $2 }' <<<"$service_table" | sort -u)
mapfile -t base_images < <(awk 'toupper($1) == "FROM" && $2 ~ /[:\/]/ { print $2 }' services/*/Dockerfile | sort -u)
ok "${#services[@]} services: ${services[*]}"
ensure_images "${base_images[@]}" "${pulled_images[@]}"

if [ -n "$(docker ps -aq "${project_filter[@]}")" ] || [ -n "$(docker network ls -q "${project_filter[@]}")" ]; then
  note "an earlier run of project $project is still there: taking it down first"
  compose down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
fi
for port in 8080 8081; do
  if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
    fail "port $port is in use on this machine ($(ss -Hltnp "sport = :$port" | awk '{ print $4, $6 }' | head -n 1)); the stack publishes 127.0.0.1:$port"
  fi
done

start=$(clock)
dotnet build "$root/tools/chat-cli/ChatPlatform.Cli.csproj" -c Release -nologo -v quiet >"$work/chat-build.log" 2>&1 ||
  { tail -n 20 "$work/chat-build.log" >&2; fail "building the chat command failed"; }
ok "the chat command built ($(since "$start") s)"
if [ ! -d "$root/tools/deploy-check/node_modules" ]; then
  (cd "$root/tools/deploy-check" && npm ci --no-audit --no-fund --loglevel=error) >"$work/npm.log" 2>&1 ||
    { tail -n 20 "$work/npm.log" >&2; fail "npm ci in tools/deploy-check failed"; }
fi

# Every container event of the project from now on, with its time: signals, deaths, restarts.
docker events "${project_filter[@]}" --filter type=container \
  --format '{{.TimeNano}} {{.Action}} {{index .Actor.Attributes "com.docker.compose.service"}} {{index .Actor.Attributes "signal"}}' \
  >"$work/events" 2>&1 &
events_pid=$!

# The time of the first event ACTION (e.g. "kill" with signal 15) of SERVICE since FROM.
event_time() { # service, action, signal or "", from
  awk -v s="$1" -v a="$2" -v g="$3" -v f="$4" '
    $3 == s && $2 == a && (g == "" || $4 == g) { t = $1 / 1e9; if (t >= f) { printf "%.3f\n", t; exit } }' "$work/events"
}

# --- 1. build -------------------------------------------------------------------------------------
step "Build: ${compose_cmd[*]} build ${no_cache[*]}"
start=$(clock)
if ! timeout "$build_timeout" "${compose_cmd[@]}" "${compose_args[@]}" build "${no_cache[@]}" >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log" | sed 's/^/    | /' >&2
  fail "the build failed or took over $build_timeout s (log: $work/build.log)"
fi
took=$(since "$start")
for image in "${built_images[@]}"; do
  ok "$image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%d MB", $1 / 1e6 }'))"
done
ok "built in $took s${no_cache:+ (cold: --no-cache)}"
measure "$took s" "docker compose build${no_cache:+ --no-cache (cold)}"

# --- 2. the images alone --------------------------------------------------------------------------
step "Images alone: tools/image-check.sh"
"$root/tools/image-check.sh" "${built_images[@]}" || fail "tools/image-check.sh failed (above)"

# --- 3. up ----------------------------------------------------------------------------------------
step "Up: ${compose_cmd[*]} up -d, until every service is healthy"
start=$(clock)
compose up -d >"$work/up.log" 2>&1 &
up_pid=$!
up_status=""
declare -A healthy_at=()
while :; do
  while read -r service status; do
    if [ -n "$service" ] && [ -z "${healthy_at[$service]:-}" ] && [[ "$status" == *"(healthy)"* ]]; then
      healthy_at[$service]=$(since "$start")
      ok "$service healthy after ${healthy_at[$service]} s"
    fi
  done < <(docker ps -a "${project_filter[@]}" --format '{{.Label "com.docker.compose.service"}} {{.Status}}')
  if [ -z "$up_status" ] && ! kill -0 "$up_pid" 2>/dev/null; then
    if wait "$up_pid"; then up_status=0; else up_status=$?; fi
    if [ "$up_status" -ne 0 ]; then
      tail -n 20 "$work/up.log" | sed 's/^/    | /' >&2
      fail "compose up failed (exit $up_status)"
    fi
  fi
  [ -n "$up_status" ] && [ ${#healthy_at[@]} -ge ${#services[@]} ] && break
  if [ "$(since "$start" | cut -d. -f1)" -ge 300 ]; then
    fail "not every service was healthy within 300 s"
  fi
  sleep 0.5
done
took=$(since "$start")
ok "all ${#services[@]} services healthy $took s after up"
measure "$took s" "docker compose up -d until every service is healthy"

binding=$(docker port "$(container_of proxy)" 8080/tcp | sort -u | paste -sd' ' -)
[ "$binding" = 127.0.0.1:8080 ] || fail "the proxy is published on '$binding', expected 127.0.0.1:8080 only (CHAT_PUBLISH_ADDRESS unset)"
ok "the proxy is published on 127.0.0.1:8080 only"
binding=$(docker port "$(container_of gateway-1)" 8081/tcp | sort -u | paste -sd' ' -)
[ "$binding" = 127.0.0.1:8081 ] || fail "gateway-1's API port is published on '$binding', expected 127.0.0.1:8081 only"
for service in "${services[@]}"; do
  [ "$service" != gateway-1 ] || continue
  binding=$(docker port "$(container_of "$service")" | grep -E '^8081/|:8081$' || true)
  [ -z "$binding" ] || fail "$service publishes port 8081 ($binding); only gateway-1 publishes the API port, on 127.0.0.1"
done
ok "gateway-1's API port is published on 127.0.0.1:8081 only, and no other service publishes 8081"
redis=$(container_of redis)
if docker ps --no-trunc "${project_filter[@]}" --format '{{.Command}}' | grep -qF -- "$REDIS_PASSWORD" ||
  docker inspect -f '{{json .Config.Entrypoint}}{{json .Config.Cmd}}{{json .Args}}' "$redis" | grep -qF -- "${REDIS_PASSWORD%%\"*}" ||
  docker top "$redis" -o pid,args | grep -qF -- "${REDIS_PASSWORD%%\"*}"; then
  fail "the Redis password is on a command line (docker ps, docker inspect or the container's processes)"
fi
[ "$(docker exec "$redis" redis-cli ping 2>&1)" = PONG ] || fail "redis-cli with the password gets no PONG"
docker exec "$redis" env -u REDISCLI_AUTH redis-cli ping 2>&1 | grep -q NOAUTH || fail "Redis answers without the password"
ok "the Redis password (with \", \\ and ') is on no command line, and Redis asks for it"

# --- 4. Kubernetes ----------------------------------------------------------------------------------
step "k8s/dev: images, pull policies, ports, probes and preStop hooks, tried in the compose containers"
declare -A container_for_image=()
while read -r id image; do
  [ -n "${container_for_image[$image]:-}" ] || container_for_image[$image]=$id
done < <(docker ps "${project_filter[@]}" --format '{{.ID}} {{.Image}}')
node "$root/tools/deploy-check/k8s-probes.mjs" k8s/dev >"$work/k8s-probes.jsonl" || fail "k8s-probes.mjs could not read k8s/dev"
while IFS= read -r line; do
  workload=$(jq -r '"\(.workload) \(.container)"' <<<"$line")
  image=$(jq -r .image <<<"$line")
  policy=$(jq -r .pullPolicy <<<"$line")
  id=${container_for_image[$image]:-}
  [ -n "$id" ] || fail "$workload runs $image, which no compose service runs: the tags differ (compose runs: ${!container_for_image[*]})"
  service=$(docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}}' "$id")
  if [[ " ${built_images[*]} " == *" $image "* ]] && [ "$policy" != IfNotPresent ] && [ "$policy" != Never ]; then
    fail "$workload: imagePullPolicy $policy for $image, which is built here, not pulled; use IfNotPresent"
  fi
  ok "$workload: $image ($policy) is what compose's $service runs"
  # Every declared containerPort is one the service listens on (a Service or a NetworkPolicy
  # naming it would otherwise reach nothing).
  while IFS=' ' read -r port_name port; do
    [ -n "$port" ] || continue
    docker exec "$id" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null || fail "$workload: containerPort $port ($port_name): nothing listens on it in $service"
    ok "  containerPort $port ($port_name) accepts connections"
  done < <(jq -r '.ports[] | "\(.name // "-") \(.port)"' <<<"$line")
  while IFS= read -r check; do
    what=$(jq -r .what <<<"$check")
    case "$(jq -r .type <<<"$check")" in
      http)
        port=$(jq -r .port <<<"$check")
        path=$(jq -r .path <<<"$check")
        code=$(docker exec "$id" curl --silent --output /dev/null --max-time 3 --write-out '%{http_code}' "http://127.0.0.1:$port$path" || true)
        [[ "$code" =~ ^[23][0-9][0-9]$ ]] || fail "$workload $what: GET :$port$path answered ${code:-nothing} in $service"
        ok "  $what GET :$port$path answers $code"
        ;;
      tcp)
        port=$(jq -r .port <<<"$check")
        docker exec "$id" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null || fail "$workload $what: nothing listens on port $port in $service"
        ok "  $what: port $port accepts connections"
        ;;
      exec)
        mapfile -t command < <(jq -r '.command[]' <<<"$check")
        start=$(clock)
        timeout 30 docker exec "$id" "${command[@]}" >/dev/null 2>&1 || fail "$workload $what: ${command[*]} failed in $service"
        ok "  $what: ${command[*]} succeeds ($(since "$start") s)"
        ;;
      *) fail "$workload $what: a $(jq -r .type <<<"$check") handler, which this test cannot try" ;;
    esac
  done < <(jq -c '.checks[]' <<<"$line")
done <"$work/k8s-probes.jsonl"

# --- 5. the chat page -------------------------------------------------------------------------------
step "The chat page through the proxy" proxy gateway-1 gateway-2
start=$(clock)
page=$(curl --silent --show-error --fail --max-time 10 "$http_url/") || fail "GET / failed"
grep -q '<title>ChatPlatform</title>' <<<"$page" || fail "GET / is not the chat page"
ok "GET / is the chat page ($(wc -c <<<"$page") bytes, $(since "$start") s)"
mapfile -t assets < <(grep -o '\(href\|src\)="assets/[^"]*"' <<<"$page" | sed 's/.*="\(.*\)"/\1/' | sort -u)
[ ${#assets[@]} -gt 0 ] || fail "the chat page names no assets"
for asset in "${assets[@]}"; do
  code=$(curl --silent --output /dev/null --max-time 10 --write-out '%{http_code}' "$http_url/$asset")
  [ "$code" = 200 ] || fail "GET /$asset answered $code"
done
ok "its ${#assets[@]} assets answer 200: ${assets[*]}"
mode=$(curl --silent --fail --max-time 10 "$http_url/auth-mode") || fail "GET /auth-mode failed"
[ "$(jq -c . <<<"$mode")" = '{"developmentUsers":false,"tokens":true}' ] || fail "/auth-mode says $mode, expected tokens only"
ok "/auth-mode: tokens, no development users"
code=$(curl --silent --output /dev/null --max-time 10 --write-out '%{http_code}' "$http_url/readyz")
[ "$code" = 404 ] || fail "the gateways' /readyz is reachable through the proxy ($code)"
ok "the gateways' health endpoints are not proxied (/readyz: 404)"

# --- 6. refused connections ---------------------------------------------------------------------------
step "Refused connections" proxy gateway-1 gateway-2
start=$(clock)
for user in alice bob carol dave erin mallory; do tokens[$user]=$(mint "$user"); done
ok "tokens for alice, bob, carol, dave, erin and mallory from chat token ($(since "$start") s)"
upgrade() { # extra curl arguments...; prints the HTTP status of a WebSocket upgrade of /ws
  curl --silent --http1.1 --output /dev/null --max-time 3 --write-out '%{http_code}' \
    -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: c21va2UtdGVzdC1rZXktMQ==' "$@" "$http_url/ws" || true
}
code=$(upgrade)
[ "$code" = 401 ] || fail "an upgrade without a token answered $code, expected 401"
ok "an upgrade without a token: HTTP 401"
refused() { # description, chat arguments...
  local description=$1 output status=0
  shift
  output=$(timeout 60 dotnet "$chat_dll" script --url "$ws_url" "$@" </dev/null 2>&1) || status=$?
  if [ "$status" != 2 ] || ! grep -q '"code":"unauthorized"' <<<"$output"; then
    fail "chat script $description: exit $status, expected 2 (unauthorized): $output"
  fi
  ok "chat script $description: refused (exit 2, unauthorized)"
}
refused "as a development user (--user mallory)" --user mallory
refused "with a token signed with another key" --token "$(mint mallory "another-key-$(hex 16)")"
code=$(upgrade -H "Authorization: Bearer ${tokens[mallory]}" -H 'Origin: http://evil.example')
[ "$code" = 403 ] || fail "an upgrade with a token from a page of http://evil.example answered $code, expected 403"
code=$(upgrade -H "Authorization: Bearer ${tokens[mallory]}" -H "Origin: $http_url")
[ "$code" = 101 ] || fail "an upgrade with a token from the proxy's own page answered $code, expected 101"
ok "a page from another origin: HTTP 403 (its own origin: 101)"

# --- 7. the server API -----------------------------------------------------------------------------
# Backends call it on a gateway's own API port (docs/api.md), which compose publishes for
# gateway-1 on 127.0.0.1:8081; the proxy, the public entry, has no route to it. alice has not
# connected yet.
step "Server API: gateway-1's port 8081, not through the proxy" proxy gateway-1
presence_path=/api/v1/users/alice/presence
code=$(curl --silent --output /dev/null --max-time 10 --write-out '%{http_code}' "$http_url$presence_path")
[ "$code" = 404 ] || fail "GET $presence_path through the proxy answered $code, expected 404: the API must not be reachable through it"
ok "through the proxy: GET $presence_path answers 404"
code=$(curl --silent --output /dev/null --max-time 10 --write-out '%{http_code}' "$api_url$presence_path")
[ "$code" = 401 ] || fail "GET $api_url$presence_path without a key answered $code, expected 401"
ok "GET $api_url$presence_path without a key: 401"
start=$(clock)
answer=$(curl --silent --max-time 10 --write-out '\n%{http_code}' -H "Authorization: Bearer $CHAT_API_KEY" "$api_url$presence_path") || true
code=${answer##*$'\n'}
body=${answer%$'\n'*}
[ "$code" = 200 ] || fail "GET $api_url$presence_path with the key answered ${code:-nothing}, expected 200: $body"
expected='{"user":"alice","online":false,"connections":0}'
[ "$(jq -cS . <<<"$body" 2>/dev/null)" = "$(jq -cS . <<<"$expected")" ] || fail "GET $api_url$presence_path with the key answered $body, expected $expected"
ok "with the key (CHAT_API_KEY): 200 $body ($(since "$start") s)"

# --- 8. chat across gateways ------------------------------------------------------------------------
step "Chat: two users on different gateways" proxy gateway-1 gateway-2 router-1 router-2 presence
start=$(clock)
connect alice alice any
connect bob bob "off:${session_gateway[alice]}"
ok "alice on ${session_gateway[alice]}, bob on ${session_gateway[bob]} ($(since "$start") s)"
session_send bob "/join lobby"
session_wait bob '.event == "ack" and .room == "lobby"' 15 "ack of /join lobby"
session_send alice "/join lobby"
session_wait alice '.event == "ack" and .room == "lobby"' 15 "ack of /join lobby"
session_wait bob '.event == "joined" and .user == "alice" and .room == "lobby"' 15 "joined event for alice"
ok "both joined lobby; bob saw alice join"
sent=$(clock)
session_send alice "/msg bob direct-$sent"
session_wait alice '.event == "ack" and .recipients == 1' 15 "ack of the direct message"
acked=$event_ts
session_wait bob ".event == \"message\" and .from.user == \"alice\" and .body == \"direct-$sent\"" 15 "direct message from alice"
ok "alice -> bob direct: acked in $(secs "$sent" "$acked") s, delivered in $(secs "$sent" "$event_ts") s"
measure "$(secs "$sent" "$event_ts") s" "direct message across gateways, delivered"
sent=$(clock)
session_send bob "/room lobby room-$sent"
session_wait alice ".event == \"message\" and .from.user == \"bob\" and .to.room == \"lobby\" and .body == \"room-$sent\"" 15 "room message from bob"
ok "bob -> lobby: alice got it in $(secs "$sent" "$event_ts") s"
measure "$(secs "$sent" "$event_ts") s" "room message across gateways, delivered"

# --- 9. a gateway crash -----------------------------------------------------------------------------
crashed=${session_gateway[alice]}
survivor=${session_gateway[bob]}
step "Crash: $crashed's process killed" "$crashed" "$survivor" presence
connect carol carol "on:$survivor"
session_send carol "/join lobby"
session_wait carol '.event == "ack" and .room == "lobby"' 15 "ack of /join lobby"
ok "carol on $survivor, in lobby"
for name in bob carol; do session_mark "$name"; done
# alice's client is frozen first: it would reconnect at once, through the proxy, to the
# surviving gateway and rejoin lobby, and alice would then never leave it.
kill -STOP "${session_pid[alice]}"
gateway_id=$(container_of "$crashed")
gateway_pid=$(docker inspect -f '{{.State.Pid}}' "$gateway_id")
# A crash, not `docker kill`: Docker counts that as a manual stop, which restart: unless-stopped
# does not restart.
killed=$(clock)
as_root kill -KILL "$gateway_pid"
ok "kill -KILL $gateway_pid ($crashed's dotnet process, from outside the container)"
sent=$(clock)
session_send carol "/room lobby during-crash-$sent"
session_wait bob ".event == \"message\" and .body == \"during-crash-$sent\"" 15 "carol's room message during the crash"
ok "carol -> lobby during the crash: bob got it in $(secs "$sent" "$event_ts") s"
sent=$(clock)
session_send bob "/msg carol during-crash-$sent"
session_wait carol ".event == \"message\" and .body == \"during-crash-$sent\"" 15 "bob's direct message during the crash"
ok "bob -> carol direct during the crash: delivered in $(secs "$sent" "$event_ts") s"
session_wait bob '.event == "left" and .user == "alice" and .room == "lobby"' $((left_bound + 15)) "left event for alice"
left=$(secs "$killed" "$event_ts")
session_wait carol '.event == "left" and .user == "alice" and .room == "lobby"' 5 "left event for alice"
if awk -v t="$left" -v b="$((left_bound + left_slack))" 'BEGIN { exit !(t > b) }'; then
  fail "alice left lobby $left s after the kill; the documented bound is $left_bound s (docs/architecture.md)"
fi
ok "bob and carol saw alice leave lobby $left s after the kill (documented: within $left_bound s)"
measure "$left s" "a killed gateway's user leaves its rooms (documented: $left_bound s)"
session_send bob "/whois alice"
session_wait bob '.event == "presence" and .user == "alice"' 15 "answer to /whois alice"
[ "$(jq -r .online <<<"$event")" = false ] || fail "alice is still online after the crash: $event"
ok "/whois alice: offline"
session_stop alice --kill
deadline=$((SECONDS + 120))
until [ "$(docker inspect -f '{{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$gateway_id")" = "1 healthy" ]; do
  [ "$SECONDS" -lt "$deadline" ] || fail "$crashed was not restarted and healthy within 120 s ($(docker inspect -f 'restarts {{.RestartCount}}, {{.State.Status}}' "$gateway_id"))"
  sleep 0.5
done
ok "$crashed restarted by its restart policy and healthy again $(since "$killed") s after the kill"
measure "$(since "$killed") s" "a killed gateway restarted and healthy again"

# --- 10. a rolling restart ---------------------------------------------------------------------------
restarted=$survivor
step "Rolling restart: ${compose_cmd[*]} restart $restarted" "$restarted" "$crashed" proxy
connect dave dave "on:$crashed"
session_send dave "/join lobby"
session_wait dave '.event == "ack" and .room == "lobby"' 15 "ack of /join lobby"
ok "dave on $crashed, in lobby; bob and carol on $restarted"
for name in bob carol dave; do session_mark "$name"; done
start=$(clock)
compose restart "$restarted" >"$work/restart.log" 2>&1 &
restart_pid=$!
for name in bob carol; do
  session_wait "$name" '.event == "disconnected"' 30 "close when $restarted stopped"
  status=$(jq -r '.closeStatus // "none"' <<<"$event")
  [ "$status" = 1001 ] || fail "$name was closed with $status when $restarted stopped, expected 1001: $event"
  closed=$event_ts
  session_wait "$name" '.event == "reconnected" and (.rooms | index("lobby"))' 30 "reconnect into lobby"
  sigterm=$(event_time "$restarted" kill 15 "$start")
  ok "$name: 1001 $(secs "${sigterm:-$start}" "$closed") s after SIGTERM, back in lobby on $(jq -r .gateway <<<"$event") $(secs "$closed" "$event_ts") s later"
  measure "$(secs "${sigterm:-$start}" "$closed") s" "rolling restart: SIGTERM to 1001 at the client ($name)"
done
wait "$restart_pid" || { tail -n 20 "$work/restart.log" >&2; fail "compose restart $restarted failed"; }
ok "compose restart returned after $(since "$start") s"
sent=$(clock)
session_send dave "/room lobby after-restart-$sent"
for name in bob carol; do
  session_wait "$name" ".event == \"message\" and .body == \"after-restart-$sent\"" 15 "dave's room message after the restart"
done
ok "dave -> lobby after the restart: bob and carol got it ($(since "$sent") s)"
restarted_id=$(container_of "$restarted")
deadline=$((SECONDS + 120))
until [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$restarted_id")" = healthy ]; do
  [ "$SECONDS" -lt "$deadline" ] || fail "$restarted was not healthy again within 120 s of the restart"
  sleep 0.5
done
ok "$restarted healthy again $(since "$start") s after the restart began"
for name in bob carol; do
  session_gateway[$name]=$(jq -r 'select(.event == "reconnected") | .gateway' <(tail -n +"$((session_mark[$name] + 1))" "${session_dir[$name]}/out" | cut -d' ' -f2-) | tail -n 1)
done

# --- 11. down ---------------------------------------------------------------------------------------
step "Down: ${compose_cmd[*]} down -v closes every client with 1001 and leaves nothing" gateway-1 gateway-2 proxy
connect erin erin "on:$restarted"
ok "erin on $restarted; bob on ${session_gateway[bob]}, carol on ${session_gateway[carol]}, dave on ${session_gateway[dave]}"
volumes=$(docker ps -aq "${project_filter[@]}" | xargs docker inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' | xargs -n1 | sort -u)
networks=$(docker network ls -q "${project_filter[@]}")
live=(bob carol dave erin)
for name in "${live[@]}"; do session_mark "$name"; done
start=$(clock)
timeout 180 "${compose_cmd[@]}" "${compose_args[@]}" down -v >"$work/down.log" 2>&1 &
down_pid=$!
for name in "${live[@]}"; do
  session_wait "$name" '.event == "disconnected"' 60 "close when the stack went down"
  status=$(jq -r '.closeStatus // "none"' <<<"$event")
  [ "$status" = 1001 ] || fail "$name (on ${session_gateway[$name]}) was closed with $status by down, expected 1001: $event"
  closed=$event_ts
  sigterm=$(event_time "${session_gateway[$name]}" kill 15 "$start")
  ok "$name (on ${session_gateway[$name]}): 1001 $(secs "${sigterm:-$start}" "$closed") s after its gateway's SIGTERM, $(secs "$start" "$closed") s after down began"
  measure "$(secs "${sigterm:-$start}" "$closed") s" "down: SIGTERM to 1001 at the client ($name)"
done
if ! wait "$down_pid"; then
  tail -n 20 "$work/down.log" >&2
  fail "compose down -v failed or took over 180 s"
fi
took=$(since "$start")
order=$(awk -v f="$start" '$2 == "kill" && $1 / 1e9 >= f && !seen[$3]++ { printf "%s%s", sep, $3; sep = ", " }' "$work/events")
ok "down -v took $took s; stop signals in this order: $order"
measure "$took s" "docker compose down -v"
proxy_signal=$(event_time proxy kill "" "$start")
for gateway in gateway-1 gateway-2; do
  gateway_signal=$(event_time "$gateway" kill 15 "$start")
  if [ -n "$proxy_signal" ] && [ -n "$gateway_signal" ] && awk -v p="$proxy_signal" -v g="$gateway_signal" 'BEGIN { exit !(p < g) }'; then
    fail "the proxy was told to stop before $gateway: compose must stop the gateways first"
  fi
done
ok "the gateways were stopped before the proxy"
for name in "${live[@]}"; do session_stop "$name"; done
left_over=$(docker ps -aq "${project_filter[@]}")
[ -z "$left_over" ] || fail "containers left after down -v: $left_over"
for network in $networks; do
  ! docker network inspect "$network" >/dev/null 2>&1 || fail "network $network left after down -v"
done
for volume in $volumes; do
  ! docker volume inspect "$volume" >/dev/null 2>&1 || fail "volume $volume left after down -v"
done
[ -z "$(docker volume ls -q "${project_filter[@]}")" ] || fail "volumes of project $project left after down -v"
ok "nothing left: no container, none of its $(wc -w <<<"$networks") network(s), none of its $(wc -w <<<"$volumes") volume(s)"

step_end
say "The compose test passed in $(since "$run_start") s"
echo "  Steps:"
for entry in "${timings[@]}"; do printf '  %8s s  %s\n' "${entry%%|*}" "${entry#*|}"; done
echo "  Measured:"
for entry in "${measures[@]}"; do printf '  %10s  %s\n' "${entry%%|*}" "${entry#*|}"; done
