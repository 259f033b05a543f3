"""The chain for speech: an Audio node with an uploaded reference voice and its transcript -> Generate at quality
low -> a worker announcing a 12 GB GPU -> tts-f5 (the f5-tts package, tiny random-weight F5-TTS and vocos in the
workspace model store) -> a 24 kHz WAV take in Git LFS whose sidecar shows the transcript reached the model."""

from __future__ import annotations

import io
import json
import wave
from pathlib import Path
from typing import Any

import httpx

from function_runner.weights import read_record
from schemas import validator
from tests.server.generation.conftest import Chain
from tests.server.generation.test_chain import git, repo_of
from tests.server.generation.test_model_chain import TWELVE_GB_WORKER
from tests.support.stack_models import build_tiny

QUALITY_MAP = {"schema_version": 1, "task_types": {"tts": {"low": "tts-f5", "cpu": "cpu-tts-espeak"}}}
TRANSCRIPT = "Keep the light burning all night."


def voice_wav() -> bytes:
    """Two seconds of a 140 Hz buzz at 24 kHz, loud enough to count as sound."""
    frames = bytearray()
    for i in range(48000):
        frames += (9000 if (i * 140 // 24000) % 2 else -9000).to_bytes(2, "little", signed=True)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(24000)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def audio_graph(**data: Any) -> dict[str, Any]:
    node = {"id": "voice-1", "type": "AudioNode", "position": {"x": 0, "y": 0}, "data": data}
    return {"schema_version": 1, "nodes": [node], "edges": []}


def test_an_audio_node_with_a_reference_voice_runs_f5_tts_into_a_24_khz_wav_take(chain: Chain) -> None:
    workspace = chain.server.workspace
    checkpoint = build_tiny("F5TTS_v1_Base", workspace / "Models")
    build_tiny("vocos-mel-24khz", workspace / "Models")
    (workspace / "Library" / "quality_map.json").write_text(json.dumps(QUALITY_MAP))
    chain.start_worker(gpus=TWELVE_GB_WORKER)
    project_id = chain.project(audio_graph(text="Hello."), quality="low")
    uploaded = httpx.post(
        f"{chain.server.url}/api/v1/projects/{project_id}/uploads",
        params={"filename": "voice.wav"},
        content=voice_wav(),
        headers=chain.headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    graph = audio_graph(
        text="The lighthouse keeper lit the lamp for the ships.",
        source_audio=uploaded.json()["path"],
        reference_text=TRANSCRIPT,
        seed=5,
    )
    saved = httpx.put(
        f"{chain.server.url}/api/v1/projects/{project_id}", json={"version": 2, "graph": graph}, headers=chain.headers
    )
    assert saved.status_code == 200, saved.text
    task = chain.wait_for(chain.generate(project_id, "voice-1")["task_id"], timeout=300)
    assert task["state"] == "succeeded", task.get("error")
    take_path = "03_Renders/SCENE_01/NODE_voice1/NODE-voice1_v01_take01.wav"
    assert task["take_path"] == take_path
    repo = repo_of(chain, project_id)
    assert git(repo, "cat-file", "-p", f"HEAD:{take_path}").startswith("version https://git-lfs")
    with wave.open(str(repo / take_path)) as audio:
        assert (audio.getframerate(), audio.getnchannels()) == (24000, 1)
        samples = audio.readframes(audio.getnframes())
    assert len(set(samples)) > 200, "the take is silent"
    sidecar: dict[str, Any] = json.loads((repo / Path(take_path).with_suffix(".json")).read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert (sidecar["pipeline"]["id"], sidecar["quality"]["used"]) == ("tts-f5", "low")
    record = read_record(checkpoint)
    assert record is not None
    assert (sidecar["model"]["name"], sidecar["model"]["weights_sha256"]) == ("F5TTS_v1_Base", record.fingerprint)
    arguments = sidecar["model"]["arguments"]
    assert (arguments["reference_text"], arguments["seed"], arguments["speed"]) == (TRANSCRIPT, 5, 1.0)
    assert sidecar["output"]["media"]["sample_rate"] == 24000
