"""Test pipeline served warm: counts model loads and can fail, crash its worker, hang or step until cancelled."""

import json
import os
import sys
import time
import uuid

from function_runner import sdk


def load() -> dict[str, str]:
    time.sleep(0.2)  # a model load worth avoiding
    return {"load_id": uuid.uuid4().hex, "pid": str(os.getpid())}


def handle(request: sdk.Request, model: dict[str, str]) -> None:
    mode = request.params["mode"]
    sdk.progress(50, "working")
    if mode == "fail":
        raise RuntimeError("bad prompt for this model")
    marker = request.job_dir / "ctl" / "crashed-once"
    if mode == "crash-always" or (mode == "crash-once" and not marker.exists()):
        marker.write_text("x")
        print("worker dying", file=sys.stderr)
        os._exit(9)
    if mode == "hang":
        time.sleep(3600)
    while mode == "steps":  # a model's denoising loop: checks for a cancel between its steps
        if sdk.cancel_requested():
            raise RuntimeError("cancelled between steps")
        time.sleep(0.01)
    sdk.output_path("report.json").write_text(json.dumps({"text": request.inputs["text"], **model}))
    sdk.write_outputs({"report": "report.json"}, metadata=model)


if __name__ == "__main__":
    sdk.run(handle, load=load)
