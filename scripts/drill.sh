#!/usr/bin/env bash
# Quick start, command 1: build Standby and run the scripted drill on the embedded sample estate.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ensure-deps.sh
standby_ensure_deps || exit 1
swift build -c release --product standby >&2
exec .build/release/standby run scripts/drill.lua "$@"
