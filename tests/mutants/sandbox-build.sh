#!/usr/bin/env bash
# Stryker's buildCommand, run in its sandbox (a copy of the repository) after the files to mutate
# were instrumented: the build output git does not hold is copied from the repository's pkg/
# (bash scripts/build.sh must have run there), then the Node bundles are made again from the
# instrumented sources, so that a test importing pkg/node.mjs runs the mutants too.
set -euo pipefail
here=$(pwd)
repo=${DMS_REPO:?DMS_REPO must name the repository (scripts/mutants.sh sets it)}
for f in verify.wasm full.wasm verify.wasm.js full.wasm.js LICENSE-MIT LICENSE-APACHE; do
  cp "$repo/pkg/$f" "$here/pkg/$f"
done
rm -rf "$here/pkg/www"
cp -R "$repo/pkg/www" "$here/pkg/www"
node scripts/bundle-node.mjs
