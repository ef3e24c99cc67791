#!/usr/bin/env bash
# The main job: install what is missing, build pkg/, then serve the page at GET / and a
# verifying DMS receiver (`dms-webhook listen`). Extra arguments go to the listener,
# e.g. `bash scripts/run.sh --port 8080` (see `node pkg/cli.js --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec node pkg/cli.js listen "$@"
