"""Generated files (Python models, TypeScript types) match what the schemas generate now."""

import shutil
import subprocess
from pathlib import Path

from schemas import GENERATED_MODELS, SCHEMA_DIR
from schemas.generate import MODELS_DIR, REGENERATE_COMMAND, render_models

FRONTEND = SCHEMA_DIR.parent / "canvas_frontend"
TYPES_DIR = FRONTEND / "src" / "lib" / "types"
TS_COMMAND = "npm ci --prefix canvas_frontend && npm run --prefix canvas_frontend generate:types"


def test_every_schema_has_generated_python_models() -> None:
    assert set(GENERATED_MODELS) == {p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json")}


def test_python_models_are_up_to_date() -> None:
    stale = [
        module
        for module, source in render_models().items()
        if not (MODELS_DIR / f"{module}.py").is_file()
        or (MODELS_DIR / f"{module}.py").read_text(encoding="utf-8") != source
    ]
    assert stale == [], f"schemas/models/ is out of date for {stale}; run: {REGENERATE_COMMAND}"


def test_typescript_types_are_up_to_date(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None, "Node.js is needed to generate the TypeScript types; install Node 20."
    assert (FRONTEND / "node_modules" / "json-schema-to-typescript").is_dir(), (
        f"canvas_frontend has no node_modules; run: {TS_COMMAND}"
    )
    subprocess.run(
        [node, str(FRONTEND / "scripts" / "generate-types.mjs"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.ts")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in TYPES_DIR.glob("*.ts")}
    assert set(fresh) == {"contracts.ts", "socket-compatibility.data.ts", "media-types.data.ts"}
    assert all(f"export type {name} =" in fresh["contracts.ts"] for name in ("SocketType", "TaskType", "IssueCode"))
    drifted = sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
    assert drifted == [], f"canvas_frontend/src/lib/types is out of date for {drifted}; run: {TS_COMMAND}"
