"""tts-f5: F5-TTS (the `f5-tts` package) speaks the text in the voice of a reference recording; its vocoder,
vocos, turns the generated mel spectrogram into audio at the model's 24 kHz.

Both models come from the model store (manifest `weights`): the F5-TTS checkpoint folder (`*.safetensors`,
`vocab.txt`, and the architecture as `config.yaml` in the package's config format, else the package's own
F5TTS_v1_Base config) and the vocos folder (`config.yaml`, `pytorch_model.bin`).
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torchaudio
import yaml
from f5_tts.infer import utils_infer as f5
from f5_tts.model import DiT

from function_runner import sdk

LIBRARIES = ("torch", "torchaudio", "f5-tts", "vocos")
# Without a reference recording it speaks in the package's own English sample voice (as its CLI does).
DEFAULT_VOICE = files("f5_tts").joinpath("infer/examples/basic/basic_ref_en.wav")
DEFAULT_TRANSCRIPT = "Some call me nature, others call me mother nature."
MIN_REFERENCE_S = 1.0  # after trimming silence; the package clips long references to 12 s itself
SILENT_RMS = 1e-3


class Cancelled(Exception):
    """The runner asked this job to stop; raised between sampling steps."""


@dataclass(frozen=True)
class Loaded:
    model: Any  # f5_tts.model.CFM
    vocoder: Any  # vocos.Vocos
    folders: tuple[Path, Path]
    device: str


def load() -> Loaded:
    checkpoint, vocos = sdk.weights_folder(0), sdk.weights_folder(1)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    sdk.progress(1, f"loading {checkpoint.name}")
    config = checkpoint / "config.yaml"
    if not config.is_file():
        config = Path(str(files("f5_tts").joinpath("configs/F5TTS_v1_Base.yaml")))
    architecture = yaml.safe_load(config.read_text(encoding="utf-8"))["model"]["arch"]
    [weights_file] = sorted(checkpoint.glob("*.safetensors"))[-1:] or [None]
    if weights_file is None:
        raise ValueError(f"The F5-TTS model folder {checkpoint} holds no .safetensors checkpoint; pull it again.")
    model = f5.load_model(
        DiT,
        architecture,
        str(weights_file),
        mel_spec_type="vocos",
        vocab_file=str(checkpoint / "vocab.txt"),
        device=device,
    )
    vocoder = f5.load_vocoder("vocos", is_local=True, local_path=str(vocos), device=device)
    return Loaded(model, vocoder, (checkpoint, vocos), device)


def reference(request: sdk.Request) -> tuple[str, str]:
    """The reference recording, cut and trimmed by the package, and its transcript; a sentence when unusable."""
    if "source_audio" not in request.inputs:
        return f5.preprocess_ref_audio_text(str(DEFAULT_VOICE), DEFAULT_TRANSCRIPT)
    path = request.path("source_audio")
    transcript = str(request.inputs.get("reference_text") or "").strip()
    if not transcript:
        raise ValueError(
            "The reference voice (input 'source_audio') has no transcript: type the words it says into the Audio "
            "node's 'Reference transcript' (F5-TTS needs them to clone the voice)."
        )
    trimmed, transcript = f5.preprocess_ref_audio_text(str(path), transcript)
    audio, rate = torchaudio.load(trimmed)
    seconds = audio.shape[-1] / rate
    if float(audio.square().mean().sqrt()) < SILENT_RMS:
        raise ValueError(
            "The reference voice (input 'source_audio') is silent: choose a recording of someone speaking."
        )
    if seconds < MIN_REFERENCE_S:
        raise ValueError(
            f"The reference voice (input 'source_audio') has only {seconds:.2f} s of sound after trimming silence; "
            f"F5-TTS needs at least {MIN_REFERENCE_S:.0f} s (ideally 5-10 s) of clear speech: choose a longer one."
        )
    return trimmed, transcript


def progress_hook(total: int) -> Any:
    """A forward pre-hook on the DiT: each call is one sampling step (euler), so it counts steps and cancels."""
    done = [0]

    def on_step(_module: Any, _args: Any) -> None:
        if sdk.cancel_requested():
            raise Cancelled(f"cancelled after step {done[0]}/{total}")
        done[0] += 1
        sdk.progress(5 + 90 * done[0] / total, f"step {done[0]}/{total}")

    return on_step


def handle(request: sdk.Request, loaded: Loaded) -> None:
    text = str(request.inputs["text"]).strip()
    if not text:
        raise ValueError("The text to speak is empty: type the words into the Audio node's 'Text'.")
    params = request.params
    sdk.progress(3, "preparing the reference voice")
    voice, transcript = reference(request)
    # The package splits long text into chunks it samples one after another; each takes `steps` steps.
    audio, rate = torchaudio.load(voice)
    max_chars = int(
        len(transcript.encode()) / (audio.shape[-1] / rate) * (22 - audio.shape[-1] / rate) * params["speed"]
    )
    chunks = len(f5.chunk_text(text, max_chars=max_chars))
    arguments = {"nfe_step": params["steps"], "cfg_strength": params["guidance"], "speed": params["speed"]}
    if loaded.device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    torch.manual_seed(request.seed)
    hook = loaded.model.transformer.register_forward_pre_hook(progress_hook(params["steps"] * chunks))
    try:
        wave_out, sample_rate, _spectrogram = f5.infer_process(
            voice, transcript, text, loaded.model, loaded.vocoder, progress=None, device=loaded.device, **arguments
        )
    finally:
        hook.remove()
    sdk.progress(96, "writing WAV")
    samples = (np.clip(np.asarray(wave_out, dtype=np.float32), -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(sdk.output_path("speech.wav")), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(samples.tobytes())
    recorded = {**arguments, "reference_text": transcript.strip(), "text": text, "seed": request.seed}
    sdk.write_outputs(
        {"audio": "speech.wav"},
        metadata={
            "duration_s": round(len(samples) / sample_rate, 3),
            "sample_rate": sample_rate,
            "provenance": provenance(loaded, recorded),
        },
    )


def provenance(loaded: Loaded, arguments: dict[str, Any]) -> dict[str, Any]:
    """The take sidecar's `model` (schema take-sidecar): the checkpoint, its hash, libraries, device, arguments."""
    checkpoint = loaded.folders[0]
    cuda = loaded.device == "cuda"
    return {
        "name": checkpoint.name,
        "weights_sha256": sdk.weights_fingerprint(checkpoint),
        "libraries": {name: version(name) for name in LIBRARIES},
        "device": loaded.device,
        "dtype": str(next(loaded.model.parameters()).dtype).removeprefix("torch."),
        "memory_savers": [],
        "peak_vram_gb": round(torch.cuda.max_memory_allocated() / 2**30, 2) if cuda else None,
        "arguments": arguments,
    }


if __name__ == "__main__":
    sdk.run(handle, load=load)
