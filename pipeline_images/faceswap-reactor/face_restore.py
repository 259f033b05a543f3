"""Face restoration after the swap, as ReActor's `face_restore_model` and `face_restore_visibility`: the swapped
face, aligned to a 512 px crop by its five landmarks, runs through a face network spandrel loads (GFPGAN) and is
blended back under a feathered mask, so the 128 px INSwapper face gets its detail back.

GFPGAN only: CodeFormer is not in spandrel's own package (spandrel_extra_arches, non-commercial) and RestoreFormer
needs torchvision, which does not run beside the CPU torch build (see spandrel_job).
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
import spandrel_job
from insightface.app.common import Face
from insightface.utils import face_align

from function_runner import sdk

FOLDER = "face-restore-networks"  # the manifest's optional weight: the model store folder of face networks
ARCHITECTURES = ("GFPGAN",)
SIZE = 512  # GFPGAN's input and output edge
FEATHER = SIZE // 16  # the mask's soft edge, in crop pixels: no seam where the restored face meets the frame


class Restorer:
    """The chosen face network, loaded once per job, with what the sidecar records of it."""

    def __init__(self, networks: spandrel_job.Networks, name: str, visibility: float) -> None:
        folder = sdk.models_dir() / FOLDER
        if not folder.is_dir():
            raise SystemExit(
                f"face_restore_model is {name!r}, but the model store has no folder '{FOLDER}'. Add one holding "
                f"the network file (e.g. GFPGANv1.4.pth) with `studio models add {FOLDER} FOLDER`, or leave "
                "face_restore_model empty."
            )
        try:
            path = spandrel_job.network_file(name, folder)
            descriptor = spandrel_job.loaded(networks, path, purposes=("FaceSR",))
        except ValueError as exc:
            raise SystemExit(f"Face restoration: {exc}.") from exc
        if descriptor.architecture.id not in ARCHITECTURES:
            raise SystemExit(
                f"Face restoration: {path.name} is a {descriptor.architecture.name} network; this pipeline restores "
                f"faces with {', '.join(ARCHITECTURES)} networks. Pick a GFPGAN file (e.g. GFPGANv1.4.pth)."
            )
        self.net = spandrel_job.Network(descriptor, path, networks.runtime, tile=SIZE)
        self.visibility = visibility
        inner = np.zeros((SIZE, SIZE), np.float32)
        inner[FEATHER:-FEATHER, FEATHER:-FEATHER] = 1.0
        self.feathered = cv2.GaussianBlur(inner, (0, 0), FEATHER / 2)  # the crop's mask, the same for every face

    def restore(self, image: np.ndarray, face: Face) -> np.ndarray:
        """`image` (BGR) with `face` restored and blended in at the visibility; the rest of the frame unchanged."""
        matrix = face_align.estimate_norm(face.kps, SIZE)
        crop = cv2.warpAffine(image, matrix, (SIZE, SIZE), borderMode=cv2.BORDER_REFLECT)
        restored = spandrel_job.to_uint8(spandrel_job.apply(self.net, np.ascontiguousarray(crop[:, :, ::-1])))
        inverse = cv2.invertAffineTransform(matrix)
        height, width = image.shape[:2]
        back = cv2.warpAffine(np.ascontiguousarray(restored[:, :, ::-1]), inverse, (width, height))
        mask = cv2.warpAffine(self.feathered, inverse, (width, height))[:, :, None] * self.visibility
        return (back * mask + image * (1 - mask)).round().clip(0, 255).astype(np.uint8)

    def recorded(self) -> dict[str, Any]:
        """The sidecar's `network`: the file, its sha256 and what spandrel detected in it."""
        network: dict[str, Any] = spandrel_job.provenance(self.net, {})["network"]
        return network


def restorer(networks: spandrel_job.Networks, params: dict[str, Any]) -> Restorer | None:
    """The request's restorer, or None when face_restore_model is empty or the visibility is 0 (nothing to do)."""
    name, visibility = str(params.get("face_restore_model") or ""), float(params["face_restore_visibility"])
    return Restorer(networks, name, visibility) if name and visibility > 0 else None
