#!/usr/bin/env bash
# Runs every check and test suite; exits non-zero on any failure.
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh" rust wasm npm
cd "$ROOT"

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy (host)"
cargo clippy --all-targets --quiet -- -D warnings
say "cargo clippy (wasm32)"
cargo clippy --all-targets --quiet --target wasm32-unknown-unknown -- -D warnings

say "cargo test (host: core, codecs, session, property tests)"
cargo test 2>&1

say "browser suites in Chromium, Firefox and WebKitGTK against the run's own RabbitMQ and the embedded broker"
bash "$ROOT/scripts/setup.sh" browsers brokers
# One browser phase at a time per broker port set (scripts/rabbitmq.sh): a second run would
# otherwise restart the broker under the first.
lock="${TMPDIR:-/tmp}/webstomp-wasm-rabbitmq-${TEST_RABBITMQ_PORT_BASE:-44600}.lock"
exec 9>"$lock"
if ! flock -n 9; then
  say "waiting for another test run to finish its browser suites ($lock)"
  flock -w 900 9 || die "another test run held $lock for 15 min"
fi
# The broker stops however this script ends: success, failure, Ctrl-C, SIGTERM (after a SIGKILL,
# the next start clears the leftover).
trap 'bash "$ROOT/scripts/sockjs-servers.sh" stop >/dev/null 2>&1 || true; bash "$ROOT/scripts/rabbitmq.sh" stop || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
bash "$ROOT/scripts/rabbitmq.sh" start >/dev/null
bash "$ROOT/scripts/sockjs-servers.sh" start >/dev/null
set -a
source "${TEST_RABBITMQ_DIR:-$ROOT/test-output/rabbitmq}/env"
source "${TEST_SOCKJS_DIR:-$ROOT/test-output/sockjs}/env"
set +a
bash "$ROOT/scripts/browser-tests.sh"

say "building the package (pkg/) for the JS-level suites"
bash "$ROOT/scripts/build.sh"

say "node suites: embedded broker, dev server and relay, JS API in Chromium, security, demo end to end, faults"
# tests/faults/ restarts the run's RabbitMQ (same ports) and kills relays it starts itself.
node --test --test-concurrency=1 server/broker/test/ server/test/ tests/js/ tests/security/ tests/e2e/ tests/faults/

say "all suites passed"
