#!/usr/bin/env bash
# Bounded cargo-fuzz runs of every target (FUZZ_SECONDS each, default 60). Crash inputs land
# in fuzz/artifacts/<target>/; turn each into a regression test before fixing it.
# usage: scripts/fuzz.sh [target ...]
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup.sh" rust fuzz
cd "$ROOT/fuzz"
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(cargo +nightly fuzz list)
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  # Seed the corpus with the checked-in examples, so short runs start from real frames.
  [ -d "seeds/$t" ] && cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
  say "fuzzing $t for ${seconds}s"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -max_len=4096 -timeout=10 2>&1 |
    grep -E "^(#[0-9]+ +DONE|Done|==|SUMMARY|INFO: Running|.*panicked)" || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || die "fuzz target $t failed: see fuzz/artifacts/$t"
done
say "fuzzing finished without a crash"
