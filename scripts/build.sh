#!/usr/bin/env bash
# Builds the npm package in pkg/: the Rust crate to wasm, the wasm-bindgen glue
# (--target web, one module for Node, Workers and browsers), wasm-opt -O3 (speed: -Oz saves 3 KB gzipped and runs 1.5-1.9x slower), and
# copies of the page (www/ -> pkg/www/) and README.md. Run scripts/setup.sh once before.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

target_dir=${CARGO_TARGET_DIR:-target}
wasm=pkg/dms_webhook_bg.wasm

[ -x node_modules/.bin/wasm-opt ] || { echo "build: node_modules/.bin/wasm-opt is missing: run bash scripts/setup.sh" >&2; exit 1; }

cargo build --release --target wasm32-unknown-unknown --lib
wasm-bindgen "$target_dir/wasm32-unknown-unknown/release/dms_webhook.wasm" \
  --target web --out-dir pkg --out-name dms_webhook \
  --remove-name-section --remove-producers-section
node_modules/.bin/wasm-opt -O3 "$wasm" -o "$wasm"

# The package carries the page and the README (npm shows it on the package's page).
rm -rf pkg/www
if [ -d www ]; then
  cp -R www pkg/www
  bash scripts/build-www.sh
fi
cp README.md pkg/README.md

raw=$(wc -c <"$wasm")
gz=$(gzip -9c "$wasm" | wc -c)
awk -v f="$wasm" -v r="$raw" -v g="$gz" \
  'BEGIN { printf "build: %s %d bytes (%.1f KiB), gzip -9 %d bytes (%.1f KiB)\n", f, r, r / 1024, g, g / 1024 }'
