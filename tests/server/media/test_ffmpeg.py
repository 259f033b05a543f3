"""ffmpeg on user media: only the file protocol, the demuxer forced by the extension, in MoviePy's command lines too,
and a process scope whose cancel kills what runs and refuses what would start."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import pytest

from server.errors import InvalidInputError
from server.media.ffmpeg import ffmpeg_exe, guard_inputs, input_args
from server.media.probe import probe
from server.media.processes import ProcessesStoppedError, ProcessScope
from tests.support.factories import media_bytes


def test_every_file_input_is_held_to_its_demuxer_and_the_file_protocol(tmp_path: Path) -> None:
    assert input_args(tmp_path / "take.MP4") == [
        "-protocol_whitelist",
        "file",
        "-f",
        "mov",
        "-i",
        str(tmp_path / "take.MP4"),
    ]
    moviepy_reader = ["ffmpeg", "-ss", "1.0", "-i", "/p/take.webm", "-f", "image2pipe", "-"]
    assert guard_inputs(moviepy_reader) == [
        "ffmpeg", "-ss", "1.0", "-protocol_whitelist", "file", "-f", "matroska", "-i", "/p/take.webm",
        "-f", "image2pipe", "-",
    ]  # fmt: skip
    writer = ["ffmpeg", "-f", "s16le", "-i", "-", "out.wav"]
    assert guard_inputs(writer) == writer  # a pipe is not a file
    with pytest.raises(InvalidInputError, match=r"'notes\.txt' is not a media file the studio reads"):
        input_args("notes.txt")


def test_a_file_that_is_not_what_its_extension_says_is_refused(tmp_path: Path) -> None:
    wav = tmp_path / "voice.wav"
    wav.write_bytes(media_bytes(tmp_path, "wav"))
    disguised = tmp_path / "clip.mp4"
    disguised.write_bytes(wav.read_bytes())  # ffmpeg would happily read it as WAV if it guessed
    with pytest.raises(InvalidInputError, match="holds no audio or video ffmpeg can read"):
        probe(disguised)
    assert probe(wav).audio is not None


def test_a_cancelled_scope_kills_its_processes_and_starts_no_more() -> None:
    scope = ProcessScope()
    started = threading.Event()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            with scope.started([ffmpeg_exe(), "-f", "lavfi", "-i", "nullsrc", "-f", "null", "-"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:  # fmt: skip
                started.set()
                process.wait()
            scope.check()
        except ProcessesStoppedError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(30)
    scope.token.cancel()
    thread.join(timeout=30)
    assert not thread.is_alive() and len(outcome) == 1  # an endless ffmpeg ended by the cancel
    with pytest.raises(ProcessesStoppedError):
        scope.run([ffmpeg_exe(), "-version"])
