#!/usr/bin/env bash
# Builds the Standby image: scripts/container/build.sh [TAG]   (default standby:latest)
#
# 1. scripts/install.sh into a staging root filesystem (prefix /usr/local);
# 2. the shared libraries the binary links (as ldd resolves them, with the dynamic loader), the
#    system's CA bundle, /etc/passwd and /etc/group with the user standby (65532), /tmp, /work;
# 3. podman build FROM scratch with scripts/container/Containerfile.
# podman (Debian package) is installed when missing. STANDBY_SCRATCH is passed to install.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
. scripts/lib/ensure-deps.sh
standby_ensure_deps || exit 1
standby_ensure_commands podman:podman || exit 1
tag="${1:-standby:latest}"

context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
root="$context/rootfs"
mkdir -p "$root"
scripts/install.sh "$root/usr/local" >&2

# The binary's shared libraries at the paths the loader looks for them.
binary="$root/usr/local/bin/standby"
libraries=$(ldd "$binary" | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }')
[ -n "$libraries" ] || { echo "container: ldd found no libraries for $binary" >&2; exit 1; }
for lib in $libraries; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
# The loader also answers at /lib64 on x86_64 when the interpreter is named that way.
if [ -e /lib64/ld-linux-x86-64.so.2 ] && [ ! -e "$root/lib64/ld-linux-x86-64.so.2" ]; then
    mkdir -p "$root/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
fi

# /proc, /sys and /dev are mount points the runtime fills (the Swift runtime reads its arguments
# from /proc/self/cmdline).
mkdir -p "$root/etc/ssl/certs" "$root/tmp" "$root/work" "$root/home/standby" "$root/proc" "$root/sys" "$root/dev"
chmod 1777 "$root/tmp"
chmod 0777 "$root/work"
chown 65532:65532 "$root/home/standby" 2>/dev/null || chmod 0777 "$root/home/standby"
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
else
    echo "container: /etc/ssl/certs/ca-certificates.crt is absent (Debian package ca-certificates): the image will trust no TLS server" >&2
fi
printf 'root:x:0:0:root:/root:/sbin/nologin\nstandby:x:65532:65532:standby:/home/standby:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nstandby:x:65532:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"

cp "$here/Containerfile" "$context/Containerfile"
podman build --quiet -t "$tag" -f "$context/Containerfile" "$context" >&2
echo "$tag"
