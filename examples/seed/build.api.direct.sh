#!/usr/bin/env sh
# Build hook of the seed project: `./build.api.direct.sh <service> <os> <arch>` writes
# api/v1/<service>/boot.zip holding an executable `bootstrap` for provided.al2023.
#
# The origin project compiles a Dart backend to `bootstrap`; this example ships a tiny shell
# runtime instead (no Dart SDK needed) so the whole path runs anywhere. The zip is deterministic
# (fixed timestamps and modes): an unchanged service never changes its asset hash.
set -eu
service="${1:?usage: build.api.direct.sh <service> <os> <arch>}"
os="${2:-linux}"
arch="${3:-arm64}"
here="$(cd "$(dirname "$0")" && pwd)"
case "$service" in *[!a-zA-Z0-9_-]*) echo "bad service name: $service" >&2; exit 2 ;; esac
out="$here/api/v1/$service/boot.zip"
[ -d "$here/api/v1/$service" ] || { echo "no service folder api/v1/$service" >&2; exit 2; }
PYTHON="${PYTHON:-python3}"
"$PYTHON" "$here/runtime/make_zip.py" "$here/runtime/bootstrap" "$out"
echo "built $out ($os/$arch)"
