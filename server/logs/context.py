"""What a log line belongs to (the HTTP request, the task, the project), carried in context variables: set where it
becomes known, read by the formatter, and forwarded to Celery with the task the request starts."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
task_id: ContextVar[str | None] = ContextVar("task_id", default=None)
project_id: ContextVar[str | None] = ContextVar("project_id", default=None)
FIELDS = {"request_id": request_id, "task_id": task_id, "project_id": project_id}

# A client's X-Request-ID is kept only when it cannot forge log lines or bloat them: bounded, no spaces or newlines.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=-]{1,128}")


def sane_request_id(offered: str | None) -> str:
    """The client's id when it is sane, else a fresh one (never the hostile value echoed back)."""
    if offered is not None and _SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


@contextmanager
def bound(**values: str | None) -> Iterator[None]:
    """Set some of FIELDS for the duration of a block (a request, a task), then restore them."""
    tokens = [(FIELDS[name], FIELDS[name].set(value)) for name, value in values.items()]
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


def known() -> dict[str, str]:
    """The fields set for the current line."""
    return {name: value for name, variable in FIELDS.items() if (value := variable.get()) is not None}
