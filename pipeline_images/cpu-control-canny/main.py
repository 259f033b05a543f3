"""CPU control maps: Canny edges and depth-from-luminance, in numpy (no OpenCV in the base image), of an image
or of a video frame by frame (a Motion Source's control video, at the source's frame rate)."""

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image

from function_runner import sdk

MAX_FRAMES = 300  # of a source video, 10 s at 30 fps: every frame is a numpy Canny on one CPU core


def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    radius = max(1, int(3 * sigma))
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    kernel = np.exp(-(x**2) / (2 * sigma**2))
    kernel /= kernel.sum()
    padded = np.pad(image, radius, mode="edge")
    rows = sum(kernel[i] * padded[:, i : i + image.shape[1]] for i in range(kernel.size))
    return sum(kernel[i] * rows[i : i + image.shape[0], :] for i in range(kernel.size))


def sobel(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = np.pad(image, 1, mode="edge")
    gx = (p[:-2, 2:] + 2 * p[1:-1, 2:] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[1:-1, :-2] + p[2:, :-2])
    gy = (p[2:, :-2] + 2 * p[2:, 1:-1] + p[2:, 2:]) - (p[:-2, :-2] + 2 * p[:-2, 1:-1] + p[:-2, 2:])
    return gx, gy


def non_maximum_suppression(magnitude: np.ndarray, gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Keep pixels that are the maximum along their gradient direction (quantised to 4 directions)."""
    angle = (np.rad2deg(np.arctan2(gy, gx)) + 180.0) % 180.0
    sector = np.digitize(angle, [22.5, 67.5, 112.5, 157.5]) % 4  # 0: E-W, 1: NE-SW, 2: N-S, 3: NW-SE
    p = np.pad(magnitude, 1)
    h, w = magnitude.shape
    neighbours = {
        0: (p[1 : h + 1, 2:], p[1 : h + 1, :w]),
        1: (p[:h, 2:], p[2:, :w]),
        2: (p[:h, 1 : w + 1], p[2:, 1 : w + 1]),
        3: (p[:h, :w], p[2:, 2:]),
    }
    keep = np.zeros_like(magnitude, dtype=bool)
    for direction, (a, b) in neighbours.items():
        here = sector == direction
        keep |= here & (magnitude >= a) & (magnitude >= b)
    return np.where(keep, magnitude, 0.0)


def hysteresis(strong: np.ndarray, weak: np.ndarray) -> np.ndarray:
    """Grow strong edges into 8-connected weak ones until nothing changes."""
    edges = strong.copy()
    while True:
        p = np.pad(edges, 1)
        grown = np.zeros_like(edges)
        for dy in (0, 1, 2):
            for dx in (0, 1, 2):
                grown |= p[dy : dy + edges.shape[0], dx : dx + edges.shape[1]]
        updated = edges | (grown & weak)
        if (updated == edges).all():
            return edges
        edges = updated


def canny(gray: np.ndarray, low: float, high: float) -> np.ndarray:
    gx, gy = sobel(gaussian_blur(gray, 1.4))
    magnitude = np.hypot(gx, gy)
    peak = magnitude.max()
    if peak > 0:
        magnitude /= peak
    thin = non_maximum_suppression(magnitude, gx, gy)
    return hysteresis(thin >= high, thin >= low)


def depth_from_luma(gray: np.ndarray, invert: bool) -> np.ndarray:
    """Brighter reads nearer (lit foreground); a broad blur removes texture, keeps masses."""
    depth = gaussian_blur(gray, max(2.0, min(gray.shape) / 40))
    depth -= depth.min()
    if depth.max() > 0:
        depth /= depth.max()
    return 1.0 - depth if invert else depth


def control_map(gray: np.ndarray, params: dict) -> np.ndarray:
    """One frame's map as 8-bit luminance."""
    if params["mode"] == "canny":
        return canny(gray, params["low_threshold"], params["high_threshold"]).astype(np.uint8) * 255
    return (depth_from_luma(gray, params["invert_depth"]) * 255).round().astype(np.uint8)


def video_stream(path: Path) -> tuple[int, int, str, int]:
    """Width, height, frame rate (as ffprobe gives it, e.g. 30000/1001) and frame count of the first video stream."""
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-of", "json",
         "-show_entries", "stream=width,height,r_frame_rate,nb_read_packets", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    streams = json.loads(probed.stdout or "{}").get("streams") if probed.returncode == 0 else None
    if not streams:
        raise SystemExit("source_video has no video stream ffmpeg can read: upload a video file")
    stream = streams[0]
    return int(stream["width"]), int(stream["height"]), stream["r_frame_rate"], int(stream["nb_read_packets"])


def gray_frames(path: Path, width: int, height: int) -> Iterator[np.ndarray]:
    """The video's frames as luminance in [0, 1], decoded by ffmpeg one at a time."""
    decoder = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-map", "0:v:0",
         "-vf", f"crop={width}:{height}:0:0", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    assert decoder.stdout is not None
    while frame := decoder.stdout.read(width * height):
        yield np.frombuffer(frame, dtype=np.uint8).reshape(height, width) / 255.0
    if decoder.wait() != 0:
        raise SystemExit("ffmpeg could not decode source_video: upload an intact video file")


def control_video(path: Path, params: dict) -> None:
    """The video's map frame by frame as an H.264 MP4 at the source's frame rate (even size, as yuv420p needs)."""
    width, height, rate, count = video_stream(path)
    if count > MAX_FRAMES:
        raise SystemExit(
            f"source_video has {count} frames; a control video takes at most {MAX_FRAMES} "
            "(10 s at 30 fps): trim the source video to the motion you want"
        )
    width, height = width - width % 2, height - height % 2
    encoder = subprocess.Popen(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "gray",
         "-s", f"{width}x{height}", "-r", rate, "-i", "-", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "17",
         "-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact", str(sdk.output_path("control.mp4"))],
        stdin=subprocess.PIPE,
    )  # fmt: skip
    assert encoder.stdin is not None
    coverage, done = 0.0, 0
    for gray in gray_frames(path, width, height):
        result = control_map(gray, params)
        encoder.stdin.write(result.tobytes())
        coverage, done = coverage + float((result > 127).mean()), done + 1
        sdk.progress(5 + 90 * done / max(count, done), f"{params['mode']} frame {done}/{count}")
    encoder.stdin.close()
    if encoder.wait() != 0 or done == 0:
        raise SystemExit("source_video gave no frames to encode: upload a video with frames")
    sdk.write_outputs(
        {"control_map": "control.mp4"},
        metadata={"mode": params["mode"], "coverage": coverage / done, "frames": done, "fps": rate},
    )


def handle(request: sdk.Request, model: object) -> None:
    params = request.params
    if params["low_threshold"] > params["high_threshold"]:
        raise SystemExit("low_threshold must not exceed high_threshold")
    given = [name for name in ("image", "source_video") if request.inputs.get(name)]
    if len(given) != 1:
        raise SystemExit(
            f"a control map is made of one image or one source_video, got {' and '.join(given) or 'neither'}: "
            "connect exactly one of them"
        )
    if given == ["source_video"]:
        control_video(request.path("source_video"), params)
        return
    with Image.open(request.path("image")) as source:
        gray = np.asarray(source.convert("L"), dtype=np.float64) / 255.0
    sdk.progress(20, params["mode"])
    result = control_map(gray, params)
    Image.fromarray(result, mode="L").save(sdk.output_path("control.png"))
    coverage = float((result > 127).mean())
    sdk.write_outputs({"control_map": "control.png"}, metadata={"mode": params["mode"], "coverage": coverage})


if __name__ == "__main__":
    sdk.run(handle)
