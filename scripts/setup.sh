#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test dms-webhook. Idempotent:
# every step is skipped when its result is already there. Quiet on success; on
# failure it prints the failing step's full output and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

WASM_BINDGEN_VERSION=0.2.130
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

# wasm-bindgen CLI, the exact version the crate pins. One install at a time on the
# machine: wait for any cargo install already running, and take a lock for our own.
wasm_bindgen_ok() { wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; }
if ! wasm_bindgen_ok; then
  mkdir -p "${CARGO_HOME:-$HOME/.cargo}"
  exec 9>"${CARGO_HOME:-$HOME/.cargo}/.dms-webhook-setup.lock"
  flock 9
  waited=0
  while pgrep -f 'cargo install' >/dev/null 2>&1; do
    [ "$waited" = 0 ] && echo "setup: waiting for a cargo install already running..." >&2
    waited=$((waited + 5))
    [ "$waited" -gt 3600 ] && fail "a cargo install has been running for over an hour"
    sleep 5
  done
  if ! wasm_bindgen_ok; then
    echo "setup: installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)..." >&2
    # --locked first (the CLI's own lock file); when the registry index lacks a
    # locked version (seen with mirrored indexes), resolve afresh instead.
    if ! cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force >"$log" 2>&1; then
      grep -q 'failed to select a version' "$log" || fail "cargo install --locked wasm-bindgen-cli $WASM_BINDGEN_VERSION"
      step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION" \
        cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
    fi
  fi
  wasm_bindgen_ok || fail "wasm-bindgen $WASM_BINDGEN_VERSION is not on PATH after install"
  exec 9>&-
fi

# npm devDependencies (wasm-opt from binaryen, Deno, Bun, Miniflare, ...). Skipped
# when node_modules was installed from the current lock file.
if [ ! -f node_modules/.package-lock.json ] \
  || [ package.json -nt node_modules/.package-lock.json ] \
  || { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.package-lock.json ]; } \
  || [ ! -x node_modules/.bin/wasm-opt ]; then
  if [ -f package-lock.json ]; then
    # npm ci refuses a lock file that lacks the platform packages of deno a registry mirror
    # does not carry (only the linux-x64 one is needed here); npm install takes the same
    # lock file and leaves it as it is.
    if ! npm ci --no-audit --no-fund >"$log" 2>&1; then
      grep -q 'in sync' "$log" || fail "npm ci"
      step "npm install" npm install --no-audit --no-fund
    fi
  else
    step "npm install" npm install --no-audit --no-fund
  fi
  touch node_modules/.package-lock.json
fi
for bin in wasm-opt deno bun; do
  [ -x "node_modules/.bin/$bin" ] || fail "node_modules/.bin/$bin is missing after npm install"
done

# Chromium for the browser tests, from Debian.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "setup: installing chromium and chromium-driver from apt..." >&2
  step "apt-get update" as_root env DEBIAN_FRONTEND=noninteractive apt-get update
  step "apt-get install chromium chromium-driver" \
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi
exit 0
