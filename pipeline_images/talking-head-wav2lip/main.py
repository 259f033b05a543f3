"""talking-head-wav2lip: a portrait and a voice become a talking video. SCRFD (insightface) finds the face once,
then Wav2Lip (the `lipsync` package's model class and mel spectrogram) repaints the lower half of that face for
every frame from the 0.2 s of voice that starts at it; the video carries the voice as its sound."""

from __future__ import annotations

import subprocess
from contextlib import suppress
from dataclasses import dataclass
from fractions import Fraction
from importlib.metadata import version
from pathlib import Path
from typing import Any

import cv2
import face_models
import numpy as np
import sfw_gate
import torch
from frames import FrameWriter, VideoInfo
from insightface.model_zoo.scrfd import SCRFD
from lipsync.audio import melspectrogram
from lipsync.models import Wav2Lip

from function_runner import sdk

# The Wav2Lip model-store folder (a manifest weight) and its file; the face detector's are face_models'.
WAV2LIP_MODEL, WAV2LIP = "wav2lip", "wav2lip.pth"
SFW_CLASSIFIER = "nsfw-image-detection"  # the SFW gate's model-store folder (a manifest weight)
SAMPLE_RATE = 16_000  # Wav2Lip's audio: 16 kHz mono, mel hop 200 samples -> 80 mel columns a second
MEL_PER_SECOND = 80
MEL_WINDOW = 16  # mel columns each frame sees (0.2 s), as Wav2Lip was trained
FACE_SIZE = 96  # the face crop side Wav2Lip paints
SILENCE = 1e-4  # peak amplitude (of 1.0) under which a voice has nothing for the lips to follow
MAX_SECONDS = 600


@dataclass(frozen=True)
class Models:
    detector: SCRFD
    wav2lip: Wav2Lip
    classifier: sfw_gate.Classifier
    device: torch.device


def load_wav2lip(device: torch.device) -> Wav2Lip:
    """The package's Wav2Lip with the store's weights: the original checkpoint ({"state_dict": …} saved from
    DataParallel, so every key starts "module.") or a plain state dict as the lipsync package ships it."""
    path = sdk.model_file(WAV2LIP_MODEL, WAV2LIP)
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        state = checkpoint.get("state_dict", checkpoint)
        model = Wav2Lip()
        model.load_state_dict({key.removeprefix("module."): value for key, value in state.items()})
    except (RuntimeError, AttributeError, KeyError, EOFError) as error:
        raise SystemExit(
            f"{path} is not a Wav2Lip generator checkpoint ({str(error).splitlines()[0][:200]}). "
            "Put Wav2Lip's wav2lip.pth there (not the discriminator or wav2lip_gan's optimizer file)."
        ) from None
    return model.to(device).eval()


def load() -> Models:
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return Models(
        detector=face_models.detector(),
        wav2lip=load_wav2lip(device),
        classifier=sfw_gate.load_classifier(sdk.models_dir() / SFW_CLASSIFIER, device),
        device=device,
    )


def read_portrait(path: Path) -> np.ndarray:
    """BGR, cropped to even sides (H.264's 4:2:0 needs them)."""
    if path.stat().st_size == 0:
        raise SystemExit("The portrait is empty (0 bytes). Connect a PNG, JPEG or WebP image of a face.")
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit("The portrait is not a readable image. Connect a PNG, JPEG or WebP image of a face.")
    height, width = image.shape[:2]
    if min(height, width) < 2:
        raise SystemExit(f"The portrait is {width}x{height} pixels; connect a picture where a face is visible.")
    return image[: height - height % 2, : width - width % 2]


