"""Connecting to the Docker engine: a missing engine is a sentence, not a stack trace."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import pytest

from function_runner.config import RunnerConfig
from function_runner.docker_backend import connect, engine_socket_answers
from function_runner.errors import EngineUnavailableError


def test_a_missing_engine_names_the_address_and_the_way_out(config: RunnerConfig, tmp_path: Path) -> None:
    url = f"unix://{tmp_path / 'docker.sock'}"
    with pytest.raises(EngineUnavailableError) as caught:
        connect(replace(config, docker_url=url))
    assert caught.value.message == (
        f"No Docker engine answers at {url}. Start dockerd (./dev.sh test does) or use the process backend."
    )


def test_the_socket_probe_sees_a_listening_socket(tmp_path: Path) -> None:
    path = tmp_path / "engine.sock"
    assert not engine_socket_answers(f"unix://{path}")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)
        assert engine_socket_answers(f"unix://{path}")
    assert engine_socket_answers("tcp://127.0.0.1:2375")  # the client decides for remote engines
