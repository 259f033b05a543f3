"""A ComfyUI stand-in per test, and the shipped seed templates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from function_runner.comfyui.template import Template, load_template
from tests.support.comfyui.server import ComfyUIStandIn
from tests.support.factories import SEED_TEMPLATES


@pytest.fixture
def start_comfyui(tmp_path: Path) -> Iterator[Callable[..., ComfyUIStandIn]]:
    started: list[ComfyUIStandIn] = []

    def start(**knobs: Any) -> ComfyUIStandIn:
        server = ComfyUIStandIn(tmp_path / f"comfyui-{len(started)}", **knobs).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def comfyui(start_comfyui: Callable[..., ComfyUIStandIn]) -> ComfyUIStandIn:
    return start_comfyui()


@pytest.fixture
def txt2img() -> Template:
    return load_template(SEED_TEMPLATES / "sd15-txt2img")


@pytest.fixture
def img2img() -> Template:
    return load_template(SEED_TEMPLATES / "sd15-img2img")
