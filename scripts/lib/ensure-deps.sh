# shellcheck shell=bash
# Sourced by the scripts a fresh machine runs (drill.sh, test.sh, bench.sh, install.sh): installs
# the Debian packages Standby needs when they are missing. Nothing else is downloaded.

# standby_apt_install PACKAGE...: installs Debian packages with apt-get, as root directly or
# through sudo. Fails, saying what to run, when neither is possible.
standby_apt_install() {
    [ $# -gt 0 ] || return 0
    local -a as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "standby: $* must be installed and this user is not root and has no sudo; as root run:" >&2
            echo "    apt-get install -y $*" >&2
            return 1
        fi
        as_root=(sudo)
    fi
    echo "standby: installing $* (Debian packages)" >&2
    # env sets the variable for apt-get whether or not sudo is in front of it.
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
        "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# The system libraries Standby links (found by pkg-config) and the toolchain on PATH.
standby_ensure_deps() {
    local -a need=()
    if command -v pkg-config >/dev/null 2>&1; then
        pkg-config --exists lua5.4 2>/dev/null || need+=(liblua5.4-dev)
        pkg-config --exists libcurl 2>/dev/null || need+=(libcurl4-openssl-dev)
        pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev)
        pkg-config --exists libarchive 2>/dev/null || need+=(libarchive-dev)
    else
        need+=(pkg-config liblua5.4-dev libcurl4-openssl-dev libssl-dev libarchive-dev)
    fi
    # Graphviz lays out report.html's dependency graph (without it the page uses its own layout).
    command -v dot >/dev/null 2>&1 || need+=(graphviz)
    standby_apt_install "${need[@]}" || return 1
    if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 || {
        echo "standby: swift is not on PATH (nor at /opt/swift/usr/bin): install a Swift 6 toolchain from swift.org" >&2
        return 1
    }
}

# What a release build with the Swift runtime linked statically (--static-swift-stdlib: install.sh,
# and the install and image tests) links besides: static Foundation brings its XML support, which
# links libxml2. Swift's own install instructions list libxml2-dev; a machine may still lack it.
standby_ensure_static_deps() {
    if pkg-config --exists libxml-2.0 2>/dev/null; then return 0; fi
    standby_apt_install libxml2-dev
}

# Commands from Debian packages that only some scripts need: standby_ensure_commands CMD:PKG...
standby_ensure_commands() {
    local -a need=()
    local pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
    done
    standby_apt_install "${need[@]}"
}

# The Python checkers the tests run on generated artifacts (kubernetes-validate, the Azure SDK
# models) and moto: a virtual environment at .venv (ignored by git, like .build) with the pinned
# PyPI packages of scripts/validate/requirements.txt, created or refreshed when they change.
standby_ensure_python() {
    local venv=".venv" req="scripts/validate/requirements.txt"
    if [ -x "$venv/bin/python" ] && cmp -s "$req" "$venv/requirements.txt"; then return 0; fi
    if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        standby_apt_install python3-venv || return 1
    fi
    echo "standby: installing the Python schema checkers and moto into $venv (PyPI)" >&2
    python3 -m venv "$venv" >&2 &&
        "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2 &&
        cp "$req" "$venv/requirements.txt"
}
