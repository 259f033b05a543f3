"""Seconds of work per second of talking video, and peak VRAM, of talking-head-wav2lip on a GPU host.

    python -m benchmarks.gpu_talking_head --store MODELS --portrait face.png --voice speech.wav [--json out.json]
run from the repository root in the lipsync stack's interpreter (torch, lipsync, insightface). The store holds the
pipeline's real weights (`wav2lip`, `insightface-buffalo-l`, and the SFW gate's `nsfw-image-detection`, which it
loads): a random-weight SCRFD finds no face in a real portrait.
The entrypoint runs as a local process under the job-folder contract, as in benchmarks/gpu_pipelines.py; the clock
for painting starts at its "face found" line (models loaded, mel computed) and stops at its last frame.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.gpu_pipelines import PIPELINES, entrypoint_env, print_table, run_stamped

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
    run = run_stamped([python, "main.py"], PIPELINES / PIPELINE, entrypoint_env(job, store, "lipsync"))
    if run.returncode != 0:
        error = run.error.strip()
        last = error.splitlines()[-1][:300] if error else f"exit code {run.returncode}"
        return {"pipeline": PIPELINE, "savers": "none", "params": params, "error": last}
    metadata = json.loads((job / "out" / "result.json").read_text())["metadata"]
    painting = [t for t, step in run.stamps if step.startswith(("face found", "frame "))]
    return {
        "pipeline": PIPELINE,
        "savers": "none",
        "params": {"width": metadata["width"], "height": metadata["height"], "frames": metadata["frames"]},
        "load_s": round(painting[0], 2),
        "s_per_video_s": round((painting[-1] - painting[0]) / metadata["seconds"], 3),
        "total_s": round(run.total_s, 2),
        "peak_vram_gb": metadata["provenance"]["peak_vram_gb"],
        "device": metadata["provenance"]["device"],
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="Model store with the three weights.")
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
