"""CPU text-to-speech: espeak-ng renders the text to a WAV at the requested voice, rate and pitch."""

import subprocess
import wave

from function_runner import sdk


def handle(request: sdk.Request, model: object) -> None:
    params = request.params
    target = sdk.output_path("speech.wav")
    sdk.progress(10, "synthesising")
    # The text goes in on stdin so no prompt can be read as an option.
    subprocess.run(
        [
            "espeak-ng",
            "-v",
            params["voice"],
            "-s",
            str(params["rate"]),
            "-p",
            str(params["pitch"]),
            "-w",
            str(target),
            "--stdin",
        ],
        input=request.inputs["text"].encode("utf-8"),
        check=True,
        capture_output=True,
    )
    with wave.open(str(target)) as audio:
        duration = audio.getnframes() / audio.getframerate()
        sample_rate = audio.getframerate()
    sdk.write_outputs(
        {"audio": "speech.wav"},
        metadata={"duration_s": round(duration, 3), "sample_rate": sample_rate, "voice": params["voice"]},
    )


if __name__ == "__main__":
    sdk.run(handle)
