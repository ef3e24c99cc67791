#!/usr/bin/env bash
# Makes pkg/www/ a self-contained static site: places the package's browser files in
# pkg/www/dms-webhook/, where the page imports them from (./dms-webhook/web.js). Copy the folder
# anywhere, under any sub-path, serve it with any static server, and the page works offline.
# Run by scripts/build.sh after it built pkg/ and copied www/ to pkg/www/. The npm package leaves
# this folder out ("files" in pkg/package.json): there, `dms-webhook listen` serves /dms-webhook/*
# from the package folder itself.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the browser entry (web.js) loads, directly or through its imports. With www/index.html's
# modulepreload links, the lists to update when the package's layout changes; the page's tests
# fail when a file is missing from either.
BROWSER_FILES=(
  web.js
  abi.js
  api.js
  base64.js
  error.js
  fetch.js
  options.js
  tools.js
  verify.js
  verify.wasm.js
  full.wasm.js
)

[ -f pkg/www/index.html ] || { echo "build-www: pkg/www/index.html is missing: run bash scripts/build.sh" >&2; exit 1; }
rm -rf pkg/www/dms-webhook
mkdir pkg/www/dms-webhook
for f in "${BROWSER_FILES[@]}"; do
  [ -f "pkg/$f" ] || { echo "build-www: pkg/$f is missing" >&2; exit 1; }
  cp "pkg/$f" "pkg/www/dms-webhook/$f"
done
