"""CPU talking card: image + audio -> H.264/AAC video the length of the audio, waveform overlaid."""

import json
import subprocess

from PIL import Image

from function_runner import sdk


def duration_of(path: str) -> float:
    output = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(json.loads(output)["format"]["duration"])


def handle(request: sdk.Request, model: object) -> None:
    image, audio = str(request.path("image")), str(request.path("audio"))
    params = request.params
    with Image.open(image) as still:
        width = params["width"] - params["width"] % 2
        height = max(2, round(width * still.height / still.width / 2) * 2)
    duration = duration_of(audio)
    sdk.progress(10, "composing")
    picture = f"[0:v]scale={width}:{height},setsar=1,format=yuv420p[card]"
    if params["waveform"]:
        band = max(2, height // 5 // 2 * 2)
        graph = (
            f"{picture};[1:a]aformat=channel_layouts=mono,showwaves=s={width}x{band}:mode=cline"
            f":rate={params['fps']}:colors=white[waves];[card][waves]overlay=0:{height - band}:shortest=1,"
            "format=yuv420p[v]"
        )
    else:
        graph = picture.replace("[card]", "[v]")
    target = str(sdk.output_path("talking.mp4"))
    completed = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-y",
            "-loop",
            "1",
            "-framerate",
            str(params["fps"]),
            "-i",
            image,
            "-i",
            audio,
            "-filter_complex",
            graph,
            "-map",
            "[v]",
            "-map",
            "1:a",
            "-t",
            f"{duration:.3f}",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-tune",
            "stillimage",
            "-c:a",
            "aac",
            "-b:a",
            "96k",
            "-movflags",
            "+faststart",
            target,
        ],
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise SystemExit(f"ffmpeg failed: {completed.stderr[-800:]}")
    sdk.write_outputs(
        {"video": "talking.mp4"},
        metadata={"width": width, "height": height, "duration_s": round(duration_of(target), 3)},
    )


if __name__ == "__main__":
    sdk.run(handle)
