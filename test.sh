#!/usr/bin/env bash
# Installs what the tests need (Chromium from Debian's packages, a Docker engine and the Redis and
# RabbitMQ images, NuGet packages) and runs every test: the deployment checks, unit, integration
# against real servers, end-to-end on real sockets, and the browser page in a real browser.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Router".
set -euo pipefail
cd "$(dirname "$0")"

source tools/install-servers.sh
install_test_browser

# The tests run Redis and RabbitMQ in containers (Testcontainers, tests/Testing/ContainerImages.cs
# names the images): an engine, started here if none answers and stopped at the end, and the
# images, pulled or else built as stand-ins.
source tools/containers.sh
trap stop_docker_engine_if_started EXIT
ensure_docker_engine
ensure_images redis:7.0 rabbitmq:3.10-management

# The deployment files (Dockerfiles, docker-compose.yml, deploy/, k8s/): checked offline, then
# the images built and the compose stack run and driven through its proxy by
# tools/compose-smoke.sh, on a Docker engine started if none answers. SKIP_DEPLOY_CHECKS=1
# skips them.
if [ "${SKIP_DEPLOY_CHECKS:-0}" != 1 ]; then
  tools/check-deploy.sh
fi

dotnet build ChatPlatform.sln -c Release -nologo -v quiet

# One test project at a time: the end-to-end suites run whole clusters of processes. The output
# is kept so that the failures, if any, are listed again at the very end, where a log's tail shows them.
log=$(mktemp)
trap 'rm -f "$log"; stop_docker_engine_if_started' EXIT
status=0
dotnet test ChatPlatform.sln -c Release --no-build -m:1 --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo
  echo "==> Failed tests:"
  grep -E '^\s+Failed [A-Za-z]|^Failed!' "$log" || echo "  (none reported: the run itself failed; see above)"
fi
exit "$status"
