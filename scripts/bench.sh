#!/usr/bin/env bash
# `npm run bench`: webstomp-wasm side by side with @stomp/stompjs, webstomp-client and a null
# client in headless Chromium (issue 7). Builds the package, starts the run's own RabbitMQ and
# the relay that serves the pages, runs bench/run.mjs, and stops what it started however it
# ends. The report goes to stdout and docs/benchmarks.md (BENCH_QUICK=1: a small check run that
# writes test-output/bench/benchmarks.md). Knobs: bench/config.mjs.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
OUT="$ROOT/test-output/bench"
SCENARIOS="${BENCH_SCENARIOS:-deliver,publish,memory,e2e,size,profile}"
want() { [[ ",$SCENARIOS," == *",$1,"* ]]; }

# BENCH_NO_BUILD=1 measures pkg/ as it is (e.g. an older build copied in).
[ -n "${BENCH_NO_BUILD:-}" ] || bash "$ROOT/scripts/build.sh"
apt_install chromium
mkdir -p "$OUT"

# The profiles need wasm function names, which the release build's wasm-opt drops: the same
# release wasm through wasm-bindgen and the release profile's wasm-opt flags plus -g.
profile_build() {
  local wasm="${CARGO_TARGET_DIR:-$ROOT/target}/wasm32-unknown-unknown/release/webstomp_wasm.wasm"
  [ -f "$wasm" ] || die "no $wasm after scripts/build.sh"
  local flags
  flags="$(awk '/^\[package\.metadata\.wasm-pack\.profile\.release\]/ { on = 1; next } /^\[/ { on = 0 }
    on && /^wasm-opt *=/ { gsub(/^wasm-opt *= *\[|\]|"|,/, ""); print }' Cargo.toml)"
  rm -rf "$OUT/pkg-prof"
  say "profiling build (wasm names kept) in ${OUT#"$ROOT"/}/pkg-prof"
  wasm-bindgen --target web --out-name webstomp_wasm_core --out-dir "$OUT/pkg-prof" "$wasm"
  # shellcheck disable=SC2086
  wasm-opt $flags -g "$OUT/pkg-prof/webstomp_wasm_core_bg.wasm" -o "$OUT/pkg-prof/webstomp_wasm_core_bg.wasm"
  cp pkg/webstomp_wasm.js "$OUT/pkg-prof/"
}
want profile && profile_build

RELAY_PID=""
STARTED_RABBITMQ=""
cleanup() {
  if [ -n "$RELAY_PID" ] && kill -0 "$RELAY_PID" 2>/dev/null; then
    kill -TERM "$RELAY_PID" 2>/dev/null || true
    wait "$RELAY_PID" 2>/dev/null || true
  fi
  if [ -n "$STARTED_RABBITMQ" ]; then bash "$ROOT/scripts/rabbitmq.sh" stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

broker=embedded
if want e2e; then
  bash "$ROOT/scripts/setup.sh" brokers
  # One user of a broker port set at a time (scripts/test.sh takes the same lock).
  lock="${TMPDIR:-/tmp}/webstomp-wasm-rabbitmq-${TEST_RABBITMQ_PORT_BASE:-44600}.lock"
  exec 9>"$lock"
  if ! flock -n 9; then
    say "waiting for another run that uses this RabbitMQ port set ($lock)"
    flock -w 900 9 || die "another run held $lock for 15 min"
  fi
  STARTED_RABBITMQ=1
  # One retry: a port of the set can be briefly held by another program's outgoing connection
  # (they are in the ephemeral range).
  bash "$ROOT/scripts/rabbitmq.sh" start >/dev/null ||
    { say "RabbitMQ did not start; once more in 5 s"; sleep 5; bash "$ROOT/scripts/rabbitmq.sh" start >/dev/null; }
  set -a
  # shellcheck disable=SC1091
  source "${TEST_RABBITMQ_DIR:-$ROOT/test-output/rabbitmq}/env"
  set +a
  broker="tcp://${RABBITMQ_STOMP_HOST:-127.0.0.1}:$RABBITMQ_STOMP_PORT"
fi

# The relay serves the pages and the competitors' bundles from one http://127.0.0.1 origin, and
# relays /ws (raw STOMP over WebSocket) and /stomp (SockJS) to the broker.
say "starting the relay (broker $broker)"
node server/main.mjs --port 0 --broker "$broker" --sockjs /stomp --ws /ws \
  --static /bench=bench/www --static /pkg=pkg --static "/pkg-prof=$OUT/pkg-prof" \
  --static /vendor/stompjs=node_modules/@stomp/stompjs/bundles \
  --static /vendor/webstomp-client=node_modules/webstomp-client/dist \
  --static /vendor/sockjs-client=node_modules/sockjs-client/dist \
  >"$OUT/relay.json" 2>"$OUT/relay.log" </dev/null &
RELAY_PID=$!
for _ in $(seq 100); do
  [ -s "$OUT/relay.json" ] && break
  kill -0 "$RELAY_PID" 2>/dev/null || { cat "$OUT/relay.log" >&2; die "the relay exited"; }
  sleep 0.1
done
BENCH_URL="$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$OUT/relay.json")"
[ -n "$BENCH_URL" ] || die "the relay did not print its URL within 10 s (log: ${OUT#"$ROOT"/}/relay.log)"
export BENCH_URL BENCH_SCENARIOS="$SCENARIOS"

say "running bench/run.mjs against $BENCH_URL"
timeout "${BENCH_TIMEOUT:-2400}" node bench/run.mjs
