"""CPU storyboard card: prompt -> a framed sketch card at the requested aspect ratio (Pillow)."""

import hashlib
import random
import textwrap

from PIL import Image, ImageDraw, ImageFont

from function_runner import sdk

RATIOS = {"16:9": 16 / 9, "2.39:1": 2.39, "1.85:1": 1.85, "4:3": 4 / 3, "1:1": 1.0, "9:16": 9 / 16}
PAPER = (244, 241, 232)
INK = (40, 40, 48)


def card_size(width: int, aspect_ratio: str) -> tuple[int, int]:
    # Even sizes: the card often becomes a video frame, and yuv420p needs even dimensions.
    height = max(2, round(width / RATIOS[aspect_ratio] / 2) * 2)
    return width - width % 2, height


def sketch(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random) -> None:
    """A loose composition: horizon, a subject mass on a thirds line, a few background shapes."""
    width, height = size
    horizon = int(height * rng.choice([0.33, 0.5, 0.66]))
    draw.line([(0, horizon), (width, horizon + rng.randint(-height // 20, height // 20))], fill=INK, width=2)
    for _ in range(rng.randint(2, 5)):
        x, y = rng.randint(0, width), rng.randint(0, horizon)
        r = rng.randint(max(2, width // 40), max(3, width // 10))
        draw.ellipse([x - r, y - r // 2, x + r, y + r // 2], outline=(120, 120, 130), width=1)
    subject_x = int(width * rng.choice([1 / 3, 2 / 3]))
    body_h = int(height * rng.uniform(0.25, 0.45))
    head = max(3, body_h // 6)
    top = horizon - body_h // 2
    draw.ellipse([subject_x - head, top - 2 * head, subject_x + head, top], outline=INK, width=2)
    draw.rectangle([subject_x - head * 2, top, subject_x + head * 2, top + body_h], outline=INK, width=2)


def render(prompt: str, label: str, aspect_ratio: str, width: int, seed: int) -> Image.Image:
    size = card_size(width, aspect_ratio)
    digest = hashlib.sha256(f"{seed}:{prompt}".encode()).digest()
    rng = random.Random(digest)
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    w, h = size
    for i in (1, 2):  # rule-of-thirds guides
        draw.line([(w * i // 3, 0), (w * i // 3, h)], fill=(215, 210, 198), width=1)
        draw.line([(0, h * i // 3), (w, h * i // 3)], fill=(215, 210, 198), width=1)
    sketch(draw, size, rng)
    font = ImageFont.load_default()
    caption = textwrap.wrap(prompt, width=max(10, w // 7))[: max(1, h // 40)]
    band = 12 * len(caption) + 8
    draw.rectangle([0, h - band, w, h], fill=(255, 255, 255))
    for row, line in enumerate(caption):
        draw.text((6, h - band + 4 + 12 * row), line, fill=INK, font=font)
    if label:
        draw.text((6, 4), label, fill=(160, 30, 30), font=font)
    draw.rectangle([0, 0, w - 1, h - 1], outline=INK, width=max(1, w // 200))
    return image


def handle(request: sdk.Request, model: object) -> None:
    prompt, params = request.inputs["prompt"], request.params
    sdk.progress(10, "composing")
    image = render(prompt, request.inputs.get("shot_label", ""), params["aspect_ratio"], params["width"], request.seed)
    sdk.progress(90, "saving")
    image.save(sdk.output_path("card.png"))
    sdk.write_outputs(
        {"image": "card.png"},
        metadata={"width": image.width, "height": image.height, "aspect_ratio": params["aspect_ratio"]},
    )


if __name__ == "__main__":
    sdk.run(handle)
