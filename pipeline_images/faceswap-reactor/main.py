"""faceswap-reactor: ReActor's face swap on insightface: SCRFD finds the faces, ArcFace reads the source face's
identity, INSwapper paints it onto the chosen target face, GFPGAN restores it if asked (face_restore.py); image or
video (frame by frame), SFW-gated."""

from __future__ import annotations

import warnings
from contextlib import suppress
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import cv2
import face_models
import numpy as np
import sfw_gate
import spandrel_job
import torch
from face_restore import Restorer, restorer
from frames import FrameWriter, probe, read_frames
from insightface.app.common import Face
from insightface.model_zoo.arcface_onnx import ArcFaceONNX
from insightface.model_zoo.inswapper import INSwapper
from insightface.model_zoo.scrfd import SCRFD

from function_runner import sdk

# Model-store folders (the manifest's weights) and the files read from them (the detector's: face_models).
RECOGNISER = "w600k_r50.onnx"
SWAPPER_MODEL, SWAPPER = "inswapper-128", "inswapper_128.onnx"
SFW_CLASSIFIER = "nsfw-image-detection"
LIBRARIES = ("insightface", "onnxruntime", "torch", "transformers", "spandrel")


@dataclass(frozen=True)
class Models:
    detector: SCRFD
    recogniser: ArcFaceONNX
    swapper: INSwapper
    classifier: sfw_gate.Classifier
    networks: spandrel_job.Networks  # the face restoration network, loaded by the first job that asks for one


def load() -> Models:
    # insightface's alignment calls a scikit-image API deprecated in 0.26 (same result until its removal in 2.2).
    warnings.filterwarnings("ignore", category=FutureWarning, module="insightface")
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return Models(
        detector=face_models.detector(),
        recogniser=face_models.onnx_file(face_models.FACE_MODELS, RECOGNISER, ArcFaceONNX),
        swapper=face_models.onnx_file(SWAPPER_MODEL, SWAPPER, INSwapper),
        classifier=sfw_gate.load_classifier(sdk.models_dir() / SFW_CLASSIFIER, device),
        networks=spandrel_job.load(),
    )


def faces(models: Models, image: np.ndarray) -> list[Face]:
    """The faces SCRFD finds, ordered left to right (ReActor's index order) by the left edge of their box."""
    boxes, landmarks = models.detector.detect(image, max_num=0)
    found = [Face(bbox=box[:4], kps=landmarks[i], det_score=box[4]) for i, box in enumerate(boxes)]
    return sorted(found, key=lambda face: float(face.bbox[0]))


def pick(found: list[Face], index: int, what: str) -> Face:
    if not found:
        raise SystemExit(f"No face was found in the {what}. Connect an image where a face is clearly visible.")
    if index >= len(found):
        raise SystemExit(
            f"The {what} has {len(found)} face(s) (indexes 0 to {len(found) - 1}, left to right), so its face "
            f"index {index} does not exist. Choose an index below {len(found)}."
        )
    return found[index]


def read_image(path: Path, what: str) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise SystemExit(f"The {what} is not a readable image. Connect a PNG, JPEG or WebP image.")
    return image


def handle(request: sdk.Request, models: Models) -> None:
    gate = sfw_gate.gate_for(request, models.classifier)
    source = read_image(request.path("source"), "source image")
    if gate:
        gate.check("source image", [source])
    identity = pick(faces(models, source), request.params["source_face_index"], "source image")
    models.recogniser.get(source, identity)
    sdk.progress(10, "source face read")
    has_image, has_video = request.inputs.get("target") is not None, request.inputs.get("target_video") is not None
    if has_image == has_video:
        raise SystemExit(
            "Connect exactly one target: an image (target) or a video (target_video); "
            f"{'both are' if has_image else 'neither is'} connected."
        )
    index = request.params["target_face_index"]
    restoring = restorer(models.networks, request.params)
    recorded = {
        "source_face_index": request.params["source_face_index"],
        "target_face_index": index,
        "device": "cuda" if "CUDAExecutionProvider" in models.swapper.session.get_providers() else "cpu",
        "provenance": provenance(request, restoring),
    }
    swap = Swap(models, identity, restoring)
    if has_image:
        swap_image(swap, gate, request.path("target"), index, recorded)
    else:
        swap_video(swap, gate, request.path("target_video"), index, recorded)


