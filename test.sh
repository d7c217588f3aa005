#!/usr/bin/env bash
# Installs what the tests need (Redis and RabbitMQ from Debian's packages, NuGet packages) and
# runs every test: unit, integration against real servers, and end-to-end on real sockets.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Router".
set -euo pipefail
cd "$(dirname "$0")"

source tools/install-servers.sh
install_servers

dotnet build ChatPlatform.sln -c Release -nologo -v quiet

# One test project at a time: the end-to-end suites run whole clusters of processes.
dotnet test ChatPlatform.sln -c Release --no-build -m:1 --logger "console;verbosity=normal" "$@"
