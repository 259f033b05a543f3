"""`studio pipelines`: scaffold, list, test and build through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from server.cli import app
from tests.support.runner import require_docker

cli = CliRunner()


@pytest.fixture
def pipelines_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STUDIO_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.setenv("STUDIO_PIPELINES_DIR", str(tmp_path / "pipelines"))
    (tmp_path / "pipelines").mkdir()
    return tmp_path / "pipelines"


def test_new_scaffolds_a_pipeline_that_passes_its_own_test(pipelines_dir: Path) -> None:
    created = cli.invoke(app, ["pipelines", "new", "t2i-demo", "--title", "Demo model"])
    assert created.exit_code == 0, created.output
    folder = pipelines_dir / "t2i-demo"
    assert sorted(p.name for p in folder.iterdir()) == [
        "Dockerfile",
        "main.py",
        "pipeline.json",
        "samples",
        "test_t2i_demo.py",
    ]
    listed = cli.invoke(app, ["pipelines", "list"])
    assert "t2i-demo" in listed.output and "CPU" in listed.output
    tested = cli.invoke(app, ["pipelines", "test", "t2i-demo", "--backend", "process"])
    assert tested.exit_code == 0, tested.output
    assert "ok t2i-demo on process" in tested.output
    assert "{'characters': 21}" in tested.output
    job = next((pipelines_dir.parent / "workspace" / ".studio" / "jobs").iterdir())
    assert (job / "out" / "text.txt").read_text() == "HELLO FROM THE SAMPLE"


def test_new_refuses_bad_ids_and_existing_folders(pipelines_dir: Path) -> None:
    bad = cli.invoke(app, ["pipelines", "new", "Not_Valid"])
    assert bad.exit_code == 1 and "not a valid pipeline id" in bad.output
    assert cli.invoke(app, ["pipelines", "new", "demo-one"]).exit_code == 0
    again = cli.invoke(app, ["pipelines", "new", "demo-one"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_a_broken_pipeline_fails_the_test_command_with_the_reason(pipelines_dir: Path) -> None:
    assert cli.invoke(app, ["pipelines", "new", "demo-broken"]).exit_code == 0
    main = pipelines_dir / "demo-broken" / "main.py"
    main.write_text(main.read_text().replace('sdk.write_outputs({"text": "text.txt"}', "sdk.write_outputs({}"))
    result = cli.invoke(app, ["pipelines", "test", "demo-broken", "--backend", "process"])
    assert result.exit_code == 1
    assert "output 'text' (String) is missing from out/result.json" in " ".join(result.output.split())


def test_test_reports_an_unknown_pipeline(pipelines_dir: Path) -> None:
    result = cli.invoke(app, ["pipelines", "test", "nope", "--backend", "process"])
    assert result.exit_code == 1 and "'nope' not found" in result.output


@pytest.mark.docker
def test_build_then_test_in_docker_and_rebuild_only_on_change(pipelines_dir: Path) -> None:
    require_docker()
    assert cli.invoke(app, ["pipelines", "new", "demo-docker"]).exit_code == 0
    first = cli.invoke(app, ["pipelines", "build", "demo-docker"])
    assert first.exit_code == 0, first.output
    assert "studio/pipeline-demo-docker:local  built" in first.output
    again = cli.invoke(app, ["pipelines", "build", "demo-docker"])
    assert "studio/pipeline-demo-docker:local  up to date" in again.output
    assert "studio/base:local  up to date" in again.output
    tested = cli.invoke(app, ["pipelines", "test", "demo-docker"])
    assert tested.exit_code == 0, tested.output
    assert "ok demo-docker on docker" in tested.output
    main = pipelines_dir / "demo-docker" / "main.py"
    main.write_text(main.read_text() + "\n# changed\n")
    changed = cli.invoke(app, ["pipelines", "build", "demo-docker"])
    assert "studio/pipeline-demo-docker:local  built" in changed.output


def test_test_runs_on_the_process_backend_when_no_engine_answers(
    pipelines_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'no-engine.sock'}")
    assert cli.invoke(app, ["pipelines", "new", "demo-anywhere"]).exit_code == 0
    tested = cli.invoke(app, ["pipelines", "test", "demo-anywhere"])
    assert tested.exit_code == 0, tested.output
    assert "no Docker engine answers: testing on the process backend" in tested.output
    assert "ok demo-anywhere on process" in tested.output
