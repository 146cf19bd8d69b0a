#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: each step checks first and is
# skipped when already done, so a warm machine passes through in about a second.
#
# usage: scripts/setup.sh [rust] [wasm] [npm] [browsers] [brokers] [fuzz]   (default: rust wasm npm)
source "$(dirname "$0")/lib.sh"

setup_rust() {
  have cargo || die "cargo is missing: install Rust with rustup first"
  local installed
  installed="$(rustup component list --installed 2>/dev/null || true)"
  for c in rustfmt clippy; do
    if ! grep -q "^$c" <<<"$installed"; then
      say "rustup component add $c (for the lint checks)"
      rustup component add "$c" >&2
    fi
  done
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown (the package is WebAssembly)"
    rustup target add wasm32-unknown-unknown >&2
  fi
}

setup_wasm() {
  [ -f "$ROOT/Cargo.lock" ] || (cd "$ROOT" && cargo generate-lockfile)
  local want
  want="$(locked_version wasm-bindgen)"
  [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "cargo install wasm-bindgen-cli $want (must equal the wasm-bindgen crate in Cargo.lock; ~4 min)"
    # No --locked: its lockfile pins a crate the registry lacks.
    cargo install wasm-bindgen-cli --version "$want" --force >&2
  fi
  if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "0.15.1" ]; then
    say "cargo install wasm-pack 0.15.1 (builds and tests the package; ~3 min)"
    cargo install wasm-pack --version 0.15.1 --locked --force >&2
  fi
}

setup_npm() {
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/package.json" -nt "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
    say "npm install (wasm-opt from npm binaryen, test and benchmark tools)"
    (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error >&2)
  fi
  # Debian's binaryen (wasm-opt 108) corrupts wasm-bindgen 0.2.130 output; ours must win on PATH.
  [ -x "$ROOT/node_modules/.bin/wasm-opt" ] || die "node_modules/.bin/wasm-opt missing after npm install"
}

setup_browsers() {
  apt_install chromium chromium-driver firefox-esr webkit2gtk-driver xvfb xauth
  if ! have geckodriver; then
    say "cargo install geckodriver (Firefox's WebDriver, built from source; ~3 min)"
    cargo install --locked geckodriver >&2
  fi
}

setup_brokers() {
  # scripts/rabbitmq.sh runs the test broker with its own config and enabled-plugins file
  # (STOMP, Web-STOMP): nothing under /etc/rabbitmq is changed.
  apt_install rabbitmq-server
}

setup_fuzz() {
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "rustup toolchain install nightly (cargo-fuzz needs it)"
    rustup toolchain install nightly --profile minimal >&2
  fi
  if ! have cargo-fuzz; then
    say "cargo install cargo-fuzz (the fuzzing driver)"
    cargo install cargo-fuzz --locked >&2
  fi
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(rust wasm npm)
for s in "${steps[@]}"; do
  case "$s" in
    rust | wasm | npm | browsers | brokers | fuzz) "setup_$s" ;;
    *) die "unknown step $s" ;;
  esac
done
