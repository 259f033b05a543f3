"""Seconds of work per second of talking video, and peak VRAM, of talking-head-wav2lip on a GPU host.

    python -m benchmarks.gpu_talking_head --store MODELS --portrait face.png --voice speech.wav [--json out.json]
run from the repository root in the lipsync stack's interpreter (torch, lipsync, insightface). The store holds the
pipeline's real weights (`wav2lip`, `insightface-buffalo-l`): a random-weight SCRFD finds no face in a real portrait.
The entrypoint runs as a local process under the job-folder contract, as in benchmarks/gpu_pipelines.py; the clock
for painting starts at its "face found" line (models loaded, mel computed) and stops at its last frame.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.gpu_pipelines import PIPELINES, entrypoint_env, print_table

PIPELINE = "talking-head-wav2lip"


def measure(store: Path, portrait: Path, voice: Path, scratch: Path, python: str) -> dict[str, Any]:
    job = scratch / "talking-job"
    (job / "in").mkdir(parents=True)
    (job / "out").mkdir()
    shutil.copy(portrait, job / "in" / f"portrait{portrait.suffix}")
    shutil.copy(voice, job / "in" / f"voice{voice.suffix}")
    params = {"fps": 25, "pad_top": 0, "pad_bottom": 10, "pad_left": 0, "pad_right": 0, "batch_size": 32}
    inputs = {"image": f"portrait{portrait.suffix}", "audio": f"voice{voice.suffix}"}
    (job / "in" / "request.json").write_text(json.dumps({"inputs": inputs, "params": params, "seed": 0}))
    started = time.monotonic()
    stamps: list[tuple[float, str]] = []
    with subprocess.Popen(
        [python, "main.py"], cwd=PIPELINES / PIPELINE, env=entrypoint_env(job, store, "lipsync"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as process:  # fmt: skip
        assert process.stdout is not None and process.stderr is not None
        for line in process.stdout:
            if line.startswith("{"):
                stamps.append((time.monotonic() - started, json.loads(line).get("step", "")))
        error = process.stderr.read()
    if process.returncode != 0:
        last = error.strip().splitlines()[-1][:300] if error.strip() else f"exit code {process.returncode}"
        return {"pipeline": PIPELINE, "savers": "none", "params": params, "error": last}
    metadata = json.loads((job / "out" / "result.json").read_text())["metadata"]
    painting = [t for t, step in stamps if step.startswith(("face found", "frame "))]
    return {
        "pipeline": PIPELINE,
        "savers": "none",
        "params": {"width": metadata["width"], "height": metadata["height"], "frames": metadata["frames"]},
        "load_s": round(painting[0], 2),
        "s_per_video_s": round((painting[-1] - painting[0]) / metadata["seconds"], 3),
        "total_s": round(time.monotonic() - started, 2),
        "peak_vram_gb": metadata["provenance"]["peak_vram_gb"],
        "device": metadata["provenance"]["device"],
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="Model store with wav2lip and insightface-buffalo-l.")
    parser.add_argument("--portrait", type=Path, required=True, help="A picture with a face.")
    parser.add_argument("--voice", type=Path, required=True, help="A speech recording.")
    parser.add_argument("--python", default=sys.executable, help="The lipsync stack's interpreter.")
    parser.add_argument("--json", type=Path, help="Also write the row here.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        row = measure(args.store, args.portrait, args.voice, Path(tmp), args.python)
    print_table([row])
    if args.json:
        args.json.write_text(json.dumps(row, indent=2))
    return row


if __name__ == "__main__":
    main()