def provenance(request: sdk.Request, restoring: Restorer | None) -> dict[str, Any]:
    """The take sidecar's `model`: every store folder the swap read with its hash, library versions, the params."""
    folders = [face_models.FACE_MODELS, SWAPPER_MODEL, SFW_CLASSIFIER]
    return {
        "name": SWAPPER_MODEL,
        "weights_sha256": sdk.weights_fingerprint(sdk.models_dir() / SWAPPER_MODEL),
        "models": {name: sdk.weights_fingerprint(sdk.models_dir() / name) for name in folders},
        **({"network": restoring.recorded()} if restoring else {}),
        "libraries": {name: version(name) for name in LIBRARIES},
        "arguments": dict(request.params),
    }


@dataclass(frozen=True)
class Swap:
    """One job's swap: the models, the source identity, and the restorer that follows INSwapper (if any)."""

    models: Models
    identity: Face
    restoring: Restorer | None

    def __call__(self, frame: np.ndarray, face: Face) -> np.ndarray:
        swapped = self.models.swapper.get(frame, face, self.identity)
        return self.restoring.restore(swapped, face) if self.restoring else swapped


def swap_image(swap: Swap, gate: sfw_gate.Gate | None, path: Path, index: int, recorded: dict[str, Any]) -> None:
    target = read_image(path, "target image")
    if gate:
        gate.check("target image", [target])
    swapped = swap(target, pick(faces(swap.models, target), index, "target image"))
    if gate:
        gate.check("swapped image", [swapped])
    cv2.imwrite(str(sdk.output_path("swapped.png")), swapped)
    height, width = swapped.shape[:2]
    sdk.write_outputs({"image": "swapped.png"}, metadata={"width": width, "height": height, **recorded})


def swap_video(swap: Swap, gate: sfw_gate.Gate | None, path: Path, index: int, recorded: dict[str, Any]) -> None:
    """Frame by frame: frames where the target face index is missing pass unchanged (the face left the shot)."""
    info = probe(path, "target video")
    partial = sdk.output_path("swapped.partial.mp4")
    writer = FrameWriter(partial, path, info)
    swapped_frames = count = 0
    try:
        for count, frame in enumerate(read_frames(path, info), start=1):
            if gate:
                gate.check("target video", [frame], first_frame=count)
            found = faces(swap.models, frame)
            result = swap(frame, found[index]) if index < len(found) else frame
            swapped_frames += result is not frame
            if gate:
                gate.check("swapped video", [result], first_frame=count)
            writer.write(result)
            sdk.progress(10 + 85 * count / max(info.frames, count), f"frame {count}/{info.frames}")
    except BaseException:
        with suppress(SystemExit):  # the encoder's own complaint would hide why the swap stopped
            writer.close()
        partial.unlink(missing_ok=True)  # a refused or failed video leaves no part of itself
        raise
    writer.close()
    if not swapped_frames:
        partial.unlink()
        raise SystemExit(
            f"No frame of the target video has a face at index {index} (left to right, from 0). Check that the "
            "video shows a face, or choose a lower face index."
        )
    partial.rename(sdk.output_path("swapped.mp4"))
    sdk.write_outputs(
        {"video": "swapped.mp4"},
        metadata={"width": info.width, "height": info.height, "frames": count, "fps": float(info.fps),
                  "swapped_frames": swapped_frames, "audio": info.has_audio, **recorded},
    )  # fmt: skip


if __name__ == "__main__":
    sdk.run(handle, load=load)
