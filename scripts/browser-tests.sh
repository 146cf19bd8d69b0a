#!/usr/bin/env bash
# Runs the browser test suites (tests/web*.rs: wasm-bindgen-test with run_in_browser) in real
# headless browsers through wasm-pack: Chromium, Firefox, and WebKitGTK under Xvfb.
#
# usage: scripts/browser-tests.sh [cargo test args]   (default: each tests/web*.rs on its own)
#   e.g. scripts/browser-tests.sh --test web_broker -- connect  (one suite, tests matching "connect")
# environment:
#   BROWSERS="chrome firefox safari"  the engines to run, in order (default: all three)
#   WASM_BINDGEN_TEST_TIMEOUT=120     seconds one suite may take in one browser (runner default: 20)
#   RABBITMQ_WS_URL etc.              the brokers; when unset, read from the env file that
#                                     `scripts/rabbitmq.sh start` writes (test-output/rabbitmq/env)
#   SOCKJS_URL, EMBEDDED_WS_URL etc.  the Node peers (SockJS relays, the embedded broker's /ws);
#                                     when unset, read from `scripts/sockjs-servers.sh start`'s env
# The broker URLs are compiled into the suites (option_env!). The suites are compiled once, before
# the first browser starts, and every engine reuses that build. Every selected engine runs
# even when one fails; the exit status is non-zero if any failed. Each engine's output is also
# kept in test-output/browser/ENGINE.log.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

env_file="${TEST_RABBITMQ_DIR:-$ROOT/test-output/rabbitmq}/env"
if [ -z "${RABBITMQ_WS_URL:-}" ] && [ -f "$env_file" ]; then
  set -a
  # shellcheck disable=SC1090
  source "$env_file"
  set +a
fi
sockjs_env="${TEST_SOCKJS_DIR:-$ROOT/test-output/sockjs}/env"
if [ -z "${SOCKJS_URL:-}" ] && [ -f "$sockjs_env" ]; then
  set -a
  # shellcheck disable=SC1090
  source "$sockjs_env"
  set +a
fi
[ -n "${RABBITMQ_WS_URL:-}" ] ||
  say "warning: RABBITMQ_WS_URL is unset (scripts/rabbitmq.sh start sets it): the broker tests will fail"
[ -n "${EMBEDDED_WS_URL:-}" ] ||
  say "warning: EMBEDDED_WS_URL is unset (scripts/sockjs-servers.sh start sets it): web_embedded will fail"

export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
# The WebDriver servers get longer than the runner's 5 s to bind their port on a busy machine.
export WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-30}"

# With no arguments each suite (tests/web*.rs) runs on its own, so that one failing suite does not
# keep the others from running: cargo stops at the first failing test binary.
args=("$@")
suites=()
if [ ${#args[@]} -eq 0 ]; then
  for f in tests/web*.rs; do
    [ -f "$f" ] && suites+=("$(basename "$f" .rs)")
  done
  [ ${#suites[@]} -gt 0 ] || die "no browser suites (tests/web*.rs)"
fi
# What precedes a `--` is for cargo; what follows it, for the test binaries.
build_args=()
for a in "${args[@]}"; do
  [ "$a" = "--" ] && break
  build_args+=("$a")
done

# The build wasm-pack starts with (`cargo build --tests`), done once for all engines and suites.
t0=$EPOCHREALTIME
say "compiling the browser suites for wasm32 (RABBITMQ_WS_URL=${RABBITMQ_WS_URL:-unset}, EMBEDDED_WS_URL=${EMBEDDED_WS_URL:-unset})"
cargo build --quiet --tests --target wasm32-unknown-unknown "${build_args[@]}"
say "compiled in $(seconds_since "$t0") s"

# Runs the wasm-pack command "$@" on each suite, or once with the caller's arguments.
run_suites() {
  local suite rc=0
  if [ ${#suites[@]} -eq 0 ]; then
    "$@" -- "${args[@]}"
    return
  fi
  for suite in "${suites[@]}"; do
    "$@" -- --test "$suite" || rc=1
  done
  return $rc
}

# One line per suite from a wasm-pack log ("web_broker: ok. 1 passed; ..."), then the failed tests.
suite_results() {
  awk '
    function unfinished() { if (suite != "" && !seen) print suite ": no test result: it did not run to its end" }
    /^ *Running tests\/.*\.rs/ { unfinished(); suite = $2; sub(/^tests\//, "", suite); sub(/\.rs$/, "", suite); seen = 0 }
    /^test result: / { sub(/^test result: /, ""); print suite ": " $0; seen = 1 }
    /^test .* \.\.\. FAIL/ { failed = failed "\n  failed: " suite "::" $2 }
    END {
      unfinished()
      if (suite == "") print "no suite ran"
      printf "%s", substr(failed, 2) (failed == "" ? "" : "\n")
    }' "$1"
}

out="$ROOT/test-output/browser"
mkdir -p "$out"
wasm_pack=(wasm-pack test --headless --mode no-install)
failed=()
summary=()
for engine in ${BROWSERS:-chrome firefox safari}; do
  case "$engine" in
    chrome | chromium)
      engine=chrome
      cmd=("${wasm_pack[@]}" --chrome --chromedriver "$(command -v chromedriver || echo /usr/bin/chromedriver)")
      ;;
    firefox)
      have geckodriver || die "geckodriver is missing: run scripts/setup.sh browsers"
      cmd=("${wasm_pack[@]}" --firefox --geckodriver "$(command -v geckodriver)")
      ;;
    safari | webkit)
      # WebKitGTK needs a display even when headless; without one it times out after 60 s.
      engine=safari
      cmd=(xvfb-run -a -s "-screen 0 1280x1024x24" "${wasm_pack[@]}" --safari --safaridriver /usr/bin/WebKitWebDriver)
      ;;
    *) die "unknown browser $engine (want chrome, firefox or safari)" ;;
  esac
  say "running the browser suites in $engine"
  t0=$EPOCHREALTIME
  status=0
  run_suites "${cmd[@]}" 2>&1 | tee "$out/$engine.log" || status=$?
  verdict="passed"
  if [ "$status" -ne 0 ]; then
    failed+=("$engine")
    verdict="FAILED (log: test-output/browser/$engine.log)"
  fi
  summary+=("$engine: $verdict in $(seconds_since "$t0") s")
  while read -r line; do
    summary+=("  $line")
  done < <(suite_results "$out/$engine.log")
done

say "browser suites:"
for line in "${summary[@]}"; do say "  $line"; done
[ ${#failed[@]} -eq 0 ] || die "browser suites failed in: ${failed[*]}"
