#!/usr/bin/env bash
# Builds the npm package into pkg/: the WebAssembly module and its wasm-bindgen glue
# (wasm-pack, web target, release profile tuned for size), then the hand-written entry module.
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh" rust wasm npm

cd "$ROOT"
say "wasm-pack build (release, web target)"
wasm-pack --quiet build --mode no-install --target web --release \
  --out-dir pkg --out-name webstomp_wasm_core --no-pack >&2
# wasm-pack writes a .gitignore of '*' and a package.json we do not use: the top-level
# package.json is the package.
rm -f pkg/.gitignore pkg/package.json
if [ -d js ]; then
  cp js/webstomp_wasm.js js/webstomp_wasm.d.ts pkg/
fi
say "built pkg/: $(cd pkg && ls | tr '\n' ' ')"
