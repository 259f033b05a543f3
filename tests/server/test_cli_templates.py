"""`studio templates import|list` through the real CLI, into the Library and into a project's repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from server.cli import app
from tests.support.factories import SEED_TEMPLATES

cli = CliRunner()
WORKFLOW = SEED_TEMPLATES / "sd15-img2img" / "workflow.json"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STUDIO_WORKSPACE", str(tmp_path / "workspace"))
    return tmp_path / "workspace"


def test_import_with_defaults_exposes_prompts_and_media_and_lists_the_template(workspace: Path, tmp_path: Path) -> None:
    source = tmp_path / "Dusk Repaint.json"
    source.write_bytes(WORKFLOW.read_bytes())
    done = cli.invoke(app, ["templates", "import", str(source)])
    assert done.exit_code == 0, done.output
    assert "saved template dusk-repaint to the Library: Pipeline_Templates/dusk-repaint" in done.output
    assert "input  image (Image) <- 10.image" in done.output
    assert "input  prompt (String) <- 6.text" in done.output
    assert "input  negative_prompt (String) <- 7.text" in done.output
    assert "output image (Image) <- node 9" in done.output
    assert "seed   -> 3.seed" in done.output
    manifest = json.loads((workspace / "Library/Pipeline_Templates/dusk-repaint/template.json").read_text())
    assert manifest["title"] == "Dusk Repaint" and manifest["category"] == "Generate"
    assert json.loads((workspace / "Library/Pipeline_Templates/dusk-repaint/workflow.json").read_text()) == json.loads(
        WORKFLOW.read_text()
    )

    listed = cli.invoke(app, ["templates", "list"])
    assert listed.exit_code == 0, listed.output
    assert "dusk-repaint" in listed.output and "Dusk Repaint" in listed.output

    again = cli.invoke(app, ["templates", "import", str(source)])
    assert again.exit_code == 1 and "A template 'dusk-repaint' exists already" in again.output


def test_import_with_chosen_exposures_into_a_project_commits_it(workspace: Path, tmp_path: Path) -> None:
    project = workspace / "Projects" / "Night-Train"
    project.mkdir(parents=True)
    (project / "project.json").write_text("{}")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    done = cli.invoke(
        app,
        [
            "templates",
            "import",
            str(WORKFLOW),
            "--id",
            "repaint",
            "--title",
            "Repaint",
            "--expose",
            "10.image=start",
            "--expose",
            "3.denoise=strength",
            "--expose",
            "3.steps=steps:socket",
            "--output",
            "9=still:Image",
            "--project",
            "Night-Train",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "to project Night-Train (commit " in done.output
    assert "input  start (Image) <- 10.image" in done.output
    assert "param  strength <- 3.denoise" in done.output
    assert "input  steps (Integer) <- 3.steps" in done.output
    log = subprocess.run(
        ["git", "log", "--format=%s", "--name-only"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()
    assert log == [
        "template:",
        "repaint",
        "02_Source_Creative/Pipeline_Templates/repaint/template.json",
        "02_Source_Creative/Pipeline_Templates/repaint/workflow.json",
    ]
    listed = cli.invoke(app, ["templates", "list", "--project", "Night-Train"])
    assert "repaint" in listed.output and "sd15-txt2img" not in listed.output  # the Library is not seeded here


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (["--expose", "10image=start"], "write NODE.INPUT=NAME"),
        (["--expose", "10.image=start:Picture"], "'Picture' is not one of socket, param, String"),
        (["--expose", "66.text=prompt"], "The workflow has no node '66'"),
        (["--output", "9"], "write NODE=NAME or NODE=NAME:TYPE"),
        (["--project", "../etc"], "There is no project folder '../etc'"),
    ],
)
def test_bad_arguments_are_refused_with_a_sentence(workspace: Path, arguments: list[str], fragment: str) -> None:
    done = cli.invoke(app, ["templates", "import", str(WORKFLOW), *arguments])
    assert done.exit_code == 1, done.output
    assert fragment in " ".join(done.output.split())
