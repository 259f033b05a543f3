"""Git hosting benchmark: clone time of a project holding takes (with and without GIT_LFS_SKIP_SMUDGE=1),
and push / pull throughput of one large take, against a real uvicorn server on 127.0.0.1.

    .venv/bin/python benchmarks/git_hosting.py [--project-mb 200] [--take-mb 200] [--takes 20]

The PRD's 1 GB project is scaled to --project-mb (default 200 MB) so a run takes a few minutes on a
2-core machine; results are printed and written to benchmarks/results/git_hosting.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import uvicorn

from server.app import create_app
from server.auth.users import create_user
from server.config import Settings
from server.db.engine import session_scope
from server.gitserve.client_env import git_client_env
from server.projects.git import GitRepo, studio_author
from server.projects.service import ProjectService
from server.system.git_lfs import check_git_lfs

MB = 1024 * 1024
PASSWORD = "benchmark password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _write_random(path: Path, size: int, seed: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    generator = random.Random(seed)
    with path.open("wb") as out:
        for offset in range(0, size, 8 * MB):
            out.write(generator.randbytes(min(8 * MB, size - offset)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project-mb", type=int, default=200, help="total size of the takes in the project")
    parser.add_argument("--takes", type=int, default=20, help="number of takes the project holds")
    parser.add_argument("--take-mb", type=int, default=200, help="size of the take pushed and pulled")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="studio-git-bench-"))
    try:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            workspace=scratch / "workspace",
            secret_key="benchmark-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
        )
        app = create_app(settings)
        with session_scope(app.state.engine) as session:
            user = create_user(session, "bench", PASSWORD)
            project = ProjectService(session, settings, check_git_lfs(), app.state.events).create(
                user,
                title="Bench Film",
                description="",
                aspect_ratio="16:9",
                quality="standard",
                hardware_policy="fallback",
            )
        slug = project.slug

        # The project's takes are committed by the server, as generated takes are.
        repo = GitRepo(settings.projects_dir / slug, timeout_s=3600)
        take_size = args.project_mb * MB // args.takes
        paths = []
        for n in range(args.takes):
            path = f"03_Renders/SCENE_01/SHOT_{n + 1:03d}0/SHOT-{n + 1:03d}0_v01_take01.mp4"
            _write_random(repo.root / path, take_size, seed=n)
            paths.append(path)
        seed_s = _timed(lambda: repo.commit(paths, "takes", studio_author("bench")))

        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="off")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/git/{slug}.git"
        env = git_client_env("bench", PASSWORD, home=str(scratch))

        def git(*git_args: str, cwd: Path = scratch, **extra: str) -> None:
            subprocess.run(["git", *git_args], cwd=cwd, env={**env, **extra}, check=True, capture_output=True)

        results: dict[str, float] = {"seed_commit_s": seed_s}
        # The first request puts the server's takes in the store and links them to the project; not timed.
        git("ls-remote", url)
        results["clone_full_s"] = _timed(lambda: git("clone", "-q", url, "full"))
        results["clone_skip_smudge_s"] = _timed(lambda: git("clone", "-q", url, "light", GIT_LFS_SKIP_SMUDGE="1"))

        pusher = scratch / "light"
        git("lfs", "install", "--local", cwd=pusher)
        big = "03_Renders/SCENE_02/SHOT_010/SHOT-010_v01_take01.mp4"
        _write_random(pusher / big, args.take_mb * MB, seed=999)
        git("add", big, cwd=pusher)
        git("commit", "-qm", "big take", cwd=pusher)
        results["push_s"] = _timed(lambda: git("push", "-q", "origin", "main", cwd=pusher))

        git("clone", "-q", url, "puller", GIT_LFS_SKIP_SMUDGE="1")
        results["pull_s"] = _timed(lambda: git("lfs", "pull", f"--include={big}", cwd=scratch / "puller"))

        server.should_exit = True
        thread.join(timeout=30)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    report = {
        "project_mb": args.project_mb,
        "takes": args.takes,
        "take_mb": args.take_mb,
        **{k: round(v, 2) for k, v in results.items()},
        "clone_full_mb_per_s": round(args.project_mb / results["clone_full_s"], 1),
        "push_mb_per_s": round(args.take_mb / results["push_s"], 1),
        "pull_mb_per_s": round(args.take_mb / results["pull_s"], 1),
    }
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "git_hosting.json").write_text(json.dumps(report, indent=2) + "\n")
    for key, value in report.items():
        print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
