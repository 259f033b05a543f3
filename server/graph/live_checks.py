"""The graph checkers of the projects this process serves: a project's graph is re-checked only where it changed.

A checker keeps results under content (see `GraphChecker`), so nothing needs invalidating when a graph is
replaced by a PUT, a push or a reindex: its unchanged nodes are found again under their content, its new ones are
checked. A checker holds one catalogue; `load_catalogue` returns the same object while the pipeline and template
files are unchanged, so a changed catalogue is a new object and gets a new checker.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from server.graph.catalogue import Catalogue
from server.graph.validation import GraphChecker

# As many as the live graphs a process keeps (server.projects.live_graph): each holds one graph's results.
CHECKED_PROJECTS = 32


class GraphCheckers:
    def __init__(self, capacity: int = CHECKED_PROJECTS) -> None:
        self._capacity = capacity
        self._checkers: OrderedDict[str, GraphChecker] = OrderedDict()
        self._guard = threading.Lock()

    def for_project(self, project_id: str, catalogue: Catalogue) -> GraphChecker:
        with self._guard:
            checker = self._checkers.get(project_id)
            if checker is None or checker.catalogue is not catalogue:
                checker = self._checkers[project_id] = GraphChecker(catalogue)
            self._checkers.move_to_end(project_id)
            while len(self._checkers) > self._capacity:
                self._checkers.popitem(last=False)
            return checker


# One per process, beside the process's live graphs.
GRAPH_CHECKERS = GraphCheckers()
