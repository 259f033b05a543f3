"""Stateless vs shared-disk workers: API → take committed for the same pipeline, and what a stateless worker's
clone, LFS pull and push cost on their own.

Run: .venv/bin/python -m benchmarks.stateless_workers [--runs 10] [--input-mb 4]
Starts its own studio (embedded Redis, SQLite outside the workspace), then one Celery worker at a time: a
shared-disk one, then a stateless one in its own directory (worker token, git HTTP only); each generates a
storyboard card `--runs` times after one warm-up run (API request → task succeeded, its take committed in the
project). Then, from this process, the stateless steps alone against the same server: a clone with pointers only,
a clone that also pulls one `--input-mb` LFS input, and a take committed through the clone (sync, commit, LFS
upload, push, the server's import).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from benchmarks.realtime import percentile
from server.auth.users import get_user
from server.auth.worker_tokens import create_worker_token
from server.config import Settings
from server.db.engine import create_db_engine, session_scope
from server.db.tables import Task, TaskState
from server.gitserve.worker_checkout import WorkerCheckout
from server.projects.git import studio_author
from server.takes.naming import ShotSlot
from server.takes.store import commit_take
from tests.server.generation.conftest import Chain, running_chain, shot_graph
from tests.support.factories import PASSWORD, png_bytes, take_fields
from tests.support.git_client import GitClient, random_bytes, write

ASSET = "01_Assets/Generative_Assets/reference.mp4"


def timed_runs(chain: Chain, project_id: str, runs: int) -> list[float]:
    samples = []
    for run in range(runs + 1):
        sent = time.perf_counter()
        done = chain.wait_for(chain.generate(project_id)["task_id"], timeout=180)
        assert done["state"] == "succeeded", done
        if run:  # the first run warms the worker
            samples.append(time.perf_counter() - sent)
    return samples


def row(label: str, samples: list[float]) -> str:
    return f"| {label} | {statistics.median(samples) * 1000:.0f} ms | {percentile(samples, 95) * 1000:.0f} ms |"


def stop_workers(chain: Chain) -> None:
    for worker in chain.workers:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=60)


def measure(runs: int, step: Callable[[], object]) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        step()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--input-mb", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "db").mkdir()
        database_url = f"sqlite:///{tmp / 'db' / 'studio.db'}"
        with running_chain(tmp, STUDIO_DATABASE_URL=database_url) as chain:
            engine = create_db_engine(database_url)
            with session_scope(engine) as session:
                alice = get_user(session, "alice")
                alice.is_admin = True
                session.add(alice)
                session.commit()
                _, token = create_worker_token(session, alice, Settings(_env_file=None), "bench")
            project_id = chain.project(shot_graph("cpu-storyboard"), quality="low")
            print(f"| cpu-storyboard, process backend, {args.runs} runs each | p50 | p95 |")
            print("|---|---|---|", flush=True)
            chain.start_worker()
            print(row("shared-disk worker: API request → take committed", timed_runs(chain, project_id, args.runs)))
            stop_workers(chain)
            chain.start_stateless_worker(tmp / "other-host", token)
            stateless = timed_runs(chain, project_id, args.runs)
            print(row("stateless worker: API request → take committed (clone, run, push)", stateless), flush=True)
            stop_workers(chain)

            # The stateless steps alone. A queued task is what lets the worker token open the project.
            with session_scope(engine) as session:
                session.add(
                    Task(id=str(uuid.uuid4()), project_id=project_id, node_id="bench", kind="tasks.shots.generate",
                         queue="cpu", spec={}, state=TaskState.QUEUED)
                )  # fmt: skip
                session.commit()
            url = f"{chain.server.url}/git/{next((chain.server.workspace / 'Projects').iterdir()).name}.git"
            home = tmp / "git-home"
            home.mkdir()
            person = GitClient("alice", PASSWORD, home)
            work = person.clone(url, tmp / "work")
            write(work / ASSET, random_bytes(args.input_mb * 1024 * 1024, seed=7))
            person.run("add", ".", cwd=work)
            person.run("commit", "-qm", "reference", cwd=work)
            person.run("push", "-q", "origin", "main", cwd=work)

            def clone(include: list[str]) -> Callable[[], None]:
                def step() -> None:
                    with WorkerCheckout(url, token, include=include, cache_root=tmp):
                        pass

                return step

            clone_only = measure(args.runs, clone([]))
            clone_and_pull = measure(args.runs, clone([ASSET]))
            produced = tmp / "card.png"
            produced.write_bytes(png_bytes(640, 360, (30, 60, 90)))
            with WorkerCheckout(url, token, cache_root=tmp) as checkout:
                repo = checkout.repo(30.0)
                slot = ShotSlot("SCENE_09", "SHOT-900", 1)
                push = measure(
                    args.runs,
                    lambda: commit_take(repo, slot, produced, take_fields(str(uuid.uuid4())), studio_author("alice")),
                )
            engine.dispose()
    pull = [a - b for a, b in zip(sorted(clone_and_pull), sorted(clone_only), strict=True)]
    print(row("clone, LFS pointers only (git HTTP, worker token)", clone_only))
    print(row(f"clone + `git lfs pull --include` of one {args.input_mb} MB input", clone_and_pull))
    print(row(f"≈ the LFS pull of {args.input_mb} MB alone (sorted difference)", pull))
    print(row("take through the clone: sync, commit, LFS upload, push, server import", push))


if __name__ == "__main__":
    main()
