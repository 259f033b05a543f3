import json
from pathlib import Path

from schemas.models.pipeline_manifest import TaskType
from schemas.models.project_manifest import Quality
from server.config import SHIPPED_PIPELINES_DIR, SHIPPED_QUALITY_MAP
from server.graph.compiler import compile_node
from server.graph.context import project_compile_context
from tests.conftest import make_settings
from tests.support.graphs import graph, manifest, node, write_manifest


def test_pipeline_folders_default_to_the_shipped_ones_and_the_workspace_library(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "ws")
    assert settings.pipeline_search_dirs == [
        SHIPPED_PIPELINES_DIR,
        (tmp_path / "ws" / "Library" / "Pipelines").resolve(),
    ]
    configured = make_settings(tmp_path / "ws", pipeline_dirs=[tmp_path / "mine"])
    assert configured.pipeline_search_dirs == [(tmp_path / "mine").resolve()]


def test_the_workspace_quality_map_wins_once_seeded(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "ws")
    assert settings.quality_map_file == SHIPPED_QUALITY_MAP
    seeded = tmp_path / "ws" / "Library" / "quality_map.json"
    seeded.parent.mkdir(parents=True)
    seeded.write_text(json.dumps({"schema_version": 1, "task_types": {"generate-image": {"low": "my-t2i"}}}))
    assert settings.quality_map_file == seeded.resolve()


def test_a_project_context_compiles_against_the_projects_files(tmp_path: Path) -> None:
    write_manifest(tmp_path / "pipelines", manifest("my-t2i"))
    library = tmp_path / "ws" / "Library"
    library.mkdir(parents=True)
    (library / "quality_map.json").write_text(
        json.dumps({"schema_version": 1, "task_types": {"generate-image": {"low": "my-t2i"}}})
    )
    repo = tmp_path / "repo"
    (repo / "01_Assets").mkdir(parents=True)
    settings = make_settings(tmp_path / "ws", pipeline_dirs=[tmp_path / "pipelines"])

    context = project_compile_context(settings, repo, "low")

    assert context.quality is Quality.low
    assert context.quality_map.task_types[TaskType.generate_image].low == "my-t2i"
    shot = node("shot", "ShotNode", {"shot_id": "SHOT-010", "prompt": "rain"})
    [step] = compile_node(graph([shot]), "shot", context).steps
    assert step.pipeline is not None and step.pipeline.pipeline_id == "my-t2i"
