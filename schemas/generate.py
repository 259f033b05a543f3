"""Regenerates the Python models in schemas/models/ from the JSON Schemas.

Run: .venv/bin/python -m schemas.generate   (tests/schemas/test_drift.py fails when this is due)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from schemas import GENERATED_MODELS, SCHEMA_DIR, schema_path

MODELS_DIR = SCHEMA_DIR / "models"
REGENERATE_COMMAND = ".venv/bin/python -m schemas.generate"
HEADER = f"# Generated from schemas/{{name}}.schema.json by `{REGENERATE_COMMAND}`. Do not edit."


def render_model(name: str) -> str:
    """The Python source generated from one schema, exactly as it is committed."""
    codegen = Path(sys.executable).with_name("datamodel-codegen")
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "model.py"
        subprocess.run(
            [
                str(codegen),
                "--input",
                str(schema_path(name)),
                "--input-file-type",
                "jsonschema",
                "--output",
                str(output),
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--target-python-version",
                "3.11",
                "--use-annotated",
                "--field-constraints",
                "--use-standard-collections",
                "--use-union-operator",
                "--use-schema-description",
                "--use-title-as-name",
                "--collapse-root-models",
                "--use-double-quotes",
                "--disable-timestamp",
                "--formatters",
                "ruff-format",
                "--custom-file-header",
                HEADER.format(name=name),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return output.read_text(encoding="utf-8")


def main() -> None:
    MODELS_DIR.mkdir(exist_ok=True)
    for name, module in GENERATED_MODELS.items():
        target = MODELS_DIR / f"{module}.py"
        target.write_text(render_model(name), encoding="utf-8")
        print(f"wrote {target.relative_to(SCHEMA_DIR.parent)}")


if __name__ == "__main__":
    main()
