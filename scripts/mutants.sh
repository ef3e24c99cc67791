#!/usr/bin/env bash
# Mutation testing, one pass at a time (docs/testing.md): how many deliberately broken versions
# of the code the tests catch. Long (an hour or more on 2 cores), so not part of scripts/test.sh.
#
#   bash scripts/mutants.sh rust        cargo-mutants over src/ (.cargo/mutants.toml)
#   bash scripts/mutants.sh rust-wasm   cargo-mutants' mutants of wasm/src/, each built into pkg/
#                                       and tried against the package's JS tests
#   bash scripts/mutants.sh js          StrykerJS over the receivers, CLI and JS glue of pkg/
#
# Extra arguments go to cargo mutants (rust), e.g. `--file src/signature.rs`, or `--iterate` to
# try again only what the last run did not catch. For js, MUTATE=pkg/fetch.js,... narrows the
# files. Results: mutants.out/ (rust), test-output/mutants-wasm/ (rust-wasm),
# tests/mutants/reports/ (js); all git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
what=${1:-}
shift || true

case $what in
  rust)
    command -v cargo-mutants >/dev/null || cargo install --locked cargo-mutants --version 27.1.0
    exec nice -n 10 cargo mutants --no-shuffle "$@"
    ;;
  rust-wasm)
    command -v cargo-mutants >/dev/null || cargo install --locked cargo-mutants --version 27.1.0
    exec nice -n 10 bash tests/mutants/wasm-mutants.sh "$@"
    ;;
  js)
    # The sandbox takes the WebAssembly modules and the page from pkg/: build them from this source.
    bash scripts/build.sh
    (cd tests/mutants && { [ -f node_modules/.package-lock.json ] || npm ci --no-audit --no-fund; })
    export DMS_REPO=$PWD
    exec nice -n 10 tests/mutants/node_modules/.bin/stryker run tests/mutants/stryker.config.mjs "$@"
    ;;
  *)
    echo "usage: bash scripts/mutants.sh rust|rust-wasm|js [arguments]" >&2
    exit 2
    ;;
esac
