#!/usr/bin/env bash
# Runs the whole platform on this machine: Redis, RabbitMQ, presence, two routers and two
# gateways. Installs what is missing (Debian packages, the .NET build), waits until every
# service is ready, prints the URLs, and stops everything it started on Ctrl-C or SIGTERM.
#
# Ports (override with environment variables):
#   GATEWAY_PORTS="8081 8082"  GATEWAY_API_PORTS="8181 8182" (the server API, one per gateway)
#   ROUTER_PORTS="8091 8092"  PRESENCE_PORT=8090
#   REDIS_PORT=6380  AMQP_PORT=5673  (not the defaults, so a system Redis or RabbitMQ can keep running)
set -euo pipefail

cd "$(dirname "$0")"
root=$(pwd)
state="$root/.run"
logs="$state/logs"

GATEWAY_PORTS=${GATEWAY_PORTS:-"8081 8082"}
GATEWAY_API_PORTS=${GATEWAY_API_PORTS:-"8181 8182"}
ROUTER_PORTS=${ROUTER_PORTS:-"8091 8092"}
PRESENCE_PORT=${PRESENCE_PORT:-8090}
REDIS_PORT=${REDIS_PORT:-6380}
AMQP_PORT=${AMQP_PORT:-5673}
EPMD_PORT=${EPMD_PORT:-4380}
CONFIGURATION=${CONFIGURATION:-Release}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- install what is missing -------------------------------------------------------------
source "$root/tools/install-servers.sh"
install_servers

if ! command -v dotnet >/dev/null; then
  echo "The .NET 10 SDK is required: https://dotnet.microsoft.com/download" >&2
  exit 1
fi

say "Building ($CONFIGURATION)"
dotnet build "$root/ChatPlatform.sln" -c "$CONFIGURATION" -v quiet -nologo

