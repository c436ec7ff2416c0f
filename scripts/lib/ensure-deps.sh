# Sourced by scripts/drill.sh and scripts/test.sh: installs the system libraries Standby links
# (Debian packages) when they are missing. Nothing else is downloaded.
standby_ensure_deps() {
    local need=()
    pkg-config --exists lua5.4 2>/dev/null || need+=(liblua5.4-dev)
    pkg-config --exists libcurl 2>/dev/null || need+=(libcurl4-openssl-dev)
    pkg-config --exists openssl 2>/dev/null || need+=(libssl-dev)
    command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
    if [ ${#need[@]} -gt 0 ]; then
        echo "standby: installing ${need[*]} (Debian packages)" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq >&2 && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
    fi
    if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    fi
}

# The Python checkers the tests run on generated artifacts (kubernetes-validate, the Azure SDK
# models): a virtual environment at .venv with the pinned PyPI packages of
# scripts/validate/requirements.txt, created or refreshed when the requirements change.
standby_ensure_python() {
    local venv=".venv" req="scripts/validate/requirements.txt"
    if [ -x "$venv/bin/python" ] && cmp -s "$req" "$venv/requirements.txt"; then return; fi
    echo "standby: installing the Python schema checkers into $venv (PyPI)" >&2
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2
    cp "$req" "$venv/requirements.txt"
}
