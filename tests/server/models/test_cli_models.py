"""`studio models`: pull from a hub on loopback (resumable, hash-checked), add, list, verify, rm."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from function_runner.weights import read_record
from server.cli import app
from tests.support.local_hub import COMMIT, LocalHub, local_hub
from tests.support.model_folders import diffusers_folder

cli = CliRunner()
REPO = "stable-diffusion-v1-5/stable-diffusion-v1-5"  # what t2i-sd1.5's manifest pulls by default
UNET = "unet/diffusion_pytorch_model.safetensors"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STUDIO_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.delenv("STUDIO_MODEL_STORE", raising=False)
    monkeypatch.setenv("COLUMNS", "250")  # rich tables at full width
    return tmp_path / "workspace" / "Models"


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[LocalHub]:
    with local_hub({REPO: diffusers_folder(tmp_path / "hub", "sd15")}) as running:
        yield running


def output(result: object) -> str:
    return " ".join(str(getattr(result, "output", "")).split())


def table_rows(result: object) -> list[list[str]]:
    """The body rows of a rich table, as stripped cells."""
    lines = str(getattr(result, "output", "")).splitlines()
    return [[cell.strip() for cell in line.strip("│").split("│")] for line in lines if line.startswith("│")]


def pull(hub: LocalHub, *args: str) -> object:
    return cli.invoke(app, ["models", "pull", "stable-diffusion-v1-5", "--endpoint", hub.url, *args])


def test_pull_fetches_the_manifests_repository_checks_it_and_installs_it(store: Path, hub: LocalHub) -> None:
    result = pull(hub)
    assert result.exit_code == 0, output(result)  # type: ignore[attr-defined]
    folder = store / "stable-diffusion-v1-5"
    expected = hub.files(REPO)
    assert {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == {
        **expected,
        ".studio-model.json": (folder / ".studio-model.json").read_bytes(),
    }
    record = read_record(folder)
    assert record is not None and record.source is not None
    assert (record.source.repo, record.source.revision, record.source.commit) == (REPO, "main", COMMIT)
    assert f"weights sha256 {record.fingerprint[:12]}" in output(result)
    assert not list(store.glob(".*"))  # no download leftovers
    downloads = sorted(path for method, path, _ in hub.requests if method == "GET" and "/resolve/" in path)
    assert downloads == sorted(f"/{REPO}/resolve/{COMMIT}/{name}" for name in expected)
    listed = table_rows(cli.invoke(app, ["models", "list"]))
    used_by = "t2i-sd1.5, train-lora-sd1.5"  # the pipelines that need it: generation and LoRA training
    assert ["stable-diffusion-v1-5", "7.0 KB", "5", record.fingerprint[:12], f"{REPO}@main", used_by] in listed


def test_an_interrupted_download_resumes_where_it_stopped(store: Path, hub: LocalHub) -> None:
    # 16 MB: huggingface_hub writes 10 MB chunks, so the first chunk is on disk when the connection drops.
    (hub.repos[REPO] / UNET).write_bytes(bytes(range(256)) * (1 << 16))
    hub.cut_once.add(UNET)
    result = pull(hub)
    assert result.exit_code == 0, output(result)  # type: ignore[attr-defined]
    ranges = [r for method, path, r in hub.requests if method == "GET" and path.endswith(UNET) and r]
    assert ranges == [f"bytes={10 << 20}-"]  # continued after what it had, not restarted
    assert (store / "stable-diffusion-v1-5" / UNET).read_bytes() == hub.files(REPO)[UNET]


def test_a_damaged_download_is_deleted_and_nothing_is_installed(store: Path, hub: LocalHub) -> None:
    hub.corrupt.add(UNET)
    result = pull(hub)
    assert result.exit_code == 1
    assert f"{UNET} arrived with hash" in output(result) and "the download was damaged" in output(result)
    assert not (store / "stable-diffusion-v1-5").exists()
    hub.corrupt.clear()
    assert pull(hub).exit_code == 0  # type: ignore[attr-defined]
    fetched = [path for method, path, _ in hub.requests if method == "GET" and "/resolve/" in path]
    assert fetched.count(f"/{REPO}/resolve/{COMMIT}/{UNET}") == 2  # only the damaged file came again
    assert fetched.count(f"/{REPO}/resolve/{COMMIT}/model_index.json") == 1


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--repo", "nobody/nothing"], "The Hub has no repository nobody/nothing"),
        (["--revision", "v9"], f"{REPO} has no revision 'v9'"),
    ],
)
def test_an_unknown_repository_or_revision_says_what_to_check(
    store: Path, hub: LocalHub, args: list[str], fragment: str
) -> None:
    result = pull(hub, *args)
    assert result.exit_code == 1 and fragment in output(result)  # type: ignore[attr-defined]


def test_a_repository_in_another_format_is_not_installed(store: Path, tmp_path: Path) -> None:
    checkpoint = tmp_path / "ckpt"
    checkpoint.mkdir()
    (checkpoint / "v1-5-pruned-emaonly.safetensors").write_bytes(b"weights" * 100)
    with local_hub({"someone/sd15-ckpt": checkpoint}) as hub:
        result = pull(hub, "--repo", "someone/sd15-ckpt")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "does not give what pipeline 't2i-sd1.5' needs" in output(result)
    assert "not a diffusers model folder" in output(result)
    assert not (store / "stable-diffusion-v1-5").exists()


def test_a_model_no_manifest_names_needs_a_repository(store: Path) -> None:
    result = cli.invoke(app, ["models", "pull", "my-model"])
    assert result.exit_code == 1
    assert "`studio models pull my-model --repo OWNER/NAME`" in output(result)


def test_add_then_verify_notices_a_changed_file_and_rm_removes_it(store: Path, tmp_path: Path) -> None:
    source = diffusers_folder(tmp_path / "local", "sd15")
    added = cli.invoke(app, ["models", "add", "stable-diffusion-v1-5", str(source)])
    assert added.exit_code == 0, output(added)
    assert "added stable-diffusion-v1-5: 5 files" in output(added)
    again = cli.invoke(app, ["models", "add", "stable-diffusion-v1-5", str(source)])
    assert again.exit_code == 1 and "`studio models rm stable-diffusion-v1-5`" in output(again)
    assert cli.invoke(app, ["models", "verify", "stable-diffusion-v1-5"]).exit_code == 0
    (store / "stable-diffusion-v1-5" / UNET).write_bytes(b"another copy")
    shutil.rmtree(store / "stable-diffusion-v1-5" / "vae")
    verified = cli.invoke(app, ["models", "verify", "stable-diffusion-v1-5"])
    assert verified.exit_code == 1
    assert f"changed: {UNET}" in output(verified) and "missing: vae/config.json" in output(verified)
    assert "t2i-sd1.5: " in output(verified) and "which are missing" in output(verified)
    assert cli.invoke(app, ["models", "rm", "stable-diffusion-v1-5", "--yes"]).exit_code == 0
    assert not (store / "stable-diffusion-v1-5").exists()
    gone = cli.invoke(app, ["models", "rm", "stable-diffusion-v1-5", "--yes"])
    assert gone.exit_code == 1 and "has no model 'stable-diffusion-v1-5'" in output(gone)


def test_bad_names_and_paths_are_refused(store: Path, tmp_path: Path) -> None:
    bad = cli.invoke(app, ["models", "add", "../escape", str(tmp_path)])
    assert bad.exit_code == 1 and "is not a model name" in output(bad)
    for name in ("..", "sd\n", ".hidden"):  # a trailing newline passed the old `$`-anchored check
        refused = cli.invoke(app, ["models", "add", name, str(tmp_path)])
        assert refused.exit_code == 1 and "is not a model name" in output(refused), name
    missing = cli.invoke(app, ["models", "add", "x", str(tmp_path / "nothing")])
    assert missing.exit_code == 1 and "is not a folder" in output(missing)
