"""The committed Python models are exactly what schemas/generate.py makes from the schemas today."""

from __future__ import annotations

import pytest

from schemas import GENERATED_MODELS
from schemas.generate import MODELS_DIR, REGENERATE_COMMAND, render_model


@pytest.mark.parametrize("name", sorted(GENERATED_MODELS))
def test_generated_model_matches_its_schema(name: str) -> None:
    committed = (MODELS_DIR / f"{GENERATED_MODELS[name]}.py").read_text(encoding="utf-8")
    assert committed == render_model(name), (
        f"schemas/models/{GENERATED_MODELS[name]}.py is out of date with schemas/{name}.schema.json; "
        f"run `{REGENERATE_COMMAND}` and commit the result"
    )
