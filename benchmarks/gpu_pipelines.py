"""Seconds per step and peak VRAM of each generative pipeline at its real architecture size, on a GPU host.

Run on a machine with an NVIDIA GPU, from the repository root:
    python -m benchmarks.gpu_pipelines [--only t2i-sd1.5,t2v-wan2.1-1.3b] [--steps 4] [--json out.json]
It needs only torch, diffusers and transformers (a GPU host without the studio's environment: bring the
diffusers wheel): no weights can be downloaded, so each model is built at its real size with random
weights in its real dtype and saved into a scratch model store (deleted after its pipeline unless
--keep). Each pipeline's own entrypoint then runs as a local process under the job-folder contract (the
process backend's launch, done here with the standard library because the studio's dependencies are
not installed on such hosts), once per memory-saver setting: none, and the manifest's rule for each
VRAM tier. Seconds per step come from the `step i/N` progress lines, peak VRAM from the take provenance.
`--smoke` runs the same on the tiny test models on the CPU (what CI checks: tests/benchmarks/).
sr-spandrel's rows are per tile edge instead of memory savers, and its "step" is one upscaled 1080p frame.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from function_runner.stacks import load_stack

REPO = Path(__file__).resolve().parents[1]
PIPELINES = REPO / "pipeline_images"
STACK_MODULES = PIPELINES / "stacks" / "diffusers"


@dataclass(frozen=True)
class Case:
    pipeline: str
    model: str  # the model-store folder the manifest names
    request: dict[str, Any]  # inputs and params at the size the tier promises


PROMPT = {"prompt": "a lighthouse at dusk"}
CASES = [
    Case("t2i-sd1.5", "stable-diffusion-v1-5", {"inputs": PROMPT, "params": {"width": 512, "height": 512}}),
    Case("t2i-flux-schnell", "FLUX.1-schnell", {"inputs": PROMPT, "params": {"width": 1024, "height": 1024}}),
    Case("t2i-flux-dev-fp16", "FLUX.1-dev", {"inputs": PROMPT, "params": {"width": 1024, "height": 1024}}),
    Case(
        "t2v-wan2.1-1.3b",
        "Wan2.1-T2V-1.3B-Diffusers",
        {"inputs": PROMPT, "params": {"width": 832, "height": 480, "frames": 81}},
    ),
    Case(
        "t2v-ltx-13b",
        "LTX-Video-0.9.7-dev",
        {"inputs": PROMPT, "params": {"width": 1216, "height": 704, "frames": 121}},
    ),
    Case(
        "i2v-ltx",
        "LTX-Video",
        {"inputs": {**PROMPT, "image": "frame.png"}, "params": {"width": 704, "height": 480, "frames": 121}},
    ),
    # LoRA training: its steps are training steps (forward, backward, optimiser), at SD 1.5's own 512 px.
    Case(
        "train-lora-sd1.5",
        "stable-diffusion-v1-5",
        {
            "inputs": {"images": ["ref1.png", "ref2.png"]},
            "params": {"trigger_word": "sks_mara", "captions": [], "resolution": 512, "sample_steps": 2},
        },
    ),
    # FLUX.1 [dev] LoRA training at 512 px, the usual LoRA training size (the sample too, in two steps).
    Case(
        "train-lora-flux",
        "FLUX.1-dev",
        {
            "inputs": {"images": ["ref1.png", "ref2.png"]},
            "params": {"trigger_word": "sks_mara", "captions": [], "resolution": 512, "sample_steps": 2},
        },
    ),
]
# FLUX.1 Kontext [dev] (issue 18): an edit of a 1024 px source, and a 1024 px image of the sample reference.
CASES += [
    Case(
        "edit-flux-kontext-dev",
        "FLUX.1-Kontext-dev",
        {"inputs": {"prompt": "make it night", "image": "source_1024.png"}, "params": {}},
    ),
    Case(
        "identity-flux-kontext-dev",
        "FLUX.1-Kontext-dev",
        {"inputs": {**PROMPT, "image": "reference.png"}, "params": {"width": 1024, "height": 1024}},
    ),
]
# Motion transfer (issue 18): a control video at the output's size, 81 frames (5 s at 16 fps; 9 on --smoke), made by
# ffmpeg beside the pipeline's samples (the sample clip is 9 frames of 64x48).
CONTROL_CLIPS = {"motion-wan2.1-vace-1.3b": "control-clip.mp4"}
CASES.append(
    Case(
        "motion-wan2.1-vace-1.3b",
        "Wan2.1-VACE-1.3B-diffusers",
        {
            "inputs": {**PROMPT, "image": "character.png", "motion": CONTROL_CLIPS["motion-wan2.1-vace-1.3b"]},
            "params": {"width": 832, "height": 480},
        },
    )
)


def control_clip(target: Path, params: dict[str, Any], smoke: bool) -> None:
    frames = 9 if smoke else 81
    source = f"testsrc=s={params['width']}x{params['height']}:r=16:d={frames / 16},edgedetect"
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-frames:v", str(frames)]
    subprocess.run([*command, "-c:v", "libx264", "-pix_fmt", "yuv420p", str(target)], check=True)


SMOKE_SIZES = {"width": 64, "height": 64, "frames": 9, "resolution": 32}  # 9 = 4k+1 (Wan) and 8k+1 (LTX)
# Progress lines that time one step (denoising, or training), and the one that ends loading.
STEP_PREFIXES = ("step ", "training step ", "frame ")
LOADED_STEPS = ("encoding the prompt", "encoding the images and captions", "reading frames")


def saver_settings(manifest: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """No savers, then each of the manifest's rules (named by the tier it is for)."""
    rules = manifest["resources"].get("memory_savers", [])
    return [("none", []), *((f"<= {r['max_vram_gb']} GB", list(r["savers"])) for r in rules)]


