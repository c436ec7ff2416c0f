#!/usr/bin/env bash
# Quick start, command 2: run every test (unit, Lua host, end-to-end CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ensure-deps.sh
standby_ensure_deps || exit 1
standby_ensure_python || exit 1
exec swift test "$@"
