"""Checking values against a JSON Schema quickly: jsonschema-rs decides, jsonschema explains.

Graph validation checks every node's params on every call (2,000 nodes: ~1 ms with jsonschema-rs,
~40 ms with jsonschema); only a value that fails is checked again to word the problems the same
way as every other schema message of the studio (schemas.describe_errors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator


@dataclass(frozen=True)
class SchemaCheck:
    fast: jsonschema_rs.Draft202012Validator
    detailed: Draft202012Validator

    @classmethod
    def of(cls, schema: dict[str, Any]) -> SchemaCheck:
        """Raises jsonschema.exceptions.SchemaError when `schema` is not a valid JSON Schema."""
        Draft202012Validator.check_schema(schema)
        return cls(jsonschema_rs.Draft202012Validator(schema), Draft202012Validator(schema))

    def problems(self, value: Any) -> list[str]:
        """'path: message' for each way `value` breaks the schema; empty when it conforms."""
        try:
            if self.fast.is_valid(value):
                return []
        except ValueError:
            pass  # a value no JSON document holds (e.g. non-string keys): the detailed check words it
        return [
            f"{'/'.join(str(p) for p in error.absolute_path) or '(data)'}: {error.message}"
            for error in self.detailed.iter_errors(value)
        ]
