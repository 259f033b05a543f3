"""Thumbnails: a PNG preview written whole, never into another writer's half-made file."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from server.media.thumbnails import THUMBNAIL_WIDTH, make_thumbnail
from server.media.types import MediaKind
from tests.support.factories import media_bytes


def test_a_thumbnail_leaves_another_writers_partial_file_alone(tmp_path: Path) -> None:
    source = tmp_path / "picture.png"
    source.write_bytes(media_bytes(tmp_path, "png"))
    target = tmp_path / "thumbs" / "picture.png"
    target.parent.mkdir()
    # Another request making the same thumbnail has its partial file half written.
    others = [target.with_name(f".{target.name}.part.png"), target.with_name(f".{target.name}.other.part.png")]
    for other in others:
        other.write_bytes(b"half a png")

    assert make_thumbnail(source, MediaKind.image, target)

    with Image.open(target) as image:
        assert image.format == "PNG" and image.width == THUMBNAIL_WIDTH
    assert [other.read_bytes() for other in others] == [b"half a png", b"half a png"]
    assert sorted(p.name for p in target.parent.iterdir()) == sorted([target.name, *(o.name for o in others)])


def test_a_source_that_does_not_decode_gives_no_thumbnail_and_no_file(tmp_path: Path) -> None:
    source = tmp_path / "broken.png"
    source.write_bytes(b"not a picture")
    target = tmp_path / "thumbs" / "broken.png"

    assert not make_thumbnail(source, MediaKind.image, target)
    assert list(target.parent.iterdir()) == []
