"""Finding the cycles of a directed graph (Tarjan's strongly connected components, iteratively)."""

from __future__ import annotations

from collections.abc import Iterable


def find_cycles(nodes: Iterable[str], successors: dict[str, list[str]]) -> list[list[str]]:
    """Every group of nodes that reach each other (including a node feeding itself), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(successors.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in successors.get(node, ()):
                    cycles.append(sorted(component))
    return cycles


def topological_order(nodes: list[str], successors: dict[str, list[str]]) -> list[str]:
    """A topological order (Kahn) of the acyclic graph on `nodes`; edges to other nodes are ignored."""
    indegree = dict.fromkeys(nodes, 0)
    for node in nodes:
        for child in successors.get(node, ()):
            if child in indegree:
                indegree[child] += 1
    ready = [n for n in reversed(nodes) if indegree[n] == 0]
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for child in successors.get(node, ()):
            if child in indegree:
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
    return order
