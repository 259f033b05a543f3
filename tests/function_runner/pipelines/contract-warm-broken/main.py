"""Test pipeline served warm whose model load always fails."""

from function_runner import sdk


def load() -> object:
    raise RuntimeError("weights not found: /models/demo/unet.safetensors")


def handle(request: sdk.Request, model: object) -> None:
    raise AssertionError("never reached")


if __name__ == "__main__":
    sdk.run(handle, load=load)
