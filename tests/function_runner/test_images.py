"""Image builds refuse what must never be in an image."""

from __future__ import annotations

import fcntl
import shutil
import threading
import time
from pathlib import Path
from unittest.mock import Mock

import pytest

from function_runner.images import BUILD_LOCK, BuiltImage, ImageBuildError, ImageChain, build_pipeline
from function_runner.manifest import find_pipeline, load_pipeline
from tests.support.jobs import wait_until
from tests.support.runner import STACKS_CACHE, TEST_PIPELINES, built_images, image_chain, require_docker


def test_weights_in_the_pipeline_folder_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "contract-probe"
    shutil.copytree(TEST_PIPELINES / "contract-probe", folder)
    (folder / "unet.safetensors").write_bytes(b"weights")
    engine = Mock()
    with pytest.raises(ImageBuildError, match=r"unet\.safetensors look like model weights"):
        build_pipeline(engine, load_pipeline(folder), BuiltImage(tag="studio/base:local", recipe="r", rebuilt=False))
    engine.images.build.assert_not_called()


@pytest.mark.docker
def test_a_build_waits_while_another_holds_the_machines_build_lock() -> None:
    """Two builders on one engine take turns: a second would rebuild the same tag, and its prune of untagged images
    could take a layer the first is still building on."""
    (expected,) = [tag for tag in built_images(TEST_PIPELINES) if "contract-probe" in tag]
    logs: list[str] = []
    chain = ImageChain(require_docker(), image_chain().config, on_log=logs.append)
    pipeline = find_pipeline(TEST_PIPELINES, "contract-probe")
    result: dict[str, BuiltImage] = {}
    builder = threading.Thread(target=lambda: result.update(image=chain.pipeline(pipeline)))
    with (STACKS_CACHE / BUILD_LOCK).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as another process's build would
        builder.start()
        wait_until(lambda: bool(logs), "the second builder says it waits", timeout_s=30)
        time.sleep(0.5)
        assert logs == ["waiting for another image build on this machine to finish"]
        assert builder.is_alive() and not result, "it built while the lock was held"
    builder.join(timeout=120)
    assert result["image"].tag == expected and not result["image"].rebuilt  # built already: only checked
