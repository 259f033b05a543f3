"""benchmarks/gpu_talking_head.py on the tiny models on the CPU (the row's arithmetic and the entrypoint's launch);
on a GPU host, the real weights give the number the README reports."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support.face_media import face_picture, write_png, write_voice
from tests.support.stack_models import REPO, build_tiny, stack_python


def test_the_talking_head_row_reports_seconds_per_second_of_video(tmp_path: Path) -> None:
    for model in ("insightface-buffalo-l", "wav2lip", "nsfw-image-detection"):
        build_tiny(model, tmp_path / "models")
    portrait = write_png(tmp_path / "portrait.png", face_picture([(9, 9)], size=320))
    voice = write_voice(tmp_path / "voice.wav", 0.8)
    out = tmp_path / "row.json"
    python = str(stack_python("lipsync"))
    arguments = ["--store", str(tmp_path / "models"), "--portrait", str(portrait), "--voice", str(voice)]
    command = [python, "-m", "benchmarks.gpu_talking_head", *arguments, "--python", python, "--json", str(out)]
    subprocess.run(command, cwd=REPO, check=True, timeout=600)
    row = json.loads(out.read_text())
    assert "error" not in row, row
    assert (row["device"], row["params"]["frames"], row["peak_vram_gb"]) == ("cpu", 20, None)
    assert isinstance(row["s_per_video_s"], float) and row["s_per_video_s"] > 0
