#!/usr/bin/env bash
# The WebAssembly binding's mutants (wasm/src/): cargo-mutants makes them, and each one is tried
# the way the binding is used, built into pkg/ (scripts/build.sh) and run by the package's JS
# tests; cargo test cannot judge them (the binding has no logic of its own to unit-test, only
# bytes in linear memory that JavaScript reads). Everything happens in a copy of the repository
# under test-output/mutants-wasm/, so the work tree is never changed.
#
#   bash scripts/mutants.sh rust-wasm [FILE-GLOB...]   (default: every file of wasm/src)
#
# Writes test-output/mutants-wasm/outcomes.txt (one line a mutant: caught, missed, timeout or
# unviable, and its name) and prints the counts.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/test-output/mutants-wasm
tree=$out/tree
export CARGO_TARGET_DIR=$out/target
# A mutant is judged by what the module does, not by its size or speed: built without LTO, in
# parallel codegen units and incrementally, each build takes seconds instead of most of a minute.
for p in RELEASE WASM_FULL; do
  export CARGO_PROFILE_${p}_LTO=false CARGO_PROFILE_${p}_CODEGEN_UNITS=16 CARGO_PROFILE_${p}_INCREMENTAL=true
done
tests=(tests/js/package.test.mjs tests/js/package-vectors.test.mjs tests/js/package-robustness.test.mjs
  tests/js/hardening.test.mjs tests/js/hardening-memory.test.mjs tests/js/web-init.test.mjs
  tests/js/memory-growth.test.mjs tests/js/memory-bound.test.mjs tests/js/module-trap.test.mjs
  tests/js/create-verifier.test.mjs tests/js/host-hmac.test.mjs)

[ -x node_modules/.bin/wasm-opt ] || bash scripts/setup.sh
rm -rf "$tree"
mkdir -p "$tree"
git ls-files -z | xargs -0 cp --parents -t "$tree"
ln -s "$root/node_modules" "$tree/node_modules"

globs=("${@:-wasm/src/**/*.rs}")
file_args=()
for g in "${globs[@]}"; do file_args+=(--file "$g"); done
(cd "$tree" && cargo mutants --list --json --diff --workspace --no-config "${file_args[@]}") >"$out/mutants.json"
count=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).length)' "$out/mutants.json")
echo "mutants-wasm: $count mutants of ${globs[*]}"

# A mutant whose tests run five times as long as the unmutated package's (at least two minutes)
# has made something hang: a timeout, which counts as found.
limit=900
try() { # builds pkg/ in the copy and runs the tests: caught, missed, timeout or unviable
  if ! (cd "$tree" && bash scripts/build.sh) >"$out/build.log" 2>&1; then echo unviable; return; fi
  local rc=0
  (cd "$tree" && timeout "$limit" node --test --test-reporter=dot "${tests[@]}") >"$out/test.log" 2>&1 || rc=$?
  case $rc in 0) echo missed ;; 124) echo timeout ;; *) echo caught ;; esac
}

started=$SECONDS
baseline=$(try)
limit=$(( (SECONDS - started) * 5 > 120 ? (SECONDS - started) * 5 : 120 ))
[ "$baseline" = missed ] || { echo "mutants-wasm: the unmutated package does not pass its tests ($baseline): see $out" >&2; exit 1; }
: >"$out/outcomes.txt"
for ((i = 0; i < count; i++)); do
  node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]];
    require("fs").writeFileSync(process.argv[3], m.diff); console.log(m.file + "\t" + m.name)' \
    "$out/mutants.json" "$i" "$out/mutant.diff" >"$out/mutant.txt"
  IFS=$'\t' read -r file name <"$out/mutant.txt"
  cp "$tree/$file" "$out/pristine"
  patch -s -p0 "$tree/$file" <"$out/mutant.diff"
  outcome=$(try)
  cp "$out/pristine" "$tree/$file"
  printf '%s\t%s\n' "$outcome" "$name" | tee -a "$out/outcomes.txt"
done
echo "mutants-wasm: $(cut -f1 "$out/outcomes.txt" | sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')"
