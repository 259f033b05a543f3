"""CPU animatic: a still (or a prompt card) -> H.264 video with a zoompan camera move (ffmpeg)."""

import json
import subprocess
import textwrap

from PIL import Image, ImageDraw, ImageFont

from function_runner import sdk

RATIOS = {"16:9": 16 / 9, "2.39:1": 2.39, "1.85:1": 1.85, "4:3": 4 / 3, "1:1": 1.0, "9:16": 9 / 16}
# zoompan works on whole pixels; moving over a 4x larger source keeps the move from stepping.
OVERSAMPLE = 4


def frame_size(width: int, aspect_ratio: str) -> tuple[int, int]:
    height = max(2, round(width / RATIOS[aspect_ratio] / 2) * 2)  # yuv420p needs even sizes
    return width - width % 2, height


def prompt_card(prompt: str, size: tuple[int, int]) -> Image.Image:
    card = Image.new("RGB", size, (30, 32, 40))
    draw = ImageDraw.Draw(card)
    font = ImageFont.load_default()
    for row, line in enumerate(textwrap.wrap(prompt or "(no prompt)", width=max(10, size[0] // 7))[:20]):
        draw.text((8, 8 + 12 * row), line, fill=(235, 235, 225), font=font)
    return card


def camera(move: str, zoom: float, frames: int) -> str:
    last = max(1, frames - 1)
    centre = "x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)'"
    if move == "push-in":
        return f"z='1+({zoom}-1)*on/{last}':{centre}"
    if move == "pull-out":
        return f"z='{zoom}-({zoom}-1)*on/{last}':{centre}"
    travel = "(iw-iw/zoom)*on/" + str(last)
    x = travel if move == "pan-right" else f"(iw-iw/zoom)-{travel}"
    return f"z='{zoom}':x='{x}':y='ih/2-(ih/zoom/2)'"


def run_ffmpeg(args: list[str], frames: int) -> None:
    """ffmpeg with its machine-readable progress turned into SDK progress lines."""
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    for line in process.stdout:
        if line.startswith("frame="):
            sdk.progress(min(99, 10 + 85 * int(line.split("=")[1]) / frames), "encoding")
    error = process.stderr.read()
    if process.wait() != 0:
        raise SystemExit(f"ffmpeg failed: {error[-800:]}")


def probe(path: str) -> dict[str, object]:
    output = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-count_frames",
            "-show_entries",
            "stream=width,height,nb_read_frames:format=duration",
            "-of",
            "json",
            path,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    info = json.loads(output)
    stream = info["streams"][0]
    return {
        "width": int(stream["width"]),
        "height": int(stream["height"]),
        "frames": int(stream["nb_read_frames"]),
        "duration_s": round(float(info["format"]["duration"]), 3),
    }


def handle(request: sdk.Request, model: object) -> None:
    params = request.params
    width, height = frame_size(params["width"], params["aspect_ratio"])
    frames = max(1, round(params["duration_s"] * params["fps"]))
    if "image" in request.inputs:
        source = str(request.path("image"))
    else:
        source = str(sdk.output_path("card.png"))
        prompt_card(request.inputs.get("prompt", ""), (width, height)).save(source)
    big_w, big_h = width * OVERSAMPLE, height * OVERSAMPLE
    video_filter = (
        f"scale={big_w}:{big_h}:force_original_aspect_ratio=increase,crop={big_w}:{big_h},"
        f"zoompan={camera(params['move'], params['zoom'], frames)}:d={frames}"
        f":s={width}x{height}:fps={params['fps']},"
        "format=yuv420p"
    )
    target = str(sdk.output_path("animatic.mp4"))
    sdk.progress(5, "camera move")
    run_ffmpeg(
        [
            "-i",
            source,
            "-vf",
            video_filter,
            "-frames:v",
            str(frames),
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "20",
            "-movflags",
            "+faststart",
            target,
        ],
        frames,
    )
    sdk.write_outputs({"video": "animatic.mp4"}, metadata={**probe(target), "move": params["move"]})


if __name__ == "__main__":
    sdk.run(handle)
