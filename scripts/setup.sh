#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test dms-webhook. Idempotent:
# every step is skipped when its result is already there. Quiet on success; on
# failure it prints the failing step's full output and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

fail() {
  echo "setup: FAILED: $1" >&2
  [ -s "$log" ] && cat "$log" >&2
  exit 1
}
# step "what" command...: runs the command with its output captured, shown only on failure.
step() {
  local what=$1
  shift
  "$@" >"$log" 2>&1 || fail "$what"
}
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed (${2:-})"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

need node "Node.js >= 20.19"
need npm "npm ships with Node.js"
need cargo "Rust by rustup: https://rustup.rs"
need rustup "Rust by rustup: https://rustup.rs"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || fail "Node.js $(node --version) is too old: >= 20.19 is needed (require() of ES modules)"

# Rust: the wasm target, rustfmt and clippy.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown
fi
for c in rustfmt clippy; do
  if ! cargo "${c/rustfmt/fmt}" --version >/dev/null 2>&1; then
    step "rustup component add $c" rustup component add "$c"
  fi
done

# npm_deps DIR CHECK: installs DIR's npm dependencies from its lock file, skipped when
# node_modules was installed from the current lock file and CHECK (a path under DIR) exists.
npm_deps() {
  local dir=$1 check=$2
  if [ -f "$dir/node_modules/.package-lock.json" ] \
    && [ ! "$dir/package.json" -nt "$dir/node_modules/.package-lock.json" ] \
    && { [ ! -f "$dir/package-lock.json" ] || [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; } \
    && [ -e "$dir/$check" ]; then
    return 0
  fi
  if [ -f "$dir/package-lock.json" ]; then
    # npm ci refuses a lock file that lacks the platform packages of deno a registry mirror
    # does not carry (only the linux-x64 one is needed here); npm install takes the same
    # lock file and leaves it as it is.
    if ! (cd "$dir" && npm ci --no-audit --no-fund) >"$log" 2>&1; then
      grep -q 'in sync' "$log" || fail "npm ci in $dir"
      step "npm install in $dir" bash -c "cd '$dir' && npm install --no-audit --no-fund"
    fi
  else
    step "npm install in $dir" bash -c "cd '$dir' && npm install --no-audit --no-fund"
  fi
  touch "$dir/node_modules/.package-lock.json"
}

# npm devDependencies (wasm-opt from binaryen, esbuild, Deno, Bun, Miniflare, ...).
npm_deps . node_modules/.bin/wasm-opt
for bin in wasm-opt deno bun; do
  [ -x "node_modules/.bin/$bin" ] || fail "node_modules/.bin/$bin is missing after npm install"
done

# The consumer matrix's tools (bundlers, Next.js, TypeScript, other Node versions...), pinned in
# tests/consumers/package.json and shared by every consumer project there.
npm_deps tests/consumers node_modules/next/package.json

# A C++ compiler: compiling the fuzz targets (scripts/test.sh) builds libFuzzer's C++ sources.
if ! command -v c++ >/dev/null 2>&1; then
  echo "setup: installing g++ from apt..." >&2
  step "apt-get update" as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  step "apt-get install g++" as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends g++
fi

# Chromium for the browser tests, from Debian.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "setup: installing chromium and chromium-driver from apt..." >&2
  step "apt-get update" as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  step "apt-get install chromium chromium-driver" \
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi
exit 0
