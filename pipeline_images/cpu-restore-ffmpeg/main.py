"""CPU restoration: hqdn3d denoise + deblock at a strength from 0 to 1 (ffmpeg), audio kept."""

import json
import subprocess

from function_runner import sdk


def denoise_filter(strength: float, deblock: bool) -> str:
    # hqdn3d's defaults are 4:3:6:4.5 (strength 1/3); 1.0 is three times them, for heavy grain.
    luma = max(0.01, 12.0 * strength)
    chain = [f"hqdn3d={luma:.2f}:{luma * 0.75:.2f}:{luma * 1.5:.2f}:{luma * 1.125:.2f}"]
    if deblock and strength > 0:
        chain.insert(0, f"deblock=filter={'strong' if strength > 0.6 else 'weak'}:block=8")
    return ",".join(chain)


def frame_count(path: str) -> int:
    output = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-count_packets",
            "-show_entries",
            "stream=nb_read_packets",
            "-of",
            "json",
            path,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return max(1, int(json.loads(output)["streams"][0]["nb_read_packets"]))


def run_ffmpeg(args: list[str], frames: int) -> None:
    """ffmpeg with its machine-readable progress turned into SDK progress lines."""
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    for line in process.stdout:
        if line.startswith("frame="):
            sdk.progress(min(99, 5 + 90 * int(line.split("=")[1]) / frames), "restoring")
    error = process.stderr.read()
    if process.wait() != 0:
        raise SystemExit(f"ffmpeg failed: {error[-800:]}")


def handle(request: sdk.Request, model: object) -> None:
    source = str(request.path("video"))
    strength, deblock = float(request.params["strength"]), bool(request.params["deblock"])
    chain = denoise_filter(strength, deblock)
    target = str(sdk.output_path("restored.mp4"))
    run_ffmpeg(
        [
            "-i",
            source,
            "-map",
            "0:v:0",
            "-map",
            "0:a?",
            "-vf",
            f"{chain},format=yuv420p",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "18",
            "-c:a",
            "copy",
            target,
        ],
        frame_count(source),
    )
    sdk.write_outputs({"video": "restored.mp4"}, metadata={"filter": chain, "strength": strength})


if __name__ == "__main__":
    sdk.run(handle)
