"""One table of media types (schemas/media-types.json): uploads, takes, thumbnails, the runner's file sockets, the
scaffold's Git LFS routing and the browser all agree with it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from function_runner.jobs import FILE_EXTENSIONS
from schemas import media_types
from schemas.models.socket_type import SocketType
from server.config import REPO_ROOT
from server.media.types import MediaKind, extensions_of, media_type, socket_type_of
from server.projects.upload_names import parse_upload_name

TABLE = media_types()
MEDIA_SOCKETS = {SocketType.Image, SocketType.Mask, SocketType.ControlMap, SocketType.Video, SocketType.Audio}


@pytest.mark.parametrize("extension", sorted(TABLE.extensions))
def test_an_upload_a_take_and_a_runner_file_socket_take_every_extension_alike(extension: str) -> None:
    kind = TABLE.extensions[extension].kind
    upload = parse_upload_name(f"clip.{extension.upper()}")
    assert (upload.kind, upload.socket_type) == (kind, socket_type_of(kind))
    found = media_type(extension)
    assert found is not None and found.kind is kind  # what a take (and its thumbnail) is made of
    takers = {socket for socket, allowed in FILE_EXTENSIONS.items() if f".{extension}" in allowed}
    assert takers == set(getattr(TABLE.kinds, kind.value).socket_types)


def test_the_runner_s_media_sockets_take_nothing_the_table_does_not_list() -> None:
    listed = {f".{extension}" for extension in TABLE.extensions}
    assert {socket for socket in FILE_EXTENSIONS if FILE_EXTENSIONS[socket] <= listed} == MEDIA_SOCKETS
    assert FILE_EXTENSIONS[SocketType.EDL].isdisjoint(listed)  # edit lists are not media


def test_m4a_is_audio_everywhere() -> None:
    assert "m4a" in extensions_of(MediaKind.audio)
    assert parse_upload_name("interview.m4a").kind is MediaKind.audio
    assert ".m4a" in FILE_EXTENSIONS[SocketType.Audio]


def test_the_scaffold_sends_every_media_type_to_git_lfs_in_either_case(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(REPO_ROOT / "workspace_template" / "gitattributes", tmp_path / ".gitattributes")
    names = [f"x.{extension}" for extension in TABLE.extensions] + [f"x.{e.upper()}" for e in TABLE.extensions]
    said = subprocess.run(
        ["git", "check-attr", "filter", "--", *names], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert [line.rsplit(": ", 1)[1] for line in said] == ["lfs"] * len(names), said


def test_a_name_that_is_not_media_has_no_type() -> None:
    assert media_type("edl") is None and media_type("") is None
    assert media_type(".PNG") == TABLE.extensions["png"]
