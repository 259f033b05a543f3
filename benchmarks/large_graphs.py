"""Issue 23's numbers in one run: the realtime, graph compile and canvas benchmarks, one after the other.

Run: .venv/bin/python -m benchmarks.large_graphs   (minutes; each part prints its table against its goal)
     .venv/bin/python -m benchmarks.large_graphs --baseline DIR --parts realtime graph_compile
       also runs each part from DIR, another checkout of the studio (e.g. `git worktree add DIR main`), first,
       so before and after are measured in one run on the same machine; the canvas part runs once, its page
       loads alternating between DIR's studio and this one (DIR's canvas built: canvas_render.py).
Each part runs in its own interpreter, so one part's warm caches and garbage do not reach the next.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

PARTS = ("realtime", "graph_compile", "canvas_render")
HERE = Path(__file__).resolve().parent.parent


def run_part(module: str, checkout: Path, *args: str) -> bool:
    # The checkout's own packages come first on the path: its server, its graph compiler, its benchmarks.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(checkout), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", module, *args]
    return subprocess.run(command, cwd=checkout, env=env, check=False).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to measure first (before)")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    args = parser.parse_args()
    checkouts = [("before", args.baseline.resolve()), ("after", HERE)] if args.baseline else [("", HERE)]
    failed = []
    for part in args.parts:
        if part == "canvas_render" and args.baseline:  # one run, the two studios' page loads interleaved
            print(f"\n## {part} — this checkout against {args.baseline}\n", flush=True)
            if not run_part(f"benchmarks.{part}", HERE, "--baseline", str(args.baseline.resolve())):
                failed.append(part)
            continue
        for label, checkout in checkouts:
            print(f"\n## {part}{f' — {label} ({checkout})' if label else ''}\n", flush=True)
            if not run_part(f"benchmarks.{part}", checkout):
                failed.append(f"{part} {label}".strip())
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
