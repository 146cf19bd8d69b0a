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

say "all suites passed"
