"""Manifest loading: every broken pipeline.json is refused with its pipeline, field and fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from function_runner.errors import ManifestError, PipelineNotFoundError
from function_runner.manifest import discover_pipelines, find_pipeline, load_pipeline
from tests.support.runner import PIPELINE_IMAGES, TEST_PIPELINES


def write(folder: Path, manifest: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = manifest if isinstance(manifest, str) else json.dumps(manifest)
    (folder / "pipeline.json").write_text(text)
    return folder


def valid(pipeline_id: str = "demo") -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((TEST_PIPELINES / "contract-probe" / "pipeline.json").read_text())
    manifest["id"] = pipeline_id
    return manifest


def test_a_valid_manifest_loads_with_its_defaults(tmp_path: Path) -> None:
    pipeline = load_pipeline(write(tmp_path / "demo", valid()))
    assert pipeline.id == "demo"
    assert pipeline.entrypoint == ("python3", "main.py")
    assert pipeline.timeout_s == 3
    assert pipeline.serve is False and pipeline.gpu is False


def test_every_shipped_pipeline_is_valid() -> None:
    ids = {pipeline.id for pipeline in discover_pipelines(PIPELINE_IMAGES)}
    assert {"t2i-sd1.5", "t2i-flux-schnell", "t2i-flux-dev-fp16", "t2v-wan2.1-1.3b", "cpu-storyboard"} <= ids
    assert not ids & {"base", "stacks", "noop", "noop-warm"}  # shared layers and test fixtures are no pipelines


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"inputs": [{"name": "text", "type": "Picture"}]}, "field inputs/0/type: 'Picture' is not one of"),
        ({"version": "1.0"}, "field version: '1.0' does not match"),
        ({"outputs": []}, "field outputs: [] should be non-empty"),
        ({"resources": {}}, "field resources: 'gpu' is a required property"),
        ({"image": "No Tag"}, "field image: 'No Tag' does not match"),
        ({"weights": [{"name": "w", "path": "../etc/passwd"}]}, "field weights/0/path"),
    ],
)
def test_schema_violations_name_the_field(tmp_path: Path, change: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ManifestError) as caught:
        load_pipeline(write(tmp_path / "demo", {**valid(), **change}))
    assert caught.value.message.startswith("Pipeline 'demo':")
    assert fragment in caught.value.message
    assert "Fix these fields" in caught.value.message


def test_invalid_json_is_reported_with_its_position(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"is not valid JSON \(Expecting .*line 1 column 2"):
        load_pipeline(write(tmp_path / "demo", "{,}"))


def test_the_id_must_match_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="field 'id' is 'other' but the folder is 'demo'"):
        load_pipeline(write(tmp_path / "demo", valid("other")))


def test_port_names_are_unique(tmp_path: Path) -> None:
    manifest = valid()
    manifest["inputs"] = [{"name": "text", "type": "String"}, {"name": "text", "type": "Integer"}]
    with pytest.raises(ManifestError, match="field 'inputs' names text more than once"):
        load_pipeline(write(tmp_path / "demo", manifest))


def test_params_must_be_a_json_schema(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="field 'params' is not a valid JSON Schema"):
        load_pipeline(write(tmp_path / "demo", {**valid(), "params": {"type": "banana"}}))


def test_an_unknown_pipeline_lists_the_known_ones(tmp_path: Path) -> None:
    write(tmp_path / "demo", valid())
    with pytest.raises(PipelineNotFoundError, match=r"'nope' not found .* \(known: demo\)"):
        find_pipeline(tmp_path, "nope")
    with pytest.raises(PipelineNotFoundError):
        find_pipeline(tmp_path, "../demo")
