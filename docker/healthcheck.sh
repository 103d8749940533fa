#!/usr/bin/env bash
# The container's health check (installed as /opt/paddock/bin/docker-healthcheck): healthy when
# GET /v1/status on this container's HTTP port answers 200. Plain bash (/dev/tcp), so the image
# needs no curl. The port: the first argument, else PADDOCK_HTTP_PORT, else 8080.
set -u

port="${1:-${PADDOCK_HTTP_PORT:-8080}}"
exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || { echo "nothing listens on port $port"; exit 1; }
printf 'GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
if ! IFS= read -r -t 5 status <&3; then
  echo "no answer on port $port"
  exit 1
fi
status="${status%$'\r'}"
echo "$status"
[[ "$status" =~ ^HTTP/1\.[01]\ 200 ]]
