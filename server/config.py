"""The server's one configuration object, read from the environment (prefix STUDIO_)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from function_runner.config import RunnerConfig
from function_runner.stacks import TorchVariant
from server.graph_limits import GraphLimits

# Values people paste from examples; a server must never sign tokens with them.
REPO_ROOT = Path(__file__).resolve().parents[1]

PLACEHOLDER_SECRETS = frozenset({"changeme", "change-me", "secret", "changethis", "your-secret-key", "dev"})
MIN_SECRET_LENGTH = 32
SHIPPED_PIPELINES_DIR = Path(__file__).resolve().parents[1] / "pipeline_images"
SHIPPED_QUALITY_MAP = Path(__file__).resolve().parents[1] / "library" / "quality_map.json"
# Defined here (the lowest layer) so a GitRepo made without Settings waits as long as the server's default.
DEFAULT_LOCK_TIMEOUT_S = 30.0
# After a job's time limit stops it, its worker still fails the task and acknowledges it: Redis waits this much longer.
VISIBILITY_MARGIN_S = 3600


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STUDIO_", env_file=".env", extra="ignore")

    workspace: Path = Field(default=Path("workspace"), description="Root of Library/, Projects/ and .studio/.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite at <workspace>/.studio/studio.db."
    )
    redis_url: str | None = Field(
        default=None, description="Redis for Celery and realtime; unset: an embedded Redis is started."
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="JWT signing key; unset: generated once into <workspace>/.studio/secret_key.",
    )
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    access_token_minutes: int = Field(default=12 * 60, ge=1, le=30 * 24 * 60)
    admin_user: str = "admin"
    admin_password: SecretStr | None = None
    template_dir: Path = Field(default=REPO_ROOT / "workspace_template", description="Scaffold copied by New Project.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_request_mb: int = Field(default=64, ge=1, le=4096, description="Largest API request body accepted.")
    upload_max_bytes: int = Field(
        default=2 * 1024**3, ge=1, description="Largest source-media upload (POST …/uploads) in bytes; 413 beyond."
    )
    git_json_max_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest body of the JSON Git LFS routes (batch, verify); read only after sign-in. 413 beyond.",
    )
    git_max_push_bytes: int = Field(
        default=1024**3, ge=1024 * 1024, description="Largest pack a push may send (git receive.maxInputSize)."
    )
    lfs_max_object_bytes: int = Field(
        default=10 * 1024**3, ge=1, description="Largest Git LFS object the server accepts (batch and upload)."
    )
    repo_lock_timeout_s: float = Field(
        default=DEFAULT_LOCK_TIMEOUT_S,
        gt=0,
        le=3600,
        description="How long a request waits for a project's repository lock before 503 with Retry-After.",
    )
    autosave_seconds: float = Field(default=5.0, gt=0, le=3600, description="Pause before the canvas autosave commit.")
    git_timeout_seconds: float = Field(default=120.0, gt=0)
    worker_gpus: str | None = Field(
        default=None,
        description="Override the GPUs a worker announces: 'none' or JSON [{name, vram_gb}]; unset or empty: NVML.",
    )
    runner_backend: Literal["auto", "docker", "process"] = Field(
        default="auto", description="Where pipelines run: Docker when an engine answers (auto), or local processes."
    )
    task_visibility_timeout_s: int | None = Field(
        default=None,
        ge=5,
        description="A task whose worker died is redelivered after this long; unset: the longest job time limit "
        "plus an hour (`visibility_timeout_s`). Set it lower only where jobs are short (tests).",
    )
    generate_timeout_s: int = Field(
        default=2 * 3600,
        ge=1,
        description="A generation (every step of its plan) that runs longer is stopped and fails.",
    )
    render_timeout_s: int = Field(
        default=2 * 3600, ge=1, description="A final render that runs longer is stopped and fails."
    )
    train_timeout_s: int = Field(
        default=3 * 3600, ge=1, description="A LoRA training that runs longer is stopped and fails."
    )
    model_pull_timeout_s: int = Field(
        default=3 * 3600, ge=1, description="A model pull started over REST that runs longer is stopped and fails."
    )
    start_worker: bool = Field(default=True, description="`studio up` starts a Celery worker alongside.")
    model_store: Path | None = Field(
        default=None,
        description="The model store (weights, one folder per model); unset: <workspace>/Models.",
    )
    stacks_dir: Path | None = Field(
        default=None,
        description="Wheelhouses and process-backend virtualenvs of the library stacks; unset: "
        "<workspace>/.studio/stacks.",
    )
    torch_variant: TorchVariant = Field(
        default="cpu", description="Which torch build the stacks install: cpu, or cuda on GPU hosts."
    )
    sfw_gate: bool = Field(
        default=True,
        description="Run the SFW gate of gated pipelines (face swap): a safety classifier rates their inputs and "
        "output. Only this setting switches it off; no node can.",
    )
    sfw_threshold: float = Field(
        default=0.5, gt=0, le=1, description="The gate refuses what the classifier rates over this NSFW probability."
    )
    # -- limits (README "Security model") -----------------------------------------------------------
    sign_in_failures_per_user: int = Field(
        default=10, ge=1, description="Failed sign-ins (API or git) one username may have per window before 429."
    )
    sign_in_failures_per_address: int = Field(
        default=50, ge=1, description="Failed sign-ins one client address may have per window before 429."
    )
    sign_in_window_s: int = Field(default=300, ge=1, le=86400, description="The window those failures count in.")
    personal_token_default_days: int = Field(
        default=90, ge=1, description="Lifetime of a personal access token created without expires_in_days."
    )
    personal_token_max_days: int = Field(default=365, ge=1, description="Longest lifetime a token may be given.")
    max_projects_per_user: int = Field(default=200, ge=1, description="Projects one user may own.")
    max_queued_tasks_per_user: int = Field(
        default=50, ge=1, description="Generations and renders one user may have queued or running at once."
    )
    socket_edits_per_second: int = Field(
        default=30, ge=1, description="Graph edits one user may send per second over all their sockets."
    )
    access_recheck_s: float = Field(
        default=5.0, gt=0, le=3600, description="How often each server re-checks its open sockets' access."
    )
    graph_limits: GraphLimits = Field(default_factory=GraphLimits, description="STUDIO_GRAPH_*: see GraphLimits.")
    pipeline_dirs: list[Path] | None = Field(
        default=None,
        description="Folders whose <id>/pipeline.json manifests become pipelines (JSON list); "
        "unset: the shipped pipeline_images/ and <workspace>/Library/Pipelines.",
    )
    comfyui_url: str | None = Field(
        default=None,
        description="The ComfyUI server this worker runs pipeline templates on, e.g. http://127.0.0.1:8188; "
        "unset: this worker runs no templates.",
    )

    # -- stateless workers (PRD §8.3, README "Stateless workers") ------------------------------------------
    worker_mode: Literal["shared", "stateless"] = Field(
        default="shared",
        description="shared: this worker commits takes into the server's workspace on a shared disk; stateless: "
        "it clones each task's project over STUDIO_SERVER_URL into STUDIO_WORKER_CACHE and pushes the take back.",
    )
    server_url: str | None = Field(
        default=None,
        description="The studio's base URL a stateless worker clones from and pushes to, e.g. http://studio:8000.",
    )
    worker_token: SecretStr | None = Field(
        default=None,
        description="The worker token (`studio workers token create`) a stateless worker signs in to git with.",
    )
    worker_cache: Path | None = Field(
        default=None,
        description="Folder of a stateless worker's per-task clones (each removed when its task ends); "
        "unset: the system temp dir.",
    )

    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token a Prometheus scraper sends to GET /metrics; unset: admins only, with their sign-in.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="Log lines of the server and workers: human-readable text, or one JSON object each."
    )

    @field_validator("secret_key", "metrics_token")
    @classmethod
    def _refuse_placeholder_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None:
            return None
        raw = value.get_secret_value()
        if raw.lower() in PLACEHOLDER_SECRETS or len(raw) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"STUDIO_{(info.field_name or '').upper()} must be a random string of at least {MIN_SECRET_LENGTH} "
                "characters (e.g. the output of `python -c 'import secrets; print(secrets.token_urlsafe(48))'`), "
                "or unset"
            )
        return value

    @model_validator(mode="after")
    def _stateless_worker_can_reach_the_studio(self) -> Settings:
        if self.worker_mode == "stateless" and (
            not self.server_url or self.worker_token is None or self.database_url is None
        ):
            raise ValueError(
                "STUDIO_WORKER_MODE=stateless needs STUDIO_SERVER_URL (the studio's base URL, e.g. "
                "http://studio:8000), STUDIO_WORKER_TOKEN (from `studio workers token create`) and "
                "STUDIO_DATABASE_URL (the studio's database, where tasks are claimed); set all three"
            )
        return self

    @model_validator(mode="after")
    def _token_days_fit(self) -> Settings:
        if self.personal_token_default_days > self.personal_token_max_days:
            raise ValueError(
                f"STUDIO_PERSONAL_TOKEN_DEFAULT_DAYS ({self.personal_token_default_days}) is longer than "
                f"STUDIO_PERSONAL_TOKEN_MAX_DAYS ({self.personal_token_max_days}); lower the default or raise "
                "the maximum"
            )
        return self

    @property
    def workspace_dir(self) -> Path:
        return self.workspace.expanduser().resolve()

    @property
    def projects_dir(self) -> Path:
        return self.workspace_dir / "Projects"

    @property
    def library_dir(self) -> Path:
        return self.workspace_dir / "Library"

    @property
    def pipeline_search_dirs(self) -> list[Path]:
        if self.pipeline_dirs is not None:
            return [path.expanduser().resolve() for path in self.pipeline_dirs]
        return [SHIPPED_PIPELINES_DIR, self.library_dir / "Pipelines"]

    @property
    def quality_map_file(self) -> Path:
        """The workspace's quality map; the shipped seed until the workspace Library is seeded."""
        seeded = self.library_dir / "quality_map.json"
        return seeded if seeded.is_file() else SHIPPED_QUALITY_MAP

    @property
    def visibility_timeout_s(self) -> int:
        """How long Redis keeps an unacknowledged task before handing it to another worker (its worker died). Above
        the longest job time limit, so a job still within its limit is never delivered twice: raising a limit raises
        it too."""
        if self.task_visibility_timeout_s is not None:
            return self.task_visibility_timeout_s
        longest = max(self.generate_timeout_s, self.render_timeout_s, self.train_timeout_s, self.model_pull_timeout_s)
        return longest + VISIBILITY_MARGIN_S

    @property
    def state_dir(self) -> Path:
        return self.workspace_dir / ".studio"

    @property
    def run_dir(self) -> Path:
        return self.state_dir / "run"

    @property
    def jobs_dir(self) -> Path:
        return self.state_dir / "jobs"

    @property
    def models_dir(self) -> Path:
        """ARCHITECTURE §3: <workspace>/Models, beside Library/ and Projects/ (or STUDIO_MODEL_STORE)."""
        return self.model_store.expanduser().resolve() if self.model_store else self.workspace_dir / "Models"

    def runner_config(self, pipelines_dir: Path, docker_url: str | None = None) -> RunnerConfig:
        """The Function Runner's explicit config for one pipelines folder (function_runner never reads Settings)."""
        return RunnerConfig(
            pipelines_dir=pipelines_dir,
            jobs_dir=self.jobs_dir,
            model_store=self.models_dir,
            docker_url=docker_url,
            stacks_cache=self.stacks_dir.expanduser().resolve() if self.stacks_dir else self.state_dir / "stacks",
            torch_variant=self.torch_variant,
            sfw_threshold=self.sfw_threshold if self.sfw_gate else None,
        )

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.state_dir / 'studio.db'}"

    def signing_key(self) -> str:
        """The JWT key: configured, or generated once and kept (mode 0600) in the state dir."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        key_file = self.state_dir / "secret_key"
        if not key_file.exists():
            self.state_dir.mkdir(parents=True, exist_ok=True)
            # Written aside then linked into place: two processes starting together agree on one key
            # and neither ever reads a half-written file.
            candidate = self.state_dir / f".secret_key.{secrets.token_hex(8)}"
            candidate.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            candidate.chmod(0o600)
            try:
                os.link(candidate, key_file)
            except FileExistsError:
                pass
            finally:
                candidate.unlink()
        return key_file.read_text(encoding="utf-8").strip()