def face_box(detector: SCRFD, image: np.ndarray, pads: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the largest face, grown by the pads and kept inside the picture."""
    boxes, _landmarks = detector.detect(image, max_num=0)
    if len(boxes) == 0:
        raise SystemExit("No face was found in the portrait. Connect a picture where a face is clearly visible.")
    x1, y1, x2, y2 = max(boxes, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))[:4]
    top, bottom, left, right = pads
    height, width = image.shape[:2]
    box = (max(0, int(y1) - top), min(height, int(y2) + bottom), max(0, int(x1) - left), min(width, int(x2) + right))
    if box[1] - box[0] < 2 or box[3] - box[2] < 2:
        raise SystemExit("The face found in the portrait is too small to paint. Connect a larger face.")
    return box


def read_voice(path: Path) -> np.ndarray:
    """The voice as 16 kHz mono float32 (ffmpeg decodes any format), or a sentence for audio with nothing in it."""
    if path.stat().st_size == 0:
        raise SystemExit("The voice audio is empty (0 bytes). Connect a WAV, MP3, FLAC or M4A recording of speech.")
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(path), "-vn",
               "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le", "-"]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(
            f"The voice audio is not readable audio ({completed.stderr.decode(errors='replace').strip()[-200:]}). "
            "Connect a WAV, MP3, FLAC or M4A recording of speech."
        )
    wav = np.frombuffer(completed.stdout, np.float32)
    seconds = len(wav) / SAMPLE_RATE
    if seconds < MEL_WINDOW / MEL_PER_SECOND:
        raise SystemExit(f"The voice audio is {seconds:.2f} s long; Wav2Lip needs at least 0.2 s of speech.")
    if seconds > MAX_SECONDS:
        raise SystemExit(f"The voice audio is {seconds:.0f} s long; the limit is {MAX_SECONDS} s. Cut it shorter.")
    if float(np.abs(wav).max()) < SILENCE:
        raise SystemExit("The voice audio is silent: there is no speech for the lips to follow. Connect a recording.")
    return wav


def mel_windows(wav: np.ndarray, frames: int, fps: int) -> np.ndarray:
    """(frames, 1, 80, 16): for frame i the mel columns from its time on, as Wav2Lip (and lipsync) cut them; the
    last frames, whose window would run past the end, see the voice's last 0.2 s."""
    mel = melspectrogram(wav).astype(np.float32)
    starts = [min(int(i * MEL_PER_SECOND / fps), mel.shape[1] - MEL_WINDOW) for i in range(frames)]
    return np.stack([mel[:, start : start + MEL_WINDOW] for start in starts])[:, np.newaxis]


def face_input(portrait: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """(6, 96, 96): the face with its lower half blanked (what Wav2Lip paints) beside the whole face (identity)."""
    top, bottom, left, right = box
    face = cv2.resize(portrait[top:bottom, left:right], (FACE_SIZE, FACE_SIZE)).astype(np.float32) / 255.0
    masked = face.copy()
    masked[FACE_SIZE // 2 :] = 0
    return np.concatenate([masked, face], axis=2).transpose(2, 0, 1)


def handle(request: sdk.Request, models: Models) -> None:
    params = request.params
    fps = int(params["fps"])
    portrait = read_portrait(request.path("image"))
    gate = sfw_gate.gate_for(request, models.classifier)
    if gate:
        gate.check("portrait", [portrait])
    pads = (params["pad_top"], params["pad_bottom"], params["pad_left"], params["pad_right"])
    box = face_box(models.detector, portrait, pads)
    wav = read_voice(request.path("audio"))
    seconds = len(wav) / SAMPLE_RATE
    frames = max(1, round(seconds * fps))
    mels = mel_windows(wav, frames, fps)
    if models.device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()  # the peak this job reaches, not the worker's
    sdk.progress(5, f"face found, {frames} frames to paint")
    height, width = portrait.shape[:2]
    partial = sdk.output_path("talking.partial.mp4")
    writer = FrameWriter(partial, request.path("audio"), VideoInfo(width, height, Fraction(fps), frames, True))
    face = torch.from_numpy(face_input(portrait, box)).to(models.device)
    top, bottom, left, right = box
    batch_size = int(params["batch_size"])
    try:
        for start in range(0, frames, batch_size):
            if sdk.cancel_requested():
                raise SystemExit(f"Cancelled after frame {start}/{frames}.")
            mel = torch.from_numpy(mels[start : start + batch_size]).to(models.device)
            with torch.inference_mode():
                painted = models.wav2lip(mel, face.expand(len(mel), -1, -1, -1))
            batch = []
            for picture in (painted.clamp(0, 1) * 255).byte().permute(0, 2, 3, 1).cpu().numpy():
                frame = portrait.copy()
                frame[top:bottom, left:right] = cv2.resize(picture, (right - left, bottom - top))
                batch.append(frame)
            if gate:  # before they are written: a refused video leaves no frame of it
                gate.check("talking video", batch, first_frame=start + 1)
            for frame in batch:
                writer.write(frame)
            done = min(start + batch_size, frames)
            sdk.progress(5 + 90 * done / frames, f"frame {done}/{frames}")
    except BaseException:
        with suppress(SystemExit):  # the encoder's own complaint would hide why the painting stopped
            writer.close()
        partial.unlink(missing_ok=True)
        raise
    writer.close()
    partial.rename(sdk.output_path("talking.mp4"))
    arguments = {"fps": fps, "pads": list(pads), "batch_size": batch_size, "frames": frames,
                 "face_box": {"top": top, "bottom": bottom, "left": left, "right": right}}  # fmt: skip
    metadata = {"width": width, "height": height, "fps": fps, "frames": frames, "seconds": round(seconds, 3)}
    sdk.write_outputs({"video": "talking.mp4"}, metadata={**metadata, "provenance": provenance(models, arguments)})


def provenance(models: Models, arguments: dict[str, Any]) -> dict[str, Any]:
    """The take sidecar's `model`: the Wav2Lip weights and their hash, library versions, device, every argument."""
    cuda = models.device.type == "cuda"
    return {
        "name": WAV2LIP_MODEL,
        "weights_sha256": sdk.weights_fingerprint(sdk.models_dir() / WAV2LIP_MODEL),
        "libraries": {name: version(name) for name in ("lipsync", "torch", "insightface", "onnxruntime")},
        "device": models.device.type,
        "dtype": "float32",
        "memory_savers": [],
        "peak_vram_gb": round(torch.cuda.max_memory_allocated() / 2**30, 2) if cuda else None,
        "arguments": arguments,
    }


if __name__ == "__main__":
    sdk.run(handle, load=load)
