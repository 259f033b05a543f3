#!/usr/bin/env bash
# The two set-up commands of the README:
#   ./dev.sh up   [--host H] [--port P]   install what is missing, start the studio (embedded default)
#   ./dev.sh test [pytest args]           install what is missing, run linters, type checks and all tests
set -euo pipefail
cd "$(dirname "$0")"

UV_VERSION=0.9.5
VENV=.venv

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "error: need root to run: $*" >&2; exit 1; fi
}

APT_UPDATED=
apt_install() {  # apt_install PACKAGE... : install the Debian packages that are missing
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "error: please install: ${missing[*]} (no apt-get on this machine)" >&2; exit 1
  fi
  say "installing ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_python() {
  local stamp="$VENV/.requirements.sha256" want
  want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing Python dependencies into $VENV"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip --version >/dev/null 2>&1 || "$VENV/bin/python" -m ensurepip >/dev/null
  "$VENV/bin/python" -m pip install -q "uv==$UV_VERSION"
  "$VENV/bin/uv" pip sync -q --python "$VENV/bin/python" requirements.lock
  "$VENV/bin/uv" pip install -q --python "$VENV/bin/python" --no-deps -e .
  echo "$want" >"$stamp"
}

ensure_base() {
  apt_install git git-lfs
  ensure_python
}

ensure_frontend_tools() {  # the npm packages the tests use (TypeScript types generated from schemas/)
  command -v npm >/dev/null || apt_install nodejs npm
  local stamp=canvas_frontend/node_modules/.package-lock.sha256 want
  want=$(sha256sum canvas_frontend/package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing canvas_frontend npm packages"
  npm ci --prefix canvas_frontend --no-audit --no-fund >/dev/null
  echo "$want" >"$stamp"
}

cmd_up() {
  ensure_base
  exec "$VENV/bin/studio" up "$@"
}

cmd_test() {
  ensure_base
  apt_install postgresql
  ensure_frontend_tools
  mkdir -p test-artifacts
  say "ruff";           "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check .
  say "mypy";           "$VENV/bin/mypy"
  say "import-linter";  "$VENV/bin/lint-imports"
  say "pytest"
  "$VENV/bin/pytest" "$@"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: ./dev.sh up [--host H] [--port P] | ./dev.sh test [pytest args]" >&2; exit 2 ;;
esac
