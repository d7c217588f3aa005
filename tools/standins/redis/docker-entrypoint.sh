#!/bin/sh
# The redis:7.0 stand-in's entry point (tools/standins/redis/Dockerfile), doing what the
# official image's does: options alone run redis-server, and the server drops root for the
# redis user, owning /data.
set -e

case "${1:-}" in
  -* | *.conf) set -- redis-server "$@" ;;
esac

if [ "${1:-}" = redis-server ]; then
  # The official image's Redis defaults to protected mode off; Debian's to on. Said last, unless
  # the arguments say it, start with a config file (which keeps its own setting, as there) or
  # ask for something else than a server (--version, --help, --test-memory, --check-system).
  case "${2:-}" in
    *.conf | -v | --version | -h | --help | --test-memory | --check-system) ;;
    *)
      case " $* " in
        *" --protected-mode "*) ;;
        *) set -- "$@" --protected-mode no ;;
      esac
      ;;
  esac
  if [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi

exec "$@"
