#!/bin/sh
# The rabbitmq:3.10-management stand-in's entry point (tools/standins/rabbitmq/Dockerfile), doing
# what the official image's does: the broker runs as the rabbitmq user, which owns its data and
# log folders, and the node uses long names when the host name is a qualified one.
set -e

if [ "${1:-}" = rabbitmq-server ]; then
  shift
  # Debian's /usr/sbin/rabbitmq-server wrapper would redirect the broker's output to a file
  # when run as rabbitmq: run the broker's own script instead, as this container's process.
  set -- /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
  if [ -z "${RABBITMQ_USE_LONGNAME:-}" ] && [ "$(hostname)" != "$(hostname -s)" ]; then
    export RABBITMQ_USE_LONGNAME=true
  fi
  if [ "$(id -u)" = 0 ]; then
    find /var/lib/rabbitmq /var/log/rabbitmq \! -user rabbitmq -exec chown rabbitmq:rabbitmq '{}' +
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$@"
  fi
fi

exec "$@"
