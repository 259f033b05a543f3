"""insightface's ONNX face models from the model store, as the face pipelines (faceswap-reactor,
talking-head-wav2lip) load them: routed by insightface's own `get_model`, on CUDA where onnxruntime-gpu offers it."""

from __future__ import annotations

from typing import Any

import onnxruntime
from insightface.model_zoo import get_model
from insightface.model_zoo.scrfd import SCRFD

from function_runner import sdk

FACE_MODELS, DETECTOR = "insightface-buffalo-l", "det_10g.onnx"  # the store folder and SCRFD's file in it
DETECTION_SIZE = (640, 640)  # SCRFD's training size, as ReActor detects


def providers() -> list[str]:
    # onnxruntime-gpu offers CUDA where a GPU is; the CPU build (this stack's) runs everywhere.
    available = onnxruntime.get_available_providers()
    return [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in available]


def onnx_file(folder: str, name: str, kind: type) -> Any:
    """The ONNX graph `name` in the store folder, loaded by insightface's own router, which must see a `kind`."""
    # Errors only: ONNX Runtime's warnings (an unused initializer) would crowd a refusal out of the stderr tail
    # the user reads.
    onnxruntime.set_default_logger_severity(3)
    path = sdk.models_dir() / folder / name
    if not path.is_file():
        raise SystemExit(f"{path} is missing from the model '{folder}'. Fetch it with `studio models pull {folder}`.")
    model = get_model(str(path), providers=providers())
    if not isinstance(model, kind):
        raise SystemExit(
            f"{path} is not a {kind.__name__} model: insightface reads it as {type(model).__name__}. "
            f"Put insightface's {name} there."
        )
    return model


def detector() -> SCRFD:
    """buffalo_l's SCRFD, ready to detect at its training size."""
    found: SCRFD = onnx_file(FACE_MODELS, DETECTOR, SCRFD)
    found.prepare(0, input_size=DETECTION_SIZE, det_thresh=0.5)
    return found
