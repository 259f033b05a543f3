"""Takes: exclusive numbering, sidecars, one commit each, idempotent per task, thumbnails."""

from __future__ import annotations

import hashlib
import json
import subprocess
import threading
from pathlib import Path

import pytest

from schemas import validator
from server.errors import InvalidInputError
from server.media.ffmpeg import ffmpeg_exe
from server.projects.git import GitRepo, studio_author
from server.projects.scaffold import scaffold_project
from server.takes.naming import ShotSlot
from server.takes.slots import nodes_by_id
from server.takes.store import commit_take, contributed_take, list_takes
from tests.conftest import make_settings
from tests.support.factories import png_bytes, take_fields

SLOT = ShotSlot("SCENE_01", "SHOT-010", 1)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    settings = make_settings(tmp_path / "ws")
    target = tmp_path / "Film"
    scaffold_project(
        template_dir=settings.template_dir,
        target=target,
        title="Film",
        description="",
        settings={},
        author=studio_author("alice"),
    )
    return GitRepo(target)


def output(tmp_path: Path, name: str, rgb: tuple[int, int, int]) -> Path:
    path = tmp_path / name
    path.write_bytes(png_bytes(64, 36, rgb))
    return path


def git(repo: GitRepo, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo.root, capture_output=True, text=True, check=True).stdout


def test_takes_are_numbered_named_and_committed_with_their_sidecar(repo: GitRepo, tmp_path: Path) -> None:
    first = commit_take(repo, SLOT, output(tmp_path, "a.png", (255, 0, 0)), take_fields("t1"), studio_author("alice"))
    second = commit_take(repo, SLOT, output(tmp_path, "b.png", (0, 255, 0)), take_fields("t2"), studio_author("alice"))
    assert first.path == "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"
    assert second.path == "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take02.png"
    assert git(repo, "log", "-1", "--format=%s").strip() == "take: SHOT-010 v01 take02 (cpu-storyboard)"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take02.json",
        "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take02.png",
    ]
    assert git(repo, "cat-file", "-p", f"HEAD:{second.path}").startswith("version https://git-lfs")
    document = json.loads((repo.root / second.sidecar_path).read_text())
    assert validator("take-sidecar").is_valid(document)
    assert document["output"]["sha256"] == hashlib.sha256(png_bytes(64, 36, (0, 255, 0))).hexdigest()
    assert (document["take"], document["take_number"], document["output"]["media_type"]) == (
        "SHOT-010_v01_take02.png",
        2,
        "image/png",
    )
    assert (repo.root / first.path).read_bytes() == png_bytes(64, 36, (255, 0, 0))  # never overwritten
    assert [t.number for t in list_takes(repo.root, SLOT)] == [1, 2]


def test_thumbnail_goes_to_the_ignored_cache(repo: GitRepo, tmp_path: Path) -> None:
    take = commit_take(repo, SLOT, output(tmp_path, "a.png", (9, 9, 9)), take_fields("t1"), studio_author("alice"))
    assert take.thumbnail == "05_Cache/thumbnails/SHOT-010_v01_take01.png"
    assert (repo.root / take.thumbnail).read_bytes().startswith(b"\x89PNG")
    assert git(repo, "status", "--porcelain") == ""


def test_same_task_twice_yields_one_take(repo: GitRepo, tmp_path: Path) -> None:
    once = commit_take(repo, SLOT, output(tmp_path, "a.png", (1, 2, 3)), take_fields("same"), studio_author("alice"))
    again = commit_take(repo, SLOT, output(tmp_path, "b.png", (4, 5, 6)), take_fields("same"), studio_author("alice"))
    assert again.path == once.path
    assert len(list_takes(repo.root, SLOT)) == 1


def test_concurrent_writers_never_share_a_number(repo: GitRepo, tmp_path: Path) -> None:
    produced = [output(tmp_path, f"o{i}.png", (i, i, i)) for i in range(12)]
    made: list[str] = []

    def write(i: int) -> None:
        made.append(commit_take(repo, SLOT, produced[i], take_fields(f"task-{i}"), studio_author("alice")).path)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(made) == [SLOT.take_path(n, "png") for n in range(1, 13)]
    assert int(git(repo, "rev-list", "--count", "HEAD")) == 13
    subprocess.run(["git", "fsck", "--strict"], cwd=repo.root, check=True, capture_output=True)


