# Sourced by run.sh, test.sh and tools/check-deploy.sh: installs the servers and tools the
# platform runs and is checked against (and the browser its page is tested in), from Debian's
# packages, when they are missing.
install_servers() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  command -v curl >/dev/null || missing+=(curl)
  install_debian_packages "${missing[@]}"
}

# What the browser tests (tests/Browser.Tests) need: Debian's Chromium, which Playwright drives
# (Playwright's own browser download does not work everywhere, and the tests fail without one).
install_test_browser() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  install_debian_packages "${missing[@]}"
}

# What tools/check-deploy.sh and tools/compose-smoke.sh need: docker-compose (`config`
# validates the compose file offline; with an engine it runs the stack; the `docker compose`
# plugin is used instead where it is installed), Node.js and npm (the manifest checker), curl
# and jq (the compose test drives the stack and reads the chat command's JSON lines).
install_deploy_tools() {
  local missing=()
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  command -v curl >/dev/null || missing+=(curl)
  command -v jq >/dev/null || missing+=(jq)
  install_debian_packages "${missing[@]}"
}

install_debian_packages() {
  if [ $# -eq 0 ]; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Missing $*; install them or run as root." >&2; return 1; }
    sudo=sudo
  fi
  echo "Installing $* from Debian's packages"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
