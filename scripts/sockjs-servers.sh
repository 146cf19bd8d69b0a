#!/usr/bin/env bash
# The Node peers of the browser suites: for tests/web_sockjs.rs, sockjs-node relays (all
# transports, websocket disabled, raw TCP chunks, one to kill), the fault proxies (upgrade
# refused, upgrade hanging, streaming buffered) and a scripted server for garbage frames; for
# tests/web_embedded.rs, the dev server's /ws endpoint with its embedded broker. See
# scripts/sockjs-servers.mjs for the list of URLs.
#
# usage: scripts/sockjs-servers.sh start|stop|status|env
#
# `start` stops a leftover instance, starts them all on free ports of 127.0.0.1 and writes their
# URLs as KEY=VALUE lines to $TEST_SOCKJS_DIR/env (default test-output/sockjs; load it with
# `set -a; . test-output/sockjs/env; set +a`), and prints them. `stop` stops them. The broker is
# $STOMP_BROKER if set, else the test RabbitMQ's STOMP port when scripts/rabbitmq.sh has started
# it (test-output/rabbitmq/env) and it answers, else the embedded broker (server/broker/).
source "$(dirname "$0")/lib.sh"

DIR="${TEST_SOCKJS_DIR:-$ROOT/test-output/sockjs}"
ENV_FILE="$DIR/env"
PID_FILE="$DIR/pid"
LOG_FILE="$DIR/log"

running() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

stop() {
  if running; then
    local pid
    pid="$(cat "$PID_FILE")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    say "stopped (pid $pid)"
  fi
  rm -f "$PID_FILE" "$ENV_FILE"
}

broker() {
  if [ -n "${STOMP_BROKER:-}" ]; then
    echo "$STOMP_BROKER"
    return
  fi
  local rabbit_env="${TEST_RABBITMQ_DIR:-$ROOT/test-output/rabbitmq}/env"
  if [ -f "$rabbit_env" ]; then
    local address
    address="$(
      # shellcheck disable=SC1090
      source "$rabbit_env"
      echo "${RABBITMQ_STOMP_HOST:-127.0.0.1}:${RABBITMQ_STOMP_PORT:-}"
    )"
    # Only if that RabbitMQ is up: its env file stays after `scripts/rabbitmq.sh stop`.
    if (exec 3<>"/dev/tcp/${address%:*}/${address##*:}") 2>/dev/null; then
      echo "tcp://$address"
      return
    fi
    say "the test RabbitMQ ($address) is not running: using the embedded broker" >&2
  fi
  echo embedded
}

start() {
  stop
  mkdir -p "$DIR"
  [ -d "$ROOT/node_modules/sockjs" ] || die "node_modules/sockjs is missing: run npm install (scripts/setup.sh npm)"
  local b
  b="$(broker)"
  say "starting the SockJS peers (broker $b)"
  # Its own session, so that a signal to the test run's group does not skip the cleanup.
  setsid node "$ROOT/scripts/sockjs-servers.mjs" --out "$ENV_FILE" --broker "$b" \
    >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 150); do
    [ -f "$ENV_FILE" ] && break
    running || { cat "$LOG_FILE" >&2; die "the SockJS peers did not start (log: $LOG_FILE)"; }
    sleep 0.1
  done
  [ -f "$ENV_FILE" ] || { stop; die "the SockJS peers did not start within 15 s (log: $LOG_FILE)"; }
  cat "$ENV_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running; then say "running (pid $(cat "$PID_FILE"))"; else say "not running"; exit 1; fi
    ;;
  env)
    [ -f "$ENV_FILE" ] || die "not started"
    cat "$ENV_FILE"
    ;;
  *) die "usage: $0 start|stop|status|env" ;;
esac