def test_versions_and_shots_number_separately(repo: GitRepo, tmp_path: Path) -> None:
    commit_take(repo, SLOT, output(tmp_path, "a.png", (1, 1, 1)), take_fields("a"), studio_author("alice"))
    v2 = commit_take(
        repo,
        ShotSlot("SCENE_01", "SHOT-010", 2),
        output(tmp_path, "b.png", (2, 2, 2)),
        take_fields("b"),
        studio_author("alice"),
    )
    other = commit_take(
        repo,
        ShotSlot("SCENE_02", "SHOT-020", 1),
        output(tmp_path, "c.png", (3, 3, 3)),
        take_fields("c"),
        studio_author("alice"),
    )
    assert v2.path.endswith("SHOT_010/SHOT-010_v02_take01.png")
    assert other.path == "03_Renders/SCENE_02/SHOT_020/SHOT-020_v01_take01.png"


def test_non_media_output_is_refused_and_nothing_written(repo: GitRepo, tmp_path: Path) -> None:
    junk = tmp_path / "out.txt"
    junk.write_text("not media")
    with pytest.raises(InvalidInputError, match="not a media type"):
        commit_take(repo, SLOT, junk, take_fields("t"), studio_author("alice"))
    assert not (repo.root / SLOT.folder).exists()


@pytest.mark.parametrize(
    ("scene", "shot", "version"), [("scene1", "SHOT-010", 1), ("SCENE_01", "../x", 1), ("SCENE_01", "SHOT-010", 0)]
)
def test_slots_refuse_hostile_names(scene: str, shot: str, version: int) -> None:
    with pytest.raises(ValueError, match="must"):
        ShotSlot(scene, shot, version)


def test_a_node_contributes_its_chosen_take_else_its_newest(repo: GitRepo, tmp_path: Path) -> None:
    graph = {"nodes": [{"id": "shot-010", "type": "ShotNode", "data": {"shot_id": "SHOT-010"}}], "edges": []}
    assert contributed_take(repo.root, nodes_by_id(graph), "shot-010") is None
    first = commit_take(repo, SLOT, output(tmp_path, "a.png", (1, 1, 1)), take_fields("a"), studio_author("alice"))
    newest = commit_take(repo, SLOT, output(tmp_path, "b.png", (2, 2, 2)), take_fields("b"), studio_author("alice"))
    assert contributed_take(repo.root, nodes_by_id(graph), "shot-010") == newest.path
    graph["nodes"][0]["data"]["active_take"] = first.path
    assert contributed_take(repo.root, nodes_by_id(graph), "shot-010") == first.path
    graph["nodes"][0]["data"]["shot_id"] = 42  # names no render folder: no takes, not a crash
    del graph["nodes"][0]["data"]["active_take"]
    assert contributed_take(repo.root, nodes_by_id(graph), "shot-010") is None


@pytest.mark.parametrize(
    ("name", "source", "streams"),
    [
        ("voice.wav", ["-f", "lavfi", "-i", "sine=f=220:d=0.5"], {"audio"}),  # sound, no picture
        ("silent.mp4", ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=12:duration=0.5"], {"video"}),
    ],
)
def test_a_take_with_one_kind_of_stream_is_listed_with_its_probe(
    repo: GitRepo, tmp_path: Path, name: str, source: list[str], streams: set[str]
) -> None:
    produced = tmp_path / name
    subprocess.run([ffmpeg_exe(), "-v", "error", *source, str(produced)], check=True)
    take = commit_take(repo, SLOT, produced, take_fields("t1"), studio_author("alice"))

    [listed] = list_takes(repo.root, SLOT)  # its sidecar reads back: the missing stream is no error
    assert listed.path == take.path
    probe = json.loads((repo.root / take.path).with_suffix(".json").read_text())["output"]["probe"]
    assert {kind for kind in ("video", "audio") if kind in probe} == streams
    assert probe["duration_s"] == pytest.approx(0.5, abs=0.1)


def test_a_sidecar_that_cannot_be_read_is_left_out_and_said(
    repo: GitRepo, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kept = commit_take(repo, SLOT, output(tmp_path, "a.png", (1, 1, 1)), take_fields("t1"), studio_author("alice"))
    broken = commit_take(repo, SLOT, output(tmp_path, "b.png", (2, 2, 2)), take_fields("t2"), studio_author("alice"))
    document = json.loads((repo.root / broken.sidecar_path).read_text())
    del document["take_number"]
    (repo.root / broken.sidecar_path).write_text(json.dumps(document))

    with caplog.at_level("WARNING", logger="server.takes.store"):
        listed = list_takes(repo.root, SLOT)

    assert [t.path for t in listed] == [kept.path]
    [record] = caplog.records
    assert "SHOT-010_v01_take02.json is left out of its shot's takes" in record.getMessage()
    assert "take_number: Field required" in record.getMessage()
