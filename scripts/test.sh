#!/usr/bin/env bash
# Every test of dms-webhook, in order: setup (installs what is missing), Rust format,
# lints and native tests, the wasm build of pkg/, the JS tests of the built package
# (node:test over tests/js), the runtime smoke tests (Deno, Bun, workerd, Chromium), then the
# consumer matrix: the packed package installed, built and run by every bundler and runtime
# (tests/consumers).
# Ends with a summary; exits non-zero when any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export WRANGLER_SEND_METRICS=false
export NO_COLOR=1 FORCE_COLOR=0

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
summary=()
failures=0
started=$(date +%s)

# record STATUS NAME DETAIL SECONDS
record() {
  summary+=("$(printf '%-4s  %-42s %-36s %5ss' "$1" "$2" "$3" "$4")")
  [ "$1" = PASS ] || failures=$((failures + 1))
}

# step NAME COUNTER COMMAND...: runs COMMAND, shows its output, records the outcome.
# COUNTER (cargo|node|plain|-) says how to read test counts from the output (plain: the last
# "N passed, N failed" line).
step() {
  local name=$1 counter=$2
  shift 2
  local log="$out/step.log" t0 rc detail=""
  t0=$(date +%s)
  printf '\n==> %s\n' "$name"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  case $counter in
    cargo)
      detail=$(awk '/^test result:/ { p += $4; f += $6 } END { if (NR) printf "%d passed, %d failed", p, f }' \
        <(grep '^test result:' "$log"))
      ;;
    node)
      detail=$(awk '/^ℹ (tests|pass|fail) / { v[$2] = $3 } END { printf "%d tests, %d pass, %d fail", v["tests"], v["pass"], v["fail"] }' "$log")
      ;;
    plain)
      detail=$(grep -Eo '[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?' "$log" | tail -1)
      ;;
  esac
  if [ "$rc" = 0 ]; then record PASS "$name" "$detail" $(($(date +%s) - t0)); else record FAIL "$name" "${detail:-exit $rc}" $(($(date +%s) - t0)); fi
  return "$rc"
}

skip() { record SKIP "$1" "$2" 0; }

finish() {
  printf '\n==================== dms-webhook test summary ====================\n'
  printf '%s\n' "${summary[@]}"
  if [ "$failures" = 0 ]; then
    printf 'ALL PASSED (%d steps, %ss)\n' "${#summary[@]}" $(($(date +%s) - started))
    exit 0
  fi
  printf 'FAILED: %d of %d steps did not pass (%ss)\n' "$failures" "${#summary[@]}" $(($(date +%s) - started))
  exit 1
}

test_files() { # DIR [PRUNE]: the node:test files under DIR, sorted
  if [ -n "${2:-}" ]; then
    find "$1" -path "$2" -prune -o -type f \( -name '*.test.mjs' -o -name '*.test.cjs' \) -print
  else
    find "$1" -type f \( -name '*.test.mjs' -o -name '*.test.cjs' \) -print
  fi | LC_ALL=C sort
}

node_tests() { # NAME FILES...
  local name=$1
  shift
  if [ "$#" = 0 ]; then
    record FAIL "$name" "no test files found" 0
    return
  fi
  step "$name" node node --test --test-reporter=spec "$@"
}

step "setup" - bash scripts/setup.sh || finish
step "cargo fmt --check" - cargo fmt --all --check -- --color never
step "cargo clippy -D warnings" - cargo clippy --all-targets --features serde -- -D warnings
step "cargo clippy (no default features)" - cargo clippy --lib --no-default-features -- -D warnings
step "cargo clippy (wasm32 modules)" - bash -c 'cargo clippy --target wasm32-unknown-unknown -p dms-webhook-wasm -- -D warnings && cargo clippy --target wasm32-unknown-unknown -p dms-webhook-wasm --features full -- -D warnings'
step "cargo test (native)" cargo cargo test
step "cargo test --features serde" cargo cargo test --features serde --test serde
if step "build pkg/ (wasm)" - bash scripts/build.sh; then
  mapfile -t js < <(test_files tests/js tests/js/runtimes)
  node_tests "node --test tests/js" "${js[@]}"
  mapfile -t rt < <(test_files tests/js/runtimes)
  node_tests "runtimes (Deno, Bun, workerd, Chromium)" "${rt[@]}"
  step "consumers of the packed package" plain node tests/consumers/run.mjs
else
  skip "node --test tests/js" "the build failed"
  skip "runtimes (Deno, Bun, workerd, Chromium)" "the build failed"
  skip "consumers of the packed package" "the build failed"
fi
finish