read -ra gateway_ports <<<"$GATEWAY_PORTS"
read -ra gateway_api_ports <<<"$GATEWAY_API_PORTS"
if [ ${#gateway_api_ports[@]} -ne ${#gateway_ports[@]} ]; then
  echo "GATEWAY_API_PORTS needs one port per gateway (GATEWAY_PORTS: $GATEWAY_PORTS)" >&2
  exit 1
fi

# --- start ---------------------------------------------------------------------------------
# Everything of the last run goes but the API key: backends set up with it keep working.
mkdir -p "$state"
find "$state" -mindepth 1 -maxdepth 1 ! -name api-key -exec rm -rf {} +
mkdir -p "$logs"
pids=()

stop_all() {
  trap - EXIT INT TERM
  say "Stopping"
  # Services first (they drain connections), then the servers they need.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  ERL_EPMD_PORT=$EPMD_PORT epmd -kill >/dev/null 2>&1 || true
  exit 0
}
trap stop_all EXIT INT TERM

start() { # name, command...
  local name=$1
  shift
  "$@" >"$logs/$name.log" 2>&1 &
  pids+=($!)
}

wait_for() { # name, test command...
  local name=$1
  shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$name did not become ready; see $logs/$name.log" >&2
  tail -n 20 "$logs/$name.log" >&2 || true
  exit 1
}

say "Starting Redis on 127.0.0.1:$REDIS_PORT"
start redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no
wait_for redis redis-cli -p "$REDIS_PORT" ping

say "Starting RabbitMQ on 127.0.0.1:$AMQP_PORT"
rabbit="$state/rabbitmq"
mkdir -p "$rabbit/home" "$rabbit/mnesia" "$rabbit/log"
echo '[].' >"$rabbit/enabled_plugins"
start rabbitmq env HOME="$rabbit/home" \
  RABBITMQ_NODENAME="chat-local@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT" \
  RABBITMQ_DIST_PORT=$((AMQP_PORT + 20000)) ERL_EPMD_PORT="$EPMD_PORT" \
  RABBITMQ_MNESIA_BASE="$rabbit/mnesia" RABBITMQ_LOG_BASE="$rabbit/log" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$rabbit/enabled_plugins" RABBITMQ_CONFIG_FILE="$rabbit/none" \
  /usr/lib/rabbitmq/bin/rabbitmq-server
wait_for rabbitmq bash -c "exec 3<>/dev/tcp/127.0.0.1/$AMQP_PORT"

# Tokens for this stack are signed with a secret made for this run (or CHAT_JWT_SECRET), and
# development users (?user=NAME, no token) are allowed too: this stack is for trying things locally.
jwt_secret=${CHAT_JWT_SECRET:-$(head -c 32 /dev/urandom | base64 | tr -d '=+/')}
printf '%s\n' "$jwt_secret" >"$state/jwt-secret"
chmod 600 "$state/jwt-secret"
export Auth__AllowDevelopmentUsers=true
export Auth__Jwt__Algorithm=HS256 Auth__Jwt__Secret="$jwt_secret"
export Auth__Jwt__Issuer=chatplatform-local Auth__Jwt__Audience=chatplatform
# The gateways' pages may connect to any of the gateways.
i=0
for port in $GATEWAY_PORTS; do
  export "Auth__AllowedOrigins__$i=http://127.0.0.1:$port" "Auth__AllowedOrigins__$((i + 1))=http://localhost:$port"
  i=$((i + 2))
done

# The server API's key (docs/api.md), named "dev": CHAT_API_KEY, or one made on the first run and
# kept in .run/api-key. docker compose takes the same variable: CHAT_API_KEY=$(cat .run/api-key).
api_key=${CHAT_API_KEY:-$(cat "$state/api-key" 2>/dev/null || true)}
if [ -z "$api_key" ]; then
  api_key=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
fi
if [ ${#api_key} -lt 32 ]; then
  echo "CHAT_API_KEY must be at least 32 characters (the gateways refuse a shorter key)" >&2
  exit 1
fi
(umask 077 && printf '%s\n' "$api_key" >"$state/api-key")
export Api__Keys__dev="$api_key"

export Redis__ConnectionString="127.0.0.1:$REDIS_PORT"
export RabbitMq__Host=127.0.0.1 RabbitMq__Port="$AMQP_PORT"
export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production

service() { # name, project folder, assembly, urls (;-separated), environment...
  local name=$1 dir="$root/services/$2/bin/$CONFIGURATION/net10.0" assembly=$3 urls=$4
  shift 4
  # Run from the output folder so the service finds its appsettings.json.
  start "$name" bash -c 'cd "$1" && shift && exec env "$@"' _ "$dir" "$@" \
    dotnet "$assembly.dll" --urls "$urls"
}

say "Starting presence, routers and gateways"
service presence presence ChatPlatform.Presence "http://127.0.0.1:$PRESENCE_PORT"
n=0
for port in $ROUTER_PORTS; do
  n=$((n + 1))
  service "router-$n" router ChatPlatform.Router "http://127.0.0.1:$port" Router__Id="router-$n"
done
# Each gateway listens on its public port and on its own API port, which only the API answers on.
for i in "${!gateway_ports[@]}"; do
  n=$((i + 1))
  service "gateway-$n" gateway ChatPlatform.Gateway \
    "http://127.0.0.1:${gateway_ports[i]};http://127.0.0.1:${gateway_api_ports[i]}" \
    Gateway__Id="gateway-$n" Gateway__AllowBroadcast=true Api__Port="${gateway_api_ports[i]}"
done

wait_for presence curl -fsS "http://127.0.0.1:$PRESENCE_PORT/readyz"
n=0
for port in $ROUTER_PORTS; do
  n=$((n + 1))
  wait_for "router-$n" curl -fsS "http://127.0.0.1:$port/readyz"
done
n=0
for port in $GATEWAY_PORTS; do
  n=$((n + 1))
  wait_for "gateway-$n" curl -fsS "http://127.0.0.1:$port/readyz"
done

say "ChatPlatform is running (logs in $logs)"
for port in $GATEWAY_PORTS; do
  echo "  chat page  http://127.0.0.1:$port/"
done
for port in $GATEWAY_PORTS; do
  echo "  gateway    ws://127.0.0.1:$port/ws"
done
for port in $GATEWAY_API_PORTS; do
  echo "  server API http://127.0.0.1:$port/api/v1/  (key: .run/api-key)"
done
echo "  presence   http://127.0.0.1:$PRESENCE_PORT/readyz"
for port in $ROUTER_PORTS; do
  echo "  router     http://127.0.0.1:$port/readyz"
done
first_port=${gateway_ports[0]}
first_api_port=${gateway_api_ports[0]}
cli="tools/chat-cli/bin/$CONFIGURATION/net10.0"
cat <<EOF

Development users are on: connect as ?user=NAME, without a token (this stack only).
Tokens are accepted too: HS256 with the secret in .run/jwt-secret, issuer chatplatform-local,
audience chatplatform.

Try it: open http://127.0.0.1:$first_port/ in a browser, or, in another terminal:
  export PATH="\$PWD/$cli:\$PATH"
  chat connect --url ws://127.0.0.1:$first_port/ws --user alice
  chat token --user alice --secret "\$(cat .run/jwt-secret)" --issuer chatplatform-local --audience chatplatform

The server API (docs/api.md) takes the key in .run/api-key, kept across runs:
  curl -H "Authorization: Bearer \$(cat .run/api-key)" http://127.0.0.1:$first_api_port/api/v1/users/alice/presence
EOF
echo "Press Ctrl-C to stop."

# Stop everything if any process exits on its own.
wait -n "${pids[@]}" || true
say "A process exited; see $logs"
