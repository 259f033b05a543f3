"""Storing an upload: the spool's own size limit, and a failed commit that leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from server.errors import GitCommandError, PayloadTooLargeError
from server.projects.git import GitRepo, studio_author
from server.projects.scaffold import scaffold_project
from server.projects.upload_names import parse_upload_name
from server.projects.uploads import STAGING_DIR, STALE_AFTER_S, UploadSpool, describe_size, store_upload
from tests.support.factories import media_bytes

TEMPLATE = Path(__file__).resolve().parents[3] / "workspace_template"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    target = tmp_path / "film"
    scaffold_project(
        template_dir=TEMPLATE, target=target, title="Film", description="", settings={}, author=studio_author("a")
    )
    return GitRepo(target)


def test_the_spool_holds_its_limit_whoever_calls_it(repo: GitRepo) -> None:
    spool = UploadSpool(repo.root, parse_upload_name("voice.wav"), max_bytes=10)
    spool.write(b"0123456789")
    with pytest.raises(PayloadTooLargeError, match="larger than the 10 bytes limit") as refused:
        spool.write(b"!")
    assert refused.value.details == {"limit_bytes": 10}
    spool.discard()
    spool.discard()  # again: harmless
    assert list((repo.root / STAGING_DIR).iterdir()) == []


def test_a_new_spool_sweeps_away_files_of_uploads_cut_short_long_ago(repo: GitRepo) -> None:
    staging = repo.root / STAGING_DIR
    staging.mkdir()
    stale, recent = staging / "upload-crashed.wav", staging / "upload-running.wav"
    stale.write_bytes(b"half")
    recent.write_bytes(b"half")
    long_ago = time.time() - STALE_AFTER_S - 60
    os.utime(stale, (long_ago, long_ago))
    spool = UploadSpool(repo.root, parse_upload_name("voice.wav"), max_bytes=10)
    assert sorted(p.name for p in staging.iterdir()) == sorted([recent.name, spool.path.name])
    spool.discard()


def test_a_failed_commit_removes_the_placed_file(repo: GitRepo, tmp_path: Path) -> None:
    spool = UploadSpool(repo.root, parse_upload_name("voice.wav"), max_bytes=10**6)
    spool.write(media_bytes(tmp_path, "wav"))
    lock = repo.root / ".git" / "index.lock"  # another git process at work: `git add` fails
    lock.touch()
    try:
        with pytest.raises(GitCommandError, match="`git add --all -- 01_Assets/Source_Media/voice-"):
            store_upload(repo, spool, studio_author("alice"))
    finally:
        lock.unlink()
        spool.discard()
    assert sorted(p.name for p in (repo.root / "01_Assets/Source_Media").iterdir()) == [".gitkeep"]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo.root, capture_output=True, text=True)
    assert status.stdout == ""


@pytest.mark.parametrize(
    ("size", "text"),
    [(2 * 1024**3, "2 GiB"), (64 * 1024**2, "64 MiB"), (4096, "4 KiB"), (4000, "4000 bytes"), (1, "1 bytes")],
)
def test_sizes_are_described_as_people_write_them(size: int, text: str) -> None:
    assert describe_size(size) == text
