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

ensure_frontend_tools() {  # canvas_frontend's npm packages (SvelteKit, Svelte Flow, Vitest, the type generator)
  command -v npm >/dev/null || apt_install nodejs npm
  local stamp=canvas_frontend/node_modules/.package-lock.sha256 want
  want=$(sha256sum canvas_frontend/package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "installing canvas_frontend npm packages"
  npm ci --prefix canvas_frontend --no-audit --no-fund >/dev/null
  echo "$want" >"$stamp"
}

frontend_sources_hash() {  # everything the built canvas depends on
  (cd canvas_frontend && find src -type f -print0 | sort -z | xargs -0 sha256sum
   sha256sum package.json package-lock.json svelte.config.js vite.config.ts tsconfig.json) | sha256sum | cut -d' ' -f1
}

ensure_frontend_build() {  # canvas_frontend/build, served by the studio at /; rebuilt only when its sources changed
  ensure_frontend_tools
  local stamp=canvas_frontend/build/.sources.sha256 want
  want=$(frontend_sources_hash)
  if [ -f canvas_frontend/build/index.html ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "building the canvas (canvas_frontend/build)"
  npm run --prefix canvas_frontend --silent build >/dev/null
  echo "$want" >"$stamp"
}

cmd_up() {
  ensure_base
  ensure_frontend_build
  exec "$VENV/bin/studio" up "$@"
}

DOCKERD_PID=
stop_dockerd() { [ -z "$DOCKERD_PID" ] || { kill "$DOCKERD_PID" 2>/dev/null; wait "$DOCKERD_PID" 2>/dev/null || true; }; }

start_dockerd() {  # start_dockerd STORAGE_DRIVER : start dockerd in the background, wait for its socket
  say "starting dockerd ($1)"
  local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo  # not as_root: $! must be dockerd (or sudo), not a subshell
  $sudo dockerd --storage-driver="$1" --iptables=false --bridge=none >"test-artifacts/dockerd-$1.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && return 0
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.5
  done
  stop_dockerd; DOCKERD_PID=
  return 1
}

# The Function Runner's Docker tests need a real engine: use the running one, or start one
# (ENVIRONMENT.md recipe). Without one they fail, unless STUDIO_TEST_DOCKER=0 declares it unavailable.
ensure_docker() {
  if [ "${STUDIO_TEST_DOCKER:-}" = 0 ]; then say "Docker tests skipped (STUDIO_TEST_DOCKER=0)"; return 0; fi
  apt_install docker.io debootstrap docker-compose  # docker-compose: the compose test (deploy/docker-compose.yml)
  if ! docker info >/dev/null 2>&1; then
    trap stop_dockerd EXIT
    start_dockerd overlay2 || start_dockerd vfs || {
      echo "error: could not start dockerd (see test-artifacts/dockerd-*.log); the docker tests will fail." \
        "Set STUDIO_TEST_DOCKER=0 only on a machine that cannot run Docker." >&2
      return 0
    }
  fi
  export STUDIO_TEST_DOCKER=1
  say "pipeline images (rebuilt only when their recipe changed)"
  "$VENV/bin/studio" pipelines build
}

cmd_test() {
  # The stack virtualenvs and wheelhouses (gigabytes, minutes to build) are kept per recipe hash in the
  # user's cache, so every checkout and clone on the machine shares them (built under a lock, moved into
  # place whole); `studio pipelines build` below and every test process use them.
  export STUDIO_STACKS_DIR="${STUDIO_STACKS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/generative-media-studio/stacks}"
  ensure_base
  apt_install postgresql ffmpeg espeak-ng chromium  # chromium: the browser tests (Playwright drives it)
  ensure_frontend_build
  mkdir -p test-artifacts
  # Two statements, not `a && b`: under `set -e` a failing left side of && does not stop the script.
  say "ruff";           "$VENV/bin/ruff" check .; "$VENV/bin/ruff" format --check .
  say "mypy";           "$VENV/bin/mypy"
  say "import-linter";  "$VENV/bin/lint-imports"
  say "prettier";       npm run --prefix canvas_frontend --silent format:check
  say "svelte-check";   npm run --prefix canvas_frontend --silent check
  say "vitest";         npm test --prefix canvas_frontend --silent
  ensure_docker
  # One worker per core, at most 4 (a worker may run a model, a studio and a browser at once), a test file to
  # a worker, so a file's module fixtures (a warm pipeline, a studio) start once; `-n 0` runs in one process.
  local workers; workers=$(nproc); [ "$workers" -le 4 ] || workers=4
  say "pytest ($workers workers)"
  "$VENV/bin/pytest" -n "$workers" --dist loadfile "$@"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  test) shift; cmd_test "$@" ;;
  *) echo "usage: ./dev.sh up [--host H] [--port P] | ./dev.sh test [pytest args]" >&2; exit 2 ;;
esac
