"""`studio models pull`: a model from a Hugging Face repository into the store, resumable and hash-checked.

huggingface_hub downloads into `<store>/.<name>.<commit>.download/` (an interrupted pull resumes there:
finished files are kept, a partial file continues with an HTTP Range request). Every file is then checked
against the hub's own hashes (LFS files by sha256, small files by their git blob id), the folder against
what the pipelines declare (format, file hashes), and only then renamed into the store.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from function_runner.weights import check_weight, hash_file
from schemas.models.model_record import ModelRecord, Source
from server.errors import InvalidInputError, StudioError
from server.models.store import ModelStore

if TYPE_CHECKING:
    from huggingface_hub.hf_api import RepoFile
    from tqdm.auto import tqdm

HUB_METADATA = ".cache"  # huggingface_hub's bookkeeping inside local_dir
# Called with (bytes on disk, bytes of the whole snapshot) as each chunk arrives; what it raises ends the pull
# (from a download thread, at the next chunk of any file: the partial download stays, resumable).
ByteProgress = Callable[[int, int], None]


class PullError(StudioError):
    code = "model_pull_failed"


@dataclass(frozen=True)
class PullRequest:
    name: str
    repo: str | None = None
    revision: str | None = None
    endpoint: str | None = None  # None: the Hugging Face Hub
    replace: bool = False


def hub_endpoint(given: str | None = None) -> str | None:
    """The hub to pull from: the one given, else this host's HF_ENDPOINT (never a URL a browser sent)."""
    return given or os.environ.get("HF_ENDPOINT")


def source_of(store: ModelStore, request: PullRequest) -> tuple[str, str]:
    """The repository and revision a pull fetches: the request's, else what a pipeline's manifest declares."""
    declared = store.default_source(request.name)
    repo = request.repo or (declared.repo if declared else None)
    if repo is None:
        raise InvalidInputError(
            f"No pipeline names a repository for the model '{request.name}'. Give one: "
            f"`studio models pull {request.name} --repo OWNER/NAME` (or `repo` in the REST request).",
            field="repo",
        )
    revision = request.revision or (declared.revision if declared and declared.repo == repo else None) or "main"
    store.folder(request.name)  # the name is valid before anything is fetched
    return repo, revision


def pull(
    store: ModelStore, request: PullRequest, tqdm_class: Any = None, on_bytes: ByteProgress | None = None
) -> ModelRecord:
    """Download, check and install one model; every failure is a PullError saying what to do. Progress goes to
    `tqdm_class` (the CLI's bars) or `on_bytes` (a job's)."""
    assert tqdm_class is None or on_bytes is None, "one way to follow a pull"
    # Imported by the pull itself: the Hub client is most of a second of imports for every process that can start
    # a pull (the server, the CLI), and only a pull uses it.
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import GatedRepoError, HfHubHTTPError, RepositoryNotFoundError, RevisionNotFoundError
    from huggingface_hub.hf_api import RepoFile

    repo, revision = source_of(store, request)
    api = HfApi(endpoint=request.endpoint)
    try:
        commit = api.model_info(repo, revision=revision).sha
        assert commit is not None
        tree = [f for f in api.list_repo_tree(repo, revision=commit, recursive=True) if isinstance(f, RepoFile)]
        download = store.root / f".{request.name}.{commit[:12]}.download"
        if on_bytes is not None:
            tqdm_class = _counting_bars(sum(f.size for f in tree), on_bytes)
        snapshot_download(
            repo,
            revision=commit,
            local_dir=download,
            cache_dir=download / HUB_METADATA / "hub",  # never the user's ~/.cache: one copy, in the store
            endpoint=request.endpoint,
            tqdm_class=tqdm_class,
        )
    except GatedRepoError as exc:
        raise PullError(
            f"{repo} is gated: accept its licence on the Hub with your account, then set HF_TOKEN and pull again."
        ) from exc
    except RepositoryNotFoundError as exc:
        raise PullError(f"The Hub has no repository {repo} (or it is private). Check --repo.", field="repo") from exc
    except RevisionNotFoundError as exc:
        raise PullError(f"{repo} has no revision '{revision}'. Check --revision.", field="revision") from exc
    except (HfHubHTTPError, OSError) as exc:
        raise PullError(
            f"Pulling {repo} failed ({exc}). Run the same command again: finished files are kept and a partial "
            "file resumes where it stopped."
        ) from exc
    _check_hashes(download, tree, repo)
    shutil.rmtree(download / HUB_METADATA, ignore_errors=True)
    for pipeline, weight in store.needed.get(request.name, []):
        status = check_weight(download.parent, weight.model_copy(update={"path": download.name}), rehash=True)
        if not status.usable:
            raise PullError(
                f"{repo}@{revision} does not give what pipeline '{pipeline}' needs: {status.problem} (the download "
                "is kept aside, not installed). Pull another repository or revision with --repo/--revision."
            )
    return store.install(request.name, download, Source(repo=repo, revision=revision, commit=commit), request.replace)


class _Discard(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def _counting_bars(total: int, on_bytes: ByteProgress) -> type[tqdm]:
    """Silent bars for snapshot_download that report its bytes: it opens two byte bars (written to disk, and
    received from the network: fewer for Xet's deduplicated transfers) fed by every file's download thread,
    and a bar of files; the furthest byte bar against the snapshot's size is how far the pull got."""
    from tqdm.auto import tqdm

    lock = threading.Lock()
    furthest = [0]

    class CountingBars(tqdm):  # type: ignore[misc]  # tqdm has no types: Any
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **{**kwargs, "file": _Discard(), "disable": False})
            self.counts_bytes = kwargs.get("unit") == "B"

        def update(self, n: float | None = 1) -> None:
            super().update(n)
            if self.counts_bytes:
                with lock:  # reported in order: download threads update at once
                    furthest[0] = max(furthest[0], int(self.n))
                    on_bytes(min(furthest[0], total), total)

    return CountingBars


def git_blob_id(path: Path) -> str:
    """The git object id the Hub reports for a small (non-LFS) file."""
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"blob {path.stat().st_size}\0".encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()


def _check_hashes(download: Path, tree: list[RepoFile], repo: str) -> None:
    """Each file against the Hub's hash; a damaged one is deleted so the next pull fetches it again."""
    for entry in tree:
        path = download / entry.path
        if entry.lfs is not None:
            expected, actual = entry.lfs.sha256, hash_file(path) if path.is_file() else "missing"
        else:
            expected, actual = entry.blob_id, git_blob_id(path) if path.is_file() else "missing"
        if actual != expected:
            path.unlink(missing_ok=True)
            raise PullError(
                f"{repo}: {entry.path} arrived with hash {actual[:12]}… but the Hub lists {expected[:12]}…: the "
                "download was damaged. It was deleted; run the same command again to fetch it anew."
            )
