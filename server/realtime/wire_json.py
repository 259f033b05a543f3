"""JSON codec for Socket.IO packets: orjson, fast enough for 2,000-node graphs and able to splice a stored
graph into a packet unparsed (orjson.Fragment)."""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(obj: Any, **_python_json_options: Any) -> str:
    return orjson.dumps(obj).decode()


def _name_non_json_constant(constant: str) -> str:
    # NaN and Infinity are not JSON. Kept as a marker string, the payload then fails schema validation
    # with a message naming the value, instead of the whole packet being dropped unanswered.
    return f"{constant} (not a JSON number)"


def loads(text: str | bytes, **_python_json_options: Any) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text, parse_constant=_name_non_json_constant)
