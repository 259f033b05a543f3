"""Every example under schemas/examples/ validates (valid/) or is refused (invalid/) by schema and model."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from schemas import GENERATED_MODELS, SCHEMA_DIR, describe_errors, validator

EXAMPLES = SCHEMA_DIR / "examples"
CASES = sorted(EXAMPLES.glob("*/*/*.json"))


def _model_for(schema_name: str) -> type[BaseModel]:
    module = importlib.import_module(f"schemas.models.{GENERATED_MODELS[schema_name]}")
    title = json.loads((SCHEMA_DIR / f"{schema_name}.schema.json").read_text())["title"]
    model: type[BaseModel] = getattr(module, title)
    return model


def test_every_schema_with_a_model_has_valid_and_invalid_examples() -> None:
    for name in ("project-manifest", "canvas-graph"):
        assert list((EXAMPLES / name / "valid").glob("*.json")), name
        assert list((EXAMPLES / name / "invalid").glob("*.json")), name


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.stem}")
def test_example_is_judged_alike_by_schema_and_model(path: Path) -> None:
    schema_name, verdict = path.parent.parent.name, path.parent.name
    document = json.loads(path.read_text(encoding="utf-8"))
    schema_ok = validator(schema_name).is_valid(document)
    try:
        _model_for(schema_name).model_validate(document)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert schema_ok is (verdict == "valid"), describe_errors(schema_name, document)
    assert model_ok is schema_ok, "the generated model and the JSON Schema disagree"


def test_describe_errors_names_the_path_at_fault() -> None:
    document = json.loads((EXAMPLES / "project-manifest/invalid/unknown-quality.json").read_text())
    assert describe_errors("project-manifest", document) == [
        "project_settings/quality: 'ultra' is not one of ['low', 'standard', 'high']"
    ]


def test_valid_model_round_trips_to_the_same_document() -> None:
    path = EXAMPLES / "canvas-graph/valid/shot-with-pipeline.json"
    document = json.loads(path.read_text())
    graph = _model_for("canvas-graph").model_validate(document)
    assert graph.model_dump(mode="json", exclude_unset=True) == document
