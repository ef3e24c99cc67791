#!/usr/bin/env bash
# Runs each fuzz target in turn for SECONDS (default 660) on one core, at the lowest priority,
# new inputs going to fuzz/work/<target> (git-ignored), the committed corpus and regressions read
# as seeds.
# The final libFuzzer statistics of every run are appended to fuzz/logs/fuzz-runs.log.
# Stable Rust: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its nightly-only flags (-Z sanitizer=...).
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-660}
shift || true
targets=("${@:-verify canonicalize parse}")
read -r -a targets <<<"${targets[*]}"
export RUSTC_BOOTSTRAP=1
mkdir -p logs
CARGO_BUILD_JOBS=1 nice -n 19 cargo fuzz build || exit 1
for t in "${targets[@]}"; do
  mkdir -p "work/$t" "artifacts/$t"
  log="logs/$t.tmp"
  echo "== $t: $(date -u +%FT%TZ), ${seconds}s" >>logs/fuzz-runs.log
  seeds=("corpus/$t")
  [ -d "regressions/$t" ] && seeds+=("regressions/$t")
  nice -n 19 cargo fuzz run "$t" "work/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/" >"$log" 2>&1
  echo "exit $?" >>logs/fuzz-runs.log
  grep -aE '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|^==[0-9]+== ERROR|panicked|SUMMARY' "$log" >>logs/fuzz-runs.log
done
