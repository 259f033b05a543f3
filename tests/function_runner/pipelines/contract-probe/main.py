"""Test pipeline: honours the contract in mode "ok", and breaks it in each other mode."""

import json
import os
import sys
import time
from pathlib import Path

from function_runner import sdk


def probe_isolation() -> dict[str, object]:
    """What the pipeline can see and do; the Docker contract test asserts on it."""
    try:
        Path("/pipeline-write-test").write_text("x")
        root_writable = True
    except OSError:
        root_writable = False
    interfaces = sorted(os.listdir("/sys/class/net")) if os.path.isdir("/sys/class/net") else []
    return {"uid": os.getuid(), "root_writable": root_writable, "interfaces": interfaces}


def handle(request: sdk.Request, model: object) -> None:
    mode = request.params["mode"]
    for step in range(request.inputs["count"]):
        sdk.progress(100 * (step + 1) / (request.inputs["count"] + 1), f"step {step + 1}")
    print("a log line that is not progress")
    sys.stdout.buffer.write(b"\xff\xfe not utf-8 {\n")
    sys.stdout.flush()
    if mode == "crash":
        print("Traceback: the model exploded", file=sys.stderr)
        sys.exit(3)
    if mode == "hang":
        time.sleep(3600)
    if mode == "no-result":
        return
    if mode == "garbage-result":
        sdk.output_path("result.json").write_text("{not json")
        return
    if mode == "missing-output":
        sdk.write_outputs({})
        return
    if mode == "escape":
        sdk.output_path("result.json").write_text(json.dumps({"outputs": {"report": "../in/request.json"}}))
        return
    report = {
        "text": request.inputs["text"],
        "seed": request.seed,
        "image_bytes": request.path("image").stat().st_size if "image" in request.inputs else None,
        "isolation": probe_isolation(),
    }
    name = "report.png" if mode == "wrong-type" else "report.json"
    sdk.output_path(name).write_text(json.dumps(report))
    sdk.write_outputs({"report": name}, metadata={"mode": mode})


if __name__ == "__main__":
    sdk.run(handle)
