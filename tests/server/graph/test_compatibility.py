import pytest

from schemas.models.socket_type import SocketType
from server.graph.compatibility import can_feed

ALL = list(SocketType)


@pytest.mark.parametrize("socket", ALL)
def test_every_type_feeds_itself(socket: SocketType) -> None:
    assert can_feed(socket, socket)


@pytest.mark.parametrize("source", [SocketType.Mask, SocketType.ControlMap])
def test_masks_and_control_maps_feed_image_inputs_but_not_the_reverse(source: SocketType) -> None:
    assert can_feed(source, SocketType.Image)
    assert not can_feed(SocketType.Image, source)


def test_nothing_converts_between_image_video_and_audio() -> None:
    media = [SocketType.Image, SocketType.Video, SocketType.Audio]
    for source in media:
        for target in media:
            assert can_feed(source, target) is (source == target), (source, target)


def test_only_the_declared_pairs_are_allowed_besides_identity() -> None:
    allowed = {(s, t) for s in ALL for t in ALL if s != t and can_feed(s, t)}
    assert allowed == {(SocketType.Mask, SocketType.Image), (SocketType.ControlMap, SocketType.Image)}
