"""Who imports whom among the studio's packages (grimp, which import-linter ships), with the cycles between them:
packages that import each other, and every larger ring (packages that reach each other through others).

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


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for target in edges.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def rings(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected sets of packages (each reaches every other): what a layering cannot order."""
    reach = {package: reachable(edges, package) for package in edges}
    found: list[list[str]] = []
    for package in sorted(edges):
        ring = sorted(other for other in reach[package] if package in reach.get(other, ()))
        if len(ring) > 1 and ring not in found:
            found.append(ring)
    return found


def main() -> None:
    edges = package_imports()
    for source in sorted(edges):
        print(f"{source:22} -> {', '.join(sorted(edges[source]))}")
    cycles = [f"{a} <-> {b}" for a in sorted(edges) for b in sorted(edges[a]) if a < b and a in edges.get(b, ())]
    print("cycles:", ", ".join(cycles) or "none")
    print("rings:", "; ".join(" / ".join(ring) for ring in rings(edges)) or "none")


if __name__ == "__main__":
    main()
