#!/usr/bin/env bash
# Builds the offline base root filesystem from Debian packages and imports it as a Docker image.
#   build-rootfs.sh TAG
# No image registry is reachable on the studio's machines (ENVIRONMENT.md), so the image that
# python:3.11-slim stands for elsewhere is made here with debootstrap + docker import. Everything a
# CPU pipeline needs comes from Debian at this step: pip cannot reach the index inside builds.
set -euo pipefail
tag=${1:?usage: build-rootfs.sh TAG}
# libpython3.11: torchcodec (through which the f5 stack's torchaudio reads audio) links the shared libpython,
# which python:3.11-slim has and Debian's python3 does not install.
packages=python3,libpython3.11,python3-numpy,python3-pil,ffmpeg,espeak-ng
rootfs=$(mktemp -d /var/tmp/studio-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" >"$rootfs.log" 2>&1 \
  || { tail -20 "$rootfs.log" >&2; exit 1; }
rm -f "$rootfs.log"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | docker import -c 'ENV LANG=C.UTF-8' - "$tag" >/dev/null
echo "$tag"
