"""The decode check: real media of every media type passes, broken or mislabelled media is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import media_types
from server.media.probe import decode_problem
from server.media.types import MediaKind
from tests.support.factories import media_bytes


@pytest.mark.parametrize("extension", sorted(media_types().extensions))
def test_every_media_type_decodes(tmp_path: Path, extension: str) -> None:
    media = tmp_path / f"upload.{extension}"
    media.write_bytes(media_bytes(tmp_path, extension))
    assert decode_problem(media, media_types().extensions[extension].kind) is None


def test_broken_and_mislabelled_media_get_ffmpeg_s_reason(tmp_path: Path) -> None:
    wav, mp4 = media_bytes(tmp_path, "wav"), media_bytes(tmp_path, "mp4")
    cases = [  # content, the extension it is uploaded as, what ffmpeg says
        (mp4[:300], "mp4", MediaKind.video, "moov atom not found"),
        (wav, "png", MediaKind.image, "Invalid PNG signature 0x52494646"),
        (b"just some text, not audio at all" * 10, "flac", MediaKind.audio, "Cannot determine format of input"),
        (mp4, "m4a", MediaKind.audio, "it has no audio stream"),  # a picture-only mp4 where sound is wanted
    ]
    for index, (content, extension, kind, reason) in enumerate(cases):
        path = tmp_path / f"case{index}.{extension}"
        path.write_bytes(content)
        problem = decode_problem(path, kind)
        assert problem is not None and reason in problem, (extension, problem)
        assert not problem.startswith("["), problem  # the "[png @ 0x…]" prefix is gone
