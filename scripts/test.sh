#!/usr/bin/env bash
# Quick start, command 2: run every test (unit, Lua host, end-to-end CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/ensure-deps.sh
standby_ensure_deps || exit 1
standby_ensure_python || exit 1
# The image test builds with podman; the lint tests run shellcheck and luacheck; the fleet tests
# push metrics to a real Pushgateway on 127.0.0.1; the report page test loads report.html in
# headless Chromium.
standby_ensure_commands podman:podman shellcheck:shellcheck luacheck:lua-check \
  prometheus-pushgateway:prometheus-pushgateway chromium:chromium || exit 1
# The install and image tests install from this release build (Swift runtime linked statically).
standby_ensure_static_deps || exit 1
swift build -c release --static-swift-stdlib --product standby --scratch-path .build-install >&2
exec swift test "$@"