def prepared_pipeline(case: Case, savers: list[str], scratch: Path) -> Path:
    """A copy of the pipeline folder whose manifest applies exactly `savers` on any GPU."""
    folder = scratch / "pipelines" / f"{case.pipeline}-{'-'.join(savers) or 'none'}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(PIPELINES / case.pipeline, folder, ignore=shutil.ignore_patterns("test_*"))
    manifest = json.loads((folder / "pipeline.json").read_text())
    manifest["resources"]["memory_savers"] = [{"max_vram_gb": 100000, "savers": savers}] if savers else []
    (folder / "pipeline.json").write_text(json.dumps(manifest))
    return folder


def entrypoint_env(job: Path, store: Path, stack: str = "diffusers") -> dict[str, str]:
    """What the process backend gives an entrypoint: the SDK and the modules of its stack's layers (as
    process_backend puts them on PYTHONPATH), the job folder, the store."""
    layers = load_stack(PIPELINES / "stacks", stack).chain()
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), *(str(layer.folder) for layer in layers if layer.modules())]),
        "STUDIO_IO": str(job),
        "STUDIO_MODELS": str(store),
        "PYTHONUNBUFFERED": "1",
    }


@dataclass(frozen=True)
class StampedRun:
    """An entrypoint run: when each progress line came (seconds from the start, its step), how it ended."""

    stamps: list[tuple[float, str]]
    returncode: int
    error: str  # its stderr
    total_s: float


def run_stamped(command: list[str], cwd: Path, env: dict[str, str]) -> StampedRun:
    started = time.monotonic()
    stamps: list[tuple[float, str]] = []
    with subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        for line in process.stdout:
            if line.startswith("{"):
                stamps.append((time.monotonic() - started, json.loads(line).get("step", "")))
        error = process.stderr.read()
    return StampedRun(stamps, process.returncode, error, time.monotonic() - started)


