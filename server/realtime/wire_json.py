"""JSON codec for Socket.IO packets: orjson, fast enough for 2,000-node graphs and able to splice a stored
graph into a packet unparsed (orjson.Fragment)."""

from __future__ import annotations

from typing import Any

import orjson


def dumps(obj: Any, **_python_json_options: Any) -> str:
    return orjson.dumps(obj).decode()


def loads(text: str | bytes, **_python_json_options: Any) -> Any:
    return orjson.loads(text)
