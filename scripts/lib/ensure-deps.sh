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
