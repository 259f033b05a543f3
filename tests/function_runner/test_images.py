"""Image builds refuse what must never be in an image."""

from __future__ import annotations

import shutil
from pathlib import Path
from unittest.mock import Mock

import pytest

from function_runner.images import BuiltImage, ImageBuildError, build_pipeline
from function_runner.manifest import load_pipeline
from tests.support.runner import TEST_PIPELINES


def test_weights_in_the_pipeline_folder_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "contract-probe"
    shutil.copytree(TEST_PIPELINES / "contract-probe", folder)
    (folder / "unet.safetensors").write_bytes(b"weights")
    engine = Mock()
    with pytest.raises(ImageBuildError, match=r"unet\.safetensors look like model weights"):
        build_pipeline(engine, load_pipeline(folder), BuiltImage(tag="studio/base:local", recipe="r", rebuilt=False))
    engine.images.build.assert_not_called()
