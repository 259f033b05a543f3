"""Upload names: the kind an extension stands for, and hostile names reduced or refused with a reason."""

from __future__ import annotations

import pytest

from schemas import media_types
from schemas.models.socket_type import SocketType
from server.errors import InvalidFilenameError, UnsupportedMediaTypeError
from server.media.types import MediaKind
from server.projects.upload_names import parse_upload_name


@pytest.mark.parametrize(
    ("filename", "stored"),
    [
        ("voice.wav", "01_Assets/Source_Media/voice-0123abcd.wav"),
        ("Take 3 (final).MP4", "01_Assets/Source_Media/Take_3_final-0123abcd.mp4"),
        ("../../etc/passwd.png", "01_Assets/Source_Media/passwd-0123abcd.png"),
        ("/abs/olute/still.jpeg", "01_Assets/Source_Media/still-0123abcd.jpeg"),
        ("C:\\Users\\me\\Stimme Müller.flac", "01_Assets/Source_Media/Stimme_Muller-0123abcd.flac"),
        ("音声.ogg", "01_Assets/Source_Media/upload-0123abcd.ogg"),
        (".webp", "01_Assets/Source_Media/upload-0123abcd.webp"),
        ("..png", "01_Assets/Source_Media/upload-0123abcd.png"),
        ("my.take.v2.m4a", "01_Assets/Source_Media/my_take_v2-0123abcd.m4a"),
        ("a" * 200 + ".mkv", "01_Assets/Source_Media/" + "a" * 80 + "-0123abcd.mkv"),
    ],
)
def test_names_are_reduced_to_a_safe_stem_in_source_media(filename: str, stored: str) -> None:
    assert parse_upload_name(filename).path_for("0123abcd" + "f" * 56) == stored


@pytest.mark.parametrize(
    ("filename", "phrase"),
    [
        ("", "does not name a file"),
        ("   ", "does not name a file"),
        ("..", "does not name a file"),
        ("clips/", "does not name a file"),
        ("voice\x00.wav", "contains a NUL byte or another control character"),
        ("\x1b[31mred.png", "contains a NUL byte or another control character"),
        ("line\nbreak.wav", "contains a NUL byte or another control character"),
        ("é" * 130 + ".wav", "is 264 bytes long; file names have at most 255"),
    ],
)
def test_names_that_hide_or_name_nothing_are_refused(filename: str, phrase: str) -> None:
    with pytest.raises(InvalidFilenameError, match=phrase) as refused:
        parse_upload_name(filename)
    assert refused.value.field == "filename"


@pytest.mark.parametrize(
    ("filename", "what"), [("notes.txt", "a .txt file"), ("README", "a file without an extension")]
)
def test_other_types_are_refused_with_the_allowed_extensions(filename: str, what: str) -> None:
    with pytest.raises(UnsupportedMediaTypeError) as refused:
        parse_upload_name(filename)
    assert refused.value.message == (
        f"'{filename}' is {what}; upload an image (png, jpg, jpeg, webp), a video (mp4, mov, webm, mkv) "
        "or an audio file (wav, mp3, flac, ogg, m4a)."
    )


def test_each_kind_feeds_its_socket_type() -> None:
    sockets = {ext: parse_upload_name(f"x.{ext.upper()}").socket_type for ext in media_types().extensions}
    assert {ext for ext, s in sockets.items() if s is SocketType.Image} == {"png", "jpg", "jpeg", "webp"}
    assert {ext for ext, s in sockets.items() if s is SocketType.Video} == {"mp4", "mov", "webm", "mkv"}
    assert {ext for ext, s in sockets.items() if s is SocketType.Audio} == {"wav", "mp3", "flac", "ogg", "m4a"}
    assert parse_upload_name("x.Jpeg").kind is MediaKind.image