def run_entrypoint(folder: Path, store: Path, request: dict[str, Any], job: Path) -> dict[str, Any]:
    """One job through the entrypoint as a local process: timings from its progress lines, its result."""
    shutil.rmtree(job, ignore_errors=True)
    (job / "in").mkdir(parents=True)
    (job / "out").mkdir()
    (job / "in" / "request.json").write_text(json.dumps({"seed": 0, **request}))
    for name in ("image", "images", "motion", "video"):  # images, control and source videos: the pipeline's samples
        files = request["inputs"].get(name, [])
        for file in [files] if isinstance(files, str) else files:
            shutil.copy(folder / "samples" / file, job / "in" / file)
    run = run_stamped([sys.executable, "main.py"], folder, entrypoint_env(job, store))
    if run.returncode != 0:
        raise RuntimeError(f"{folder.name} failed: {run.error[-2000:]}")
    steps = [t for t, step in run.stamps if step.startswith(STEP_PREFIXES)]
    loaded = next(t for t, step in run.stamps if step in LOADED_STEPS)
    result = json.loads((job / "out" / "result.json").read_text())
    return {
        "load_s": round(loaded, 2),
        # The first step carries warm-up (kernels, offload hooks): the median of the rest.
        "s_per_step": round(statistics.median([b - a for a, b in itertools.pairwise(steps[1:])]), 3)
        if len(steps) > 2
        else None,
        "total_s": round(run.total_s, 2),
        "peak_vram_gb": result["metadata"]["provenance"]["peak_vram_gb"],
        "device": result["metadata"]["provenance"]["device"],
    }


def build_model(case: Case, store: Path, smoke: bool) -> None:
    target = store / case.model
    if (target / "model_index.json").is_file():
        return
    if smoke:
        from tests.support.tiny_models import all_builders

        all_builders()[case.model](target)
        return
    from benchmarks.gpu_models import REAL_SIZE

    REAL_SIZE[case.model](target)


def measure(case: Case, store: Path, scratch: Path, steps: int, smoke: bool) -> list[dict[str, Any]]:
    build_model(case, store, smoke)
    manifest = json.loads((PIPELINES / case.pipeline / "pipeline.json").read_text())
    # The manifest's defaults first, as the runner fills them (prepare_job).
    defaults = {k: s["default"] for k, s in manifest["params"]["properties"].items() if "default" in s}
    params = {**defaults, **case.request["params"], "steps": steps}
    if smoke:
        params.update({k: v for k, v in SMOKE_SIZES.items() if k in params})
    rows = []
    for label, savers in saver_settings(manifest):
        folder = prepared_pipeline(case, savers, scratch)
        if case.pipeline in CONTROL_CLIPS:
            control_clip(folder / "samples" / CONTROL_CLIPS[case.pipeline], params, smoke)
        try:
            measured = run_entrypoint(folder, store, {**case.request, "params": params}, scratch / "job")
        except RuntimeError as exc:  # e.g. out of memory without savers: a result, not a crash
            measured = {"error": str(exc).splitlines()[-1][:300]}
        rows.append({"pipeline": case.pipeline, "savers": label, "params": params, **measured})
    return rows


# -- spandrel networks (sr-spandrel): seconds per upscaled 1080p frame and peak VRAM, per tile edge ---------------
SR_NETWORK = "esrgan-x2.safetensors"
SR_FRAMES = 5  # the first frame carries warm-up: s/frame is the median of the others
SR_TILES = (0, 256, 512)  # 0: the tile the pipeline picks for this GPU's memory


def build_sr_network(store: Path, smoke: bool) -> None:
    """upscale-networks/esrgan-x2.safetensors: ESRGAN's RRDBNet x2 at its real size (64 filters, 23 blocks; the
    tiny test network when smoke), random weights."""
    target = store / "upscale-networks"
    target.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(STACK_MODULES))  # spandrel_job: spandrel importable without torchvision
    if smoke:
        from tests.support.tiny_spandrel import FOLDERS

        state = FOLDERS["upscale-networks"][SR_NETWORK]()
    else:
        import spandrel_job  # noqa: F401
        import torch
        from spandrel.architectures.ESRGAN import ESRGAN

        torch.manual_seed(0)
        state = ESRGAN(num_filters=64, num_blocks=23, scale=2).state_dict()
    from safetensors.torch import save_file

    save_file({key: value.contiguous() for key, value in state.items()}, target / SR_NETWORK)


