import json
from pathlib import Path

from server.graph.takes import RepoTakeStore
from tests.support.graphs import sha256

TAKE_DIR = "03_Renders/SCENE_01/SHOT_010"


def make_repo(root: Path) -> Path:
    (root / TAKE_DIR).mkdir(parents=True)
    (root / TAKE_DIR / "SHOT-010_v01_take01.png").write_bytes(b"take one")
    (root / TAKE_DIR / "SHOT-010_v01_take01.json").write_text(json.dumps({"cache_key": "k1"}), encoding="utf-8")
    (root / TAKE_DIR / "SHOT-010_v01_take02.png").write_bytes(b"take two")
    (root / TAKE_DIR / "SHOT-010_v01_take02.json").write_text("{not json", encoding="utf-8")
    hero = root / "01_Assets/Generative_Assets/Characters/hero"
    hero.mkdir(parents=True)
    (hero / "front.png").write_bytes(b"front")
    (hero / "b.png").write_bytes(b"b")
    (hero / ".DS_Store").write_bytes(b"junk")
    return root


def test_content_hash_of_a_project_file(tmp_path: Path) -> None:
    store = RepoTakeStore(make_repo(tmp_path / "repo"))
    assert store.content_hash(f"{TAKE_DIR}/SHOT-010_v01_take01.png") == sha256(b"take one")
    assert store.content_hash("03_Renders/none.png") is None


def test_paths_outside_the_project_have_no_hash_and_no_files(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    store = RepoTakeStore(make_repo(tmp_path / "repo"))
    assert store.content_hash("../secret.txt") is None
    assert store.files_under("../") == []
    assert store.files_under("/etc") == []


def test_files_under_a_folder_are_sorted_and_skip_hidden_files(tmp_path: Path) -> None:
    store = RepoTakeStore(make_repo(tmp_path / "repo"))
    hero = "01_Assets/Generative_Assets/Characters/hero"
    assert store.files_under(hero) == [f"{hero}/b.png", f"{hero}/front.png"]
    assert store.files_under(f"{hero}/front.png") == [f"{hero}/front.png"]


def test_takes_are_found_by_the_cache_key_in_their_sidecar(tmp_path: Path) -> None:
    store = RepoTakeStore(make_repo(tmp_path / "repo"))
    assert store.take_for("k1") == f"{TAKE_DIR}/SHOT-010_v01_take01.png"
    assert store.take_for("k2") is None
