"""Cache keys of deterministic steps: sha256 over what decides their output, canonically encoded."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from schemas.models.pipeline_manifest import PipelineManifest

CACHE_KEY_FORMAT = "studio-cache-key/1"


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no whitespace, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def value_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def manifest_digest(manifest: PipelineManifest) -> str:
    """Stands in for the image digest until the runner reports the built image's id: a change to
    the manifest (version, image tag, params) changes it."""
    return "manifest:" + value_hash(manifest.model_dump(mode="json", exclude_none=True))


def cache_key(image_digest: str, params: dict[str, Any], seed: int, inputs: dict[str, list[str]]) -> str:
    """sha256(image digest + canonical params + seed + input content hashes, by input name in order)."""
    document = {
        "format": CACHE_KEY_FORMAT,
        "image": image_digest,
        "params": params,
        "seed": seed,
        "inputs": inputs,
    }
    return hashlib.sha256(canonical_json(document).encode()).hexdigest()
