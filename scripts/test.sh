#!/usr/bin/env bash
# Every test of dms-webhook, in order: setup (installs what is missing), Rust format,
# lints and native tests, the fuzz targets compiled, the wasm build of pkg/, the JS tests of the
# built package (node:test over tests/js), scripts/run.sh on its own, the runtime smoke tests
# (Deno, Bun, workerd, Chromium), then the consumer matrix: the packed package installed, built
# and run by every bundler and runtime (tests/consumers). Ends with a summary; exits non-zero
# when any step failed.
#
# A test step passes only when it ran at least one test and none failed. A skipped test (a tool
# or a file missing here) is listed in the summary; under CI=true it fails its step, and the
# tests themselves fail rather than skip (tests/js/skips.mjs), so that nothing passes unrun.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export WRANGLER_SEND_METRICS=false
export NO_COLOR=1 FORCE_COLOR=0

ci=false
case "${CI:-}" in true | TRUE | True | 1) ci=true ;; esac

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
summary=()
skips=()
failures=0
started=$(date +%s)

# record STATUS NAME DETAIL SECONDS
record() {
  summary+=("$(printf '%-4s  %-42s %-44s %5ss' "$1" "$2" "$3" "$4")")
  [ "$1" = PASS ] || failures=$((failures + 1))
}

# step NAME COUNTER COMMAND...: runs COMMAND, shows its output, records the outcome.
# COUNTER (cargo|node|plain|-) says how to read test counts from the output (plain: the last
# "N passed, N failed, N skipped" line): with one, the step fails when no test ran (or a test
# file defines none), and under CI=true when any was skipped.
step() {
  local name=$1 counter=$2
  shift 2
  local log="$out/step.log" t0 rc detail="" ran=-1 failed=0 skipped=0 names="" empty=()
  t0=$(date +%s)
  printf '\n==> %s\n' "$name"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  case $counter in
    cargo)
      # test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; ...
      read -r ran failed skipped < <(awk '/^test result:/ { p += $4; f += $6; i += $8 }
        END { print p + f, f + 0, i + 0 }' "$log")
      detail="$((ran - failed)) passed, $failed failed"
      names=$(sed -n 's/^test \(.*\) \.\.\. ignored.*$/\1/p' "$log")
      # A test target that runs no test: the target named on the line before.
      mapfile -t empty < <(awk '/^ +(Running|Doc-tests) / { target = $0; sub(/^ +(Running|Doc-tests) /, "", target) }
        /^running 0 tests$/ { print target }' "$log")
      ;;
    node)
      # The spec reporter's totals; a skipped test or suite is a line starting with "﹣".
      read -r ran failed skipped < <(awk '/^ℹ (pass|fail|skipped|todo|cancelled) / { v[$2] = $3 }
        END { print v["pass"] + v["fail"] + v["cancelled"], v["fail"] + v["cancelled"], v["skipped"] + v["todo"] }' "$log")
      names=$(sed -n 's/^ *﹣ \(.*\)$/\1/p' "$log")
      skipped=$(printf '%s' "$names" | grep -c . || true)
      detail="$ran tests, $((ran - failed)) pass, $failed fail"
      # node:test counts a file that defines no test as one passing test named after the file.
      for f in "$@"; do
        case $f in *.test.mjs | *.test.cjs) grep -qF -- "✔ $f (" "$log" && empty+=("$f") ;; esac
      done
      ;;
    plain)
      read -r ran failed skipped < <(grep -Eo '[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?' "$log" | tail -1 |
        awk '{ print $1 + $3, $3 + 0, $5 + 0 }')
      detail="$((ran - failed)) passed, $failed failed"
      names=$(sed -n 's/^SKIP  \(.* ([0-9.]* s) .*\)$/\1/p' "$log")
      ;;
  esac
  if [ "$skipped" -gt 0 ]; then
    detail="$detail, $skipped skipped"
    while IFS= read -r n; do [ -n "$n" ] && skips+=("$name: $n"); done <<<"$names"
  fi
  local status=PASS
  if [ "$rc" != 0 ]; then
    status=FAIL
    [ -n "$detail" ] || detail="exit $rc"
  elif [ "$ran" = 0 ]; then
    status=FAIL
    detail="no test ran"
  elif [ "${#empty[@]}" -gt 0 ]; then
    status=FAIL
    detail="no test in ${empty[*]}"
  elif [ "$skipped" -gt 0 ] && [ "$ci" = true ]; then
    status=FAIL
    detail="$detail (CI=true)"
  fi
  record "$status" "$name" "$detail" $(($(date +%s) - t0))
  [ "$status" = PASS ]
}

skip() { record SKIP "$1" "$2" 0; }

finish() {
  printf '\n==================== dms-webhook test summary ====================\n'
  printf '%s\n' "${summary[@]}"
  if [ "${#skips[@]}" -gt 0 ]; then
    printf '\nSkipped (%d)%s:\n' "${#skips[@]}" "$([ "$ci" = true ] && echo ', which fails a CI run')"
    printf '  %s\n' "${skips[@]}"
  fi
  if [ "$failures" = 0 ]; then
    printf 'ALL PASSED (%d steps, %ss)\n' "${#summary[@]}" $(($(date +%s) - started))
    exit 0
  fi
  printf 'FAILED: %d of %d steps did not pass (%ss)\n' "$failures" "${#summary[@]}" $(($(date +%s) - started))
  exit 1
}

test_files() { # DIR [PRUNE...]: the node:test files under DIR, sorted
  local dir=$1 prune=()
  shift
  for p in "$@"; do prune+=(-path "$p" -prune -o); done
  find "$dir" "${prune[@]}" -type f \( -name '*.test.mjs' -o -name '*.test.cjs' \) -print | LC_ALL=C sort
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
# The cargo-fuzz targets, compiled on stable (fuzzing itself needs cargo-fuzz: fuzz/README.md).
step "fuzz targets (cargo check)" - cargo check --manifest-path fuzz/Cargo.toml --bins --locked
if step "build pkg/ (wasm)" - bash scripts/build.sh; then
  mapfile -t js < <(test_files tests/js tests/js/runtimes tests/js/scripts)
  node_tests "node --test tests/js" "${js[@]}"
  # scripts/run.sh rebuilds pkg/: alone, after the tests that read it.
  mapfile -t scripts < <(test_files tests/js/scripts)
  node_tests "scripts/run.sh" "${scripts[@]}"
  mapfile -t rt < <(test_files tests/js/runtimes)
  node_tests "runtimes (Deno, Bun, workerd, Chromium)" "${rt[@]}"
  step "consumers of the packed package" plain node tests/consumers/run.mjs
else
  skip "node --test tests/js" "the build failed"
  skip "scripts/run.sh" "the build failed"
  skip "runtimes (Deno, Bun, workerd, Chromium)" "the build failed"
  skip "consumers of the packed package" "the build failed"
fi
finish
