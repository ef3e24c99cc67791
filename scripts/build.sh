#!/usr/bin/env bash
# Builds the npm package in pkg/ from the Rust crate (wasm/ is its WebAssembly boundary):
#   pkg/verify.wasm   what a receiver loads (verify), built without features
#   pkg/full.wasm     parse, canonicalize, sign, deliveryKey and explain (--features full)
# each optimised by wasm-opt (npm binaryen): the verify module for speed (-O3; -Oz saves little
# and runs slower), the full module, off the hot path, for size (the wasm-full profile of
# Cargo.toml and -Oz); their rotates rewritten as shifts (scripts/lower-rotates.mjs), then
#   pkg/*.wasm.js     the same modules embedded as base64, for runtimes and bundlers that
#                     cannot take a .wasm file (scripts/embed-wasm.mjs)
#   pkg/*.cjs         the CommonJS builds of the Node entries, bundled by esbuild
#   pkg/*.d.cts       their types (copies of the .d.ts files, for TypeScript's CommonJS view)
# and copies the page (www/ -> pkg/www/). Run scripts/setup.sh once before.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

target_dir=${CARGO_TARGET_DIR:-target}
[ -x node_modules/.bin/wasm-opt ] || { echo "build: node_modules/.bin/wasm-opt is missing: run bash scripts/setup.sh" >&2; exit 1; }

for module in verify full; do
  profile=release features=() opt=(-O3 -ocimfs=0) flags=()
  # The full module, off the hot path, is built for size: the wasm-full profile (opt-level z);
  # no SIMD (its UTF-8 validation and string scanning take the scalar code, measured no slower
  # there, and simdutf8's SIMD path with its panic formatting is not linked); wasm-opt -Oz
  # inlining a function into its only caller only when it is small (-ocimfs=10: the module is
  # larger that way but gzips smaller, measured).
  [ "$module" = full ] && profile=wasm-full features=(--features full) opt=(-Oz -ocimfs=10 --converge) \
    flags=(CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=-simd128 -C link-arg=--growable-table")
  env "${flags[@]}" cargo build --profile "$profile" --target wasm32-unknown-unknown -p dms-webhook-wasm "${features[@]}"
  built="$target_dir/wasm32-unknown-unknown/$profile/dms_webhook_wasm.wasm"
  node_modules/.bin/wasm-opt "${opt[@]}" --strip-debug --strip-producers "$built" -o "pkg/$module.wasm"
  # Rotates as shifts: V8's baseline compiler calls into C for each rotate (scripts/lower-rotates.mjs).
  node scripts/lower-rotates.mjs "pkg/$module.wasm"
  node scripts/export-table.mjs "pkg/$module.wasm"
done

node scripts/embed-wasm.mjs pkg/verify.wasm pkg/full.wasm
node scripts/bundle-node.mjs

# The package carries the licences and the page.
cp LICENSE-MIT LICENSE-APACHE pkg/
rm -rf pkg/www
if [ -d www ]; then
  cp -R www pkg/www
  bash scripts/build-www.sh
fi

for module in verify full; do
  raw=$(wc -c <"pkg/$module.wasm")
  gz=$(gzip -9c "pkg/$module.wasm" | wc -c)
  awk -v f="pkg/$module.wasm" -v r="$raw" -v g="$gz" \
    'BEGIN { printf "build: %s %d bytes (%.1f KiB), gzip -9 %d bytes (%.1f KiB)\n", f, r, r / 1024, g, g / 1024 }'
done
