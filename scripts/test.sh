#!/usr/bin/env bash
# Quick start, command 2: run every test (unit, Lua host, end-to-end CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ensure-deps.sh
standby_ensure_deps || exit 1
standby_ensure_python || exit 1
if [ ! -d ../shared/fixtures ] && [ -z "${STANDBY_SHARED:-}" ]; then
    echo "standby: ../shared/fixtures is absent; the fixture tests will fail and say so." >&2
fi
exec swift test "$@"
