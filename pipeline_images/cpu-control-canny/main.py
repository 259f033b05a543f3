"""CPU control maps: Canny edges and depth-from-luminance, in numpy (no OpenCV in the base image)."""

import numpy as np
from PIL import Image

from function_runner import sdk


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


def handle(request: sdk.Request, model: object) -> None:
    params = request.params
    if params["low_threshold"] > params["high_threshold"]:
        raise SystemExit("low_threshold must not exceed high_threshold")
    with Image.open(request.path("image")) as source:
        gray = np.asarray(source.convert("L"), dtype=np.float64) / 255.0
    sdk.progress(20, params["mode"])
    if params["mode"] == "canny":
        result = canny(gray, params["low_threshold"], params["high_threshold"]).astype(np.uint8) * 255
    else:
        result = (depth_from_luma(gray, params["invert_depth"]) * 255).round().astype(np.uint8)
    Image.fromarray(result, mode="L").save(sdk.output_path("control.png"))
    coverage = float((result > 127).mean())
    sdk.write_outputs({"control_map": "control.png"}, metadata={"mode": params["mode"], "coverage": coverage})


if __name__ == "__main__":
    sdk.run(handle)
