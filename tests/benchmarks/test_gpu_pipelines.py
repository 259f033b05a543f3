"""benchmarks/gpu_pipelines.py: checked on the CPU with the tiny models (CI), measured on a GPU host (`gpu`).

On a GPU host without the studio's environment (torch and the carried diffusers wheel only), from the
repository root: `python -m pytest -c /dev/null --noconftest -m gpu tests/benchmarks/test_gpu_pipelines.py`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def benchmark(python: str, tmp_path: Path, *args: str) -> list[dict[str, object]]:
    out = tmp_path / "rows.json"
    subprocess.run(
        [python, "-m", "benchmarks.gpu_pipelines", *args, "--json", str(out)], cwd=REPO, check=True, timeout=3000
    )
    rows: list[dict[str, object]] = json.loads(out.read_text())
    return rows


def test_the_benchmark_runs_each_saver_setting_through_the_entrypoint(tmp_path: Path) -> None:
    from tests.support.stack_models import stack_python  # the studio's side: builds the shared stack env

    rows = benchmark(str(stack_python()), tmp_path, "--smoke", "--only", "t2i-sd1.5", "--steps", "4")
    assert [(row["pipeline"], row["savers"]) for row in rows] == [("t2i-sd1.5", "none"), ("t2i-sd1.5", "<= 8 GB")]
    for row in rows:
        assert "error" not in row, row
        assert row["device"] == "cpu" and row["peak_vram_gb"] is None
        assert isinstance(row["s_per_step"], float) and row["s_per_step"] > 0
        assert isinstance(row["load_s"], float) and 0 < row["load_s"] < float(row["total_s"])  # type: ignore[arg-type]


def gpu_python(libraries: str = "diffusers") -> str:
    """An interpreter with torch, the libraries (comma-separated) and a CUDA device, or a skip that says why not."""
    if shutil.which("nvidia-smi") is None:
        pytest.skip("no NVIDIA GPU here (nvidia-smi is missing): the GPU benchmark runs on a GPU host")
    probe = f"import torch, {libraries}; assert torch.cuda.is_available()"
    if subprocess.run([sys.executable, "-c", probe], capture_output=True).returncode != 0:
        pytest.skip(f"{sys.executable} lacks torch with CUDA or {libraries} (bring their wheels)")
    return sys.executable


@pytest.mark.gpu
def test_sd15_at_its_real_size_fits_the_12_gb_tier_and_offload_lowers_its_peak(tmp_path: Path) -> None:
    rows = benchmark(gpu_python(), tmp_path, "--only", "t2i-sd1.5", "--steps", "6")
    by_savers = {row["savers"]: row for row in rows}
    assert all("error" not in row for row in rows), rows
    plain, offloaded = by_savers["none"], by_savers["<= 8 GB"]
    assert str(plain["device"]).startswith("cuda")
    assert 0 < float(plain["peak_vram_gb"]) < 12  # type: ignore[arg-type]
    assert float(offloaded["peak_vram_gb"]) < float(plain["peak_vram_gb"])  # type: ignore[arg-type]
    assert float(plain["s_per_step"]) > 0  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pipeline", "tiers"),
    [("train-lora-sd1.5", ["<= 12 GB", "<= 16 GB"]), ("train-lora-flux", ["<= 48 GB", "<= 80 GB"])],
)
def test_the_benchmark_times_training_steps_of_the_lora_trainers(
    tmp_path: Path, pipeline: str, tiers: list[str]
) -> None:
    from tests.support.stack_models import stack_python

    rows = benchmark(str(stack_python()), tmp_path, "--smoke", "--only", pipeline, "--steps", "4")
    assert [row["savers"] for row in rows] == ["none", *tiers]
    for row in rows:
        assert "error" not in row, row
        assert row["device"] == "cpu" and isinstance(row["s_per_step"], float) and row["s_per_step"] > 0


@pytest.mark.gpu
def test_sd15_lora_training_at_its_real_size_fits_the_12_gb_recipe(tmp_path: Path) -> None:
    rows = benchmark(gpu_python(), tmp_path, "--only", "train-lora-sd1.5", "--steps", "8")
    assert all("error" not in row for row in rows), rows
    by_savers = {row["savers"]: row for row in rows}
    twelve = by_savers["<= 12 GB"]
    assert str(twelve["device"]).startswith("cuda") and float(twelve["s_per_step"]) > 0  # type: ignore[arg-type]
    assert 0 < float(twelve["peak_vram_gb"]) < 12  # type: ignore[arg-type]
    assert float(twelve["peak_vram_gb"]) <= float(by_savers["none"]["peak_vram_gb"])  # type: ignore[arg-type]


@pytest.mark.gpu
def test_flux_lora_training_at_its_real_size_fits_its_48_gb_recipe(tmp_path: Path) -> None:
    rows = benchmark(gpu_python(), tmp_path, "--only", "train-lora-flux", "--steps", "8")
    by_savers = {row["savers"]: row for row in rows}
    recipe = by_savers["<= 48 GB"]
    assert "error" not in recipe, rows
    assert str(recipe["device"]).startswith("cuda") and float(recipe["s_per_step"]) > 0  # type: ignore[arg-type]
    assert 0 < float(recipe["peak_vram_gb"]) < 48  # type: ignore[arg-type]
    if "error" not in by_savers["none"]:  # without savers it may not fit even an H200's memory
        assert float(recipe["peak_vram_gb"]) <= float(by_savers["none"]["peak_vram_gb"])  # type: ignore[arg-type]


def face_swap_rows(python: str, tmp_path: Path, store: Path, source: Path, video: Path) -> list[dict[str, object]]:
    files = ["--store", str(store), "--face-source", str(source), "--face-video", str(video)]
    return benchmark(python, tmp_path, "--only", "faceswap-reactor", *files)


def test_the_face_swap_row_times_each_swapped_frame(tmp_path: Path) -> None:
    from tests.support.face_media import face_picture, write_png, write_video
    from tests.support.stack_models import build_tiny, stack_python

    for model in ("insightface-buffalo-l", "inswapper-128", "nsfw-image-detection"):
        build_tiny(model, tmp_path / "models")
    source = write_png(tmp_path / "source.png", face_picture([(9, 9)]))
    video = write_video(tmp_path / "target.mp4", [face_picture([(9, 9)], size=320)] * 5, fps=10, audio=False)
    [row] = face_swap_rows(str(stack_python("insightface")), tmp_path, tmp_path / "models", source, video)
    assert "error" not in row, row
    assert (row["device"], row["swapped_frames"], row["peak_vram_gb"]) == ("cpu", 5, None)
    assert isinstance(row["s_per_frame"], float) and row["s_per_frame"] > 0


@pytest.mark.gpu
def test_face_swap_at_its_real_size_reports_seconds_per_frame_and_peak_vram(tmp_path: Path) -> None:
    """The real insightface models and a video with a face: STUDIO_BENCH_FACE_STORE (a store holding the three
    weights of faceswap-reactor), STUDIO_BENCH_FACE_SOURCE (a face picture), STUDIO_BENCH_FACE_VIDEO."""
    import os

    needed = ("STUDIO_BENCH_FACE_STORE", "STUDIO_BENCH_FACE_SOURCE", "STUDIO_BENCH_FACE_VIDEO")
    if shutil.which("nvidia-smi") is None:
        pytest.skip("no NVIDIA GPU here (nvidia-smi is missing): the GPU benchmark runs on a GPU host")
    if not all(os.environ.get(name) for name in needed):
        pytest.skip(f"random-weight face models find no face in real footage: set {', '.join(needed)}")
    store, source, video = (Path(os.environ[name]) for name in needed)
    [row] = face_swap_rows(sys.executable, tmp_path, store, source, video)
    assert "error" not in row, row
    assert row["device"] == "cuda" and float(row["s_per_frame"]) > 0  # type: ignore[arg-type]
    assert float(row["peak_vram_gb"]) > 0  # type: ignore[arg-type]


# Motion transfer (issue 18): Wan 2.1 VACE on a control clip the benchmark makes at the output's size (81 frames).
@pytest.mark.gpu
def test_wan_vace_at_its_real_size_makes_81_frames_of_480p_within_the_12_gb_tier_with_offload(tmp_path: Path) -> None:
    rows = benchmark(gpu_python(), tmp_path, "--only", "motion-wan2.1-vace-1.3b", "--steps", "4")
    by_savers = {row["savers"]: row for row in rows}
    assert all("error" not in row for row in rows), rows
    assert str(by_savers["none"]["device"]).startswith("cuda")
    assert float(by_savers["<= 16 GB"]["peak_vram_gb"]) < 12  # type: ignore[arg-type]
    assert float(by_savers["none"]["s_per_step"]) > 0  # type: ignore[arg-type]


@pytest.mark.gpu
@pytest.mark.parametrize("pipeline", ["edit-flux-kontext-dev", "identity-flux-kontext-dev"])
def test_kontext_at_its_real_size_fits_its_12_gb_tier_with_sequential_offload(tmp_path: Path, pipeline: str) -> None:
    """1024 px with FLUX.1 Kontext [dev] (12 B transformer + T5-XXL): the <= 24 GB rule serves the 12 GB low tier."""
    rows = benchmark(gpu_python(), tmp_path, "--only", pipeline, "--steps", "4")
    by_savers = {row["savers"]: row for row in rows}
    assert list(by_savers) == ["none", "<= 24 GB", "<= 40 GB"]
    for label in ("<= 24 GB", "<= 40 GB"):
        assert "error" not in by_savers[label], rows
        assert str(by_savers[label]["device"]).startswith("cuda")
        assert float(by_savers[label]["s_per_step"]) > 0  # type: ignore[arg-type]
    assert 0 < float(by_savers["<= 24 GB"]["peak_vram_gb"]) < 12  # type: ignore[arg-type]
    assert float(by_savers["<= 40 GB"]["peak_vram_gb"]) < 40  # type: ignore[arg-type]


def test_the_benchmark_times_upscaled_frames_per_tile_edge(tmp_path: Path) -> None:
    from tests.support.stack_models import stack_python

    rows = benchmark(str(stack_python()), tmp_path, "--smoke", "--only", "sr-spandrel")
    assert [row["savers"] for row in rows] == ["tile auto"]  # the GPU run adds tile 256 and 512
    for row in rows:
        assert "error" not in row, row
        assert row["device"] == "cpu" and isinstance(row["s_per_step"], float) and row["s_per_step"] > 0


@pytest.mark.gpu
def test_esrgan_upscales_1080p_frames_to_4k_within_the_8_gb_tier(tmp_path: Path) -> None:
    python = gpu_python()
    if subprocess.run([python, "-c", "import spandrel, einops"], capture_output=True).returncode != 0:
        pytest.skip(f"{python} lacks spandrel or einops (bring their wheels: pip install --no-deps spandrel einops)")
    rows = benchmark(python, tmp_path, "--only", "sr-spandrel")
    assert all("error" not in row for row in rows), rows
    auto = rows[0]
    assert str(auto["device"]).startswith("cuda") and float(auto["s_per_step"]) > 0  # type: ignore[arg-type]
    small = next(row for row in rows if row["savers"] == "tile 256")
    assert 0 < float(small["peak_vram_gb"]) < 8  # type: ignore[arg-type]


@pytest.mark.gpu
def test_f5_tts_at_its_real_size_reports_seconds_per_second_of_speech_and_fits_its_tiers(tmp_path: Path) -> None:
    [row] = benchmark(gpu_python("torchaudio, f5_tts, vocos"), tmp_path, "--only", "tts-f5", "--steps", "32")
    assert "error" not in row, row
    assert str(row["device"]).startswith("cuda")
    assert 0 < float(row["peak_vram_gb"]) < 4  # type: ignore[arg-type]  # the manifest's min_vram_gb
    assert float(row["s_per_output_s"]) > 0  # type: ignore[arg-type]