def measure_sr(store: Path, scratch: Path, smoke: bool) -> list[dict[str, Any]]:
    """sr-spandrel on SR_FRAMES 1080p frames (64x36 when smoke) at scale 2 (to 4K), once per tile edge."""
    build_sr_network(store, smoke)
    width, height = (64, 36) if smoke else (1920, 1080)
    rows = []
    for tile in SR_TILES[:1] if smoke else SR_TILES:  # smoke: the script's path once (CI time)
        folder = prepared_pipeline(Case("sr-spandrel", "upscale-networks", {}), [], scratch)
        (folder / "samples").mkdir(exist_ok=True)
        source = f"testsrc2=size={width}x{height}:rate=24:duration={SR_FRAMES / 24}"
        command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-pix_fmt", "yuv420p"]
        subprocess.run([*command, str(folder / "samples" / "frames.mp4")], check=True)
        params = {"scale": 2, "network": SR_NETWORK, "tile": tile}
        request = {"inputs": {"video": "frames.mp4"}, "params": params}
        try:
            measured = run_entrypoint(folder, store, request, scratch / "job")
        except RuntimeError as exc:
            measured = {"error": str(exc).splitlines()[-1][:300]}
        row = {"pipeline": "sr-spandrel", "savers": f"tile {tile or 'auto'}", "params": params, **measured}
        rows.append({**row, "size": f"{width}x{height}x{SR_FRAMES}"})
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    rate = "s/step (face swap: s/frame, talking head: s/video s)"
    print(f"| pipeline | memory savers | size | load s | {rate} | peak VRAM GB | note |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        size = row.get("size") or "x".join(
            str(row["params"][k]) for k in ("width", "height", "frames", "resolution") if k in row["params"]
        )
        print(
            f"| {row['pipeline']} | {row['savers']} | {size} | {row.get('load_s', '')} | "
            f"{row.get('s_per_step', row.get('s_per_frame', row.get('s_per_video_s', '')))} | "
            f"{row.get('peak_vram_gb', '')} | "
            f"{row.get('error', '')} |"
        )


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="Comma-separated pipeline ids (default: all).")
    parser.add_argument("--steps", type=int, default=4, help="Denoising steps per run (s/step needs 3 or more).")
    parser.add_argument("--smoke", action="store_true", help="Tiny test models on the CPU (checks the script).")
    parser.add_argument("--store", type=Path, help="Model store to build into (default: a scratch folder).")
    parser.add_argument("--keep", action="store_true", help="Keep the built models (tens of GB at real size).")
    parser.add_argument("--json", type=Path, help="Also write the rows here.")
    parser.add_argument("--face-source", type=Path, help=f"{FACE_SWAP}: a picture with the face to put in.")
    parser.add_argument("--face-video", type=Path, help=f"{FACE_SWAP}: a video with a face to replace.")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(",")) if args.only else {case.pipeline for case in CASES} | {"sr-spandrel"}
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        store = args.store or scratch / "models"
        if FACE_SWAP in wanted:
            if args.store is None or args.face_source is None or args.face_video is None:
                parser.error(f"{FACE_SWAP} measures its real models: give --store, --face-source and --face-video")
            rows.append(measure_face_swap(args.store, args.face_source, args.face_video, scratch))
        for case in (c for c in CASES if c.pipeline in wanted):
            rows += measure(case, store, scratch, args.steps, args.smoke)
            if not args.keep and args.store is None:
                shutil.rmtree(store / case.model, ignore_errors=True)  # real sizes do not all fit one disk
        if "sr-spandrel" in wanted:
            rows += measure_sr(store, scratch, args.smoke)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return rows


