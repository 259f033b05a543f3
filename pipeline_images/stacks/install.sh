#!/bin/sh
# Installs one stack layer's packages into /opt/stack. The studio's builder (function_runner/images.py)
# runs it as root, without network, in a container of the image below the layer, and commits the container:
#   /tmp/stack/   this layer's requirements.txt, constraints.txt, no-deps.txt (may be empty) and uv.whl
#   /mnt/         the stack chain's wheelhouse, mounted read-only (so no wheel ever lands in a layer)
# uv, not pip: the same installer as the process backend's virtualenvs, and minutes faster on a CUDA torch.
set -eu
[ -x /opt/stack/bin/python ] || python3 -m venv --without-pip /opt/stack
python3 -m zipfile -e /tmp/stack/uv.whl /tmp/uv
uv=$(echo /tmp/uv/uv-*.data/scripts/uv)
chmod +x "$uv"
set -- pip install --no-progress --no-cache --python /opt/stack/bin/python --no-index --find-links /mnt
"$uv" "$@" -r /tmp/stack/requirements.txt -c /tmp/stack/constraints.txt
if [ -s /tmp/stack/no-deps.txt ]; then
  "$uv" "$@" --no-deps -c /tmp/stack/constraints.txt -r /tmp/stack/no-deps.txt
fi
rm -rf /tmp/stack /tmp/uv
