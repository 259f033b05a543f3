"""Who imports whom among the studio's packages (grimp, which import-linter ships), with the cycles between them.

Run: .venv/bin/python -m tests.support.import_graph            (this checkout)
     cd /tmp && PYTHONPATH=/other/checkout /path/to/.venv/bin/python /path/to/tests/support/import_graph.py
         (another checkout, e.g. main: outside a checkout, so `-m`'s current directory does not come first)
"""

from __future__ import annotations

import grimp

ROOTS = ("server", "function_runner", "schemas")


def package_of(module: str) -> str:
    """server.jobs.lifecycle -> server.jobs; function_runner.jobs -> function_runner."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "server" and len(parts) > 1 else parts[0]


def package_imports() -> dict[str, set[str]]:
    graph = grimp.build_graph(*ROOTS)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            source, target = package_of(module), package_of(imported)
            if source != target:
                edges.setdefault(source, set()).add(target)
    return edges


def main() -> None:
    edges = package_imports()
    for source in sorted(edges):
        print(f"{source:22} -> {', '.join(sorted(edges[source]))}")
    cycles = [f"{a} <-> {b}" for a in sorted(edges) for b in sorted(edges[a]) if a < b and a in edges.get(b, ())]
    print("cycles:", ", ".join(cycles) or "none")


if __name__ == "__main__":
    main()