# -- faceswap-reactor: seconds per swapped frame and peak VRAM --------------------------------------------------
# Its face models are ONNX graphs whose architectures no library builds with random weights, and a random-weight
# detector finds no face in real footage: this row measures the real models (`studio models pull` of the three
# weights into --store) on a video with a face (--face-video) and a source face picture (--face-source).
FACE_SWAP = "faceswap-reactor"
VRAM_POLL_S = 0.05


def peak_gpu_memory_gb(pid: int, stop: Any, peak: list[float]) -> None:
    """Polls nvidia-smi for the process's GPU memory (ONNX Runtime's CUDA arena is not torch's, so torch's own
    counter misses it) until `stop` is set; the highest reading lands in peak[0]."""
    while not stop.is_set():
        listing = subprocess.run(
            ["nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for line in listing.splitlines():
            owner, _, used = line.partition(",")
            if owner.strip() == str(pid) and used.strip().isdigit():
                peak[0] = max(peak[0], int(used) / 1024)
        stop.wait(VRAM_POLL_S)


def measure_face_swap(store: Path, source: Path, video: Path, scratch: Path) -> dict[str, Any]:
    """One swap of every frame of `video` through the entrypoint (SFW gate on): seconds per frame, peak VRAM."""
    import threading

    job = scratch / "face-job"
    shutil.rmtree(job, ignore_errors=True)
    (job / "in").mkdir(parents=True)
    (job / "out").mkdir()
    shutil.copy(source, job / "in" / f"source{source.suffix}")
    shutil.copy(video, job / "in" / f"target{video.suffix}")
    request = {
        "inputs": {"source": f"source{source.suffix}", "target_video": f"target{video.suffix}"},
        # Every param, as the runner fills defaults in: no face restoration (the swap alone is what is timed).
        "params": {
            "source_face_index": 0,
            "target_face_index": 0,
            "face_restore_model": "",
            "face_restore_visibility": 1,
        },
        "seed": 0,
        "gates": {"sfw": {"threshold": 0.5}},
    }
    (job / "in" / "request.json").write_text(json.dumps(request))
    env = entrypoint_env(job, store, "insightface")
    started = time.monotonic()
    stamps: list[float] = []
    stop, peak = threading.Event(), [0.0]
    with subprocess.Popen(
        [sys.executable, "main.py"], cwd=PIPELINES / FACE_SWAP, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        watcher = threading.Thread(target=peak_gpu_memory_gb, args=(process.pid, stop, peak), daemon=True)
        if shutil.which("nvidia-smi"):
            watcher.start()
        assert process.stdout is not None and process.stderr is not None
        for raw in process.stdout:
            line = raw.decode(errors="replace")
            if line.startswith("{") and json.loads(line).get("step", "").startswith("frame "):
                stamps.append(time.monotonic() - started)
        error = process.stderr.read().decode(errors="replace")
    stop.set()
    if process.returncode != 0:
        last = error.strip().splitlines()[-1][:300] if error.strip() else f"exit code {process.returncode}"
        return {"pipeline": FACE_SWAP, "savers": "none", "params": {}, "error": last}
    metadata = json.loads((job / "out" / "result.json").read_text())["metadata"]
    return {
        "pipeline": FACE_SWAP,
        "savers": "none",
        "params": {"width": metadata["width"], "height": metadata["height"], "frames": metadata["frames"]},
        "load_s": round(stamps[0], 2) if stamps else None,
        # The first frame carries warm-up (CUDA kernels, arena growth): the median of the rest.
        "s_per_frame": round(statistics.median([b - a for a, b in itertools.pairwise(stamps[1:])]), 3)
        if len(stamps) > 2
        else None,
        "total_s": round(time.monotonic() - started, 2),
        "peak_vram_gb": round(peak[0], 2) if peak[0] else None,
        "device": metadata.get("device"),
        "swapped_frames": metadata["swapped_frames"],
    }


if __name__ == "__main__":
    main()
