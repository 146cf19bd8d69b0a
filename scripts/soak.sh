#!/usr/bin/env bash
# npm run soak: the 5-minute soak (tests/soak/soak.mjs) at 1,000 messages/s through the run's own
# RabbitMQ: no loss, no reordering, flat memory. SOAK_SECONDS, SOAK_RATE and SOAK_SAMPLE_SECONDS
# change its length, rate and sampling period (e.g. SOAK_SECONDS=30 npm run soak).
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh" rust wasm npm browsers brokers
cd "$ROOT"

# The same lock as scripts/test.sh: one user of a broker port set at a time.
lock="${TMPDIR:-/tmp}/webstomp-wasm-rabbitmq-${TEST_RABBITMQ_PORT_BASE:-44600}.lock"
exec 9>"$lock"
if ! flock -n 9; then
  say "waiting for another run to finish with the broker ($lock)"
  flock -w 900 9 || die "another run held $lock for 15 min"
fi
trap 'bash "$ROOT/scripts/rabbitmq.sh" stop || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

say "building the package (pkg/)"
bash "$ROOT/scripts/build.sh"
bash "$ROOT/scripts/rabbitmq.sh" start >/dev/null
set -a
source "${TEST_RABBITMQ_DIR:-$ROOT/test-output/rabbitmq}/env"
set +a

say "soak: ${SOAK_SECONDS:-300} s at ${SOAK_RATE:-1000} msg/s"
node tests/soak/soak.mjs
