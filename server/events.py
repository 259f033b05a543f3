"""Server → client events: the models generated from schemas/ws-events, the name each is sent under, and the one
sink services publish through (realtime implements it)."""

from __future__ import annotations

import types
import typing
from typing import Any, Protocol

from pydantic import BaseModel

from schemas.models.ws_events import (
    ServerConflict,
    ServerError,
    ServerFullSync,
    ServerGraphPatch,
    ServerGraphPatches,
    ServerNodeStateUpdated,
    ServerNotification,
    ServerRendersUpdated,
    ServerTakesUpdated,
    ServerTaskFailed,
    ServerTaskProgress,
    ServerTaskSuccess,
    WsEvents,
)

ServerEvent = (
    ServerGraphPatch
    | ServerGraphPatches
    | ServerFullSync
    | ServerConflict
    | ServerError
    | ServerNodeStateUpdated
    | ServerTaskProgress
    | ServerTaskSuccess
    | ServerTaskFailed
    | ServerTakesUpdated
    | ServerRendersUpdated
    | ServerNotification
)


def _names_by_model() -> dict[type[BaseModel], str]:
    """Each server event's model -> its name, read off the schema's top level ("server:task_progress": ...)."""
    names: dict[type[BaseModel], str] = {}
    for field in WsEvents.model_fields.values():
        if field.alias is None or not field.alias.startswith("server:"):
            continue
        annotation = field.annotation
        models = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
        model = next(m for m in models if isinstance(m, type) and issubclass(m, BaseModel))
        names[model] = field.alias
    return names


EVENT_NAMES: dict[type[BaseModel], str] = _names_by_model()


def event_name(event: ServerEvent) -> str:
    return EVENT_NAMES[type(event)]


def wire_payload(event: ServerEvent) -> dict[str, Any]:
    """The event as JSON data: fields given (a null included) are sent, defaults nobody set are not."""
    return event.model_dump(mode="json", by_alias=True, exclude_unset=True)


class EventSink(Protocol):
    """Delivers an event to every client that has the project open (in any server process), or, for `None`, to
    every administrator's client (the studio's own tasks: model pulls)."""

    def publish(self, project_id: str | None, event: ServerEvent) -> None: ...
