#!/usr/bin/env bash
# Builds the npm package into pkg/, tuned for size (the package's bytes are a goal):
# 1. cargo on the nightly toolchain, rebuilding the standard library (build-std) with
#    panic=immediate-abort (no panic messages, locations or formatting) and its
#    optimize_for_size feature; release profile (opt-level z, LTO);
# 2. wasm-bindgen (web target) for the glue;
# 3. scripts/shrink-pkg.mjs: wasm-opt, short import/export names, minified glue and facade
#    (js/webstomp_wasm.js, copied minified; the type declarations are copied as they are).
# WEBSTOMP_STABLE=1 builds with the stable toolchain and its prebuilt standard library instead
# (no nightly needed; about 5.5 KB more gzip).
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh" rust wasm npm

cd "$ROOT"
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
t0=$EPOCHREALTIME
stable_build() {
  say "cargo build (release, wasm32, stable toolchain)"
  cargo build --quiet --release --target wasm32-unknown-unknown
}
nightly_build() {
  local installed
  installed="$(rustup +nightly component list --installed 2>/dev/null || true)"
  if ! grep -q '^rust-src' <<<"$installed"; then
    say "rustup toolchain install nightly with rust-src (the size build rebuilds the standard library)"
    rustup toolchain install nightly --profile minimal --component rust-src >&2 || return 1
  fi
  say "cargo build (release, wasm32, nightly build-std: panic=immediate-abort, optimize_for_size)"
  RUSTFLAGS="${RUSTFLAGS:-} -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none --cfg webstomp_speed" \
    cargo +nightly build --quiet --release --target wasm32-unknown-unknown \
    -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size
}
if [ -n "${WEBSTOMP_STABLE:-}" ]; then
  stable_build
elif ! nightly_build; then
  # Nightly only buys bytes: a machine without it (or a nightly that changed its flags) still
  # builds a working package.
  say "warning: the nightly size build failed; building on stable (about 5.5 KB more gzip)"
  stable_build
fi
say "compiled in $(seconds_since "$t0") s"

say "wasm-bindgen (web target)"
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name webstomp_wasm_core \
  --no-typescript --omit-default-module-path --encode-into always \
  --remove-name-section --remove-producers-section \
  "$target_dir/wasm32-unknown-unknown/release/webstomp_wasm.wasm"

say "wasm-opt, short names, minified JS"
node scripts/shrink-pkg.mjs pkg js/webstomp_wasm.js
cp js/webstomp_wasm.d.ts pkg/

for f in webstomp_wasm_core_bg.wasm webstomp_wasm_core.js webstomp_wasm.js; do
  say "  pkg/$f: $(wc -c <"pkg/$f") B, $(gzip -9 <"pkg/$f" | wc -c) B gzip"
done
say "  in all: $(cat pkg/webstomp_wasm_core_bg.wasm pkg/webstomp_wasm_core.js pkg/webstomp_wasm.js | wc -c) B; gzip, file by file: $(for f in pkg/webstomp_wasm_core_bg.wasm pkg/webstomp_wasm_core.js pkg/webstomp_wasm.js; do gzip -9 <"$f" | wc -c; done | awk '{s += $1} END {print s}') B"
say "built pkg/ in $(seconds_since "$t0") s: $(cd pkg && ls | tr '\n' ' ')"
