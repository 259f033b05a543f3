"""Issue 23's numbers in one run: the realtime, graph compile and canvas benchmarks, one after the other.

Run: .venv/bin/python -m benchmarks.large_graphs   (minutes; each part prints its table against its goal)
Each part runs in its own interpreter, so one part's warm caches and garbage do not reach the next.
"""

from __future__ import annotations

import subprocess
import sys

PARTS = ("benchmarks.realtime", "benchmarks.graph_compile", "benchmarks.canvas_render")


def main() -> int:
    failed = []
    for module in PARTS:
        print(f"\n## {module}\n", flush=True)
        if subprocess.run([sys.executable, "-m", module], check=False).returncode != 0:
            failed.append(module)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
