"""Settings: environment prefix, defaults, and refusing placeholder secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import create_engine

from server.assembly.job import RenderFinalVideo
from server.config import VISIBILITY_MARGIN_S, Settings
from server.generation.job import GenerateShot
from server.generation.runtime import PipelineRunners
from server.jobs.kinds import JobKind
from server.models.pull_job import PullModel
from server.training.job import TrainLora
from tests.conftest import make_settings


def test_environment_overrides_use_the_studio_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_WORKSPACE", str(tmp_path / "films"))
    monkeypatch.setenv("STUDIO_PORT", "9123")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.workspace_dir == tmp_path / "films"
    assert settings.port == 9123
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'films' / '.studio' / 'studio.db'}"


@pytest.mark.parametrize("secret", ["changeme", "secret", "short-but-random"])
def test_placeholder_or_short_secrets_are_refused(secret: str) -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(_env_file=None, secret_key=secret)  # type: ignore[call-arg, arg-type]


def test_generated_signing_key_is_kept_private_and_stable(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, workspace=tmp_path)  # type: ignore[call-arg]
    first = settings.signing_key()
    assert len(first) >= 48
    assert settings.signing_key() == first
    key_file = tmp_path / ".studio" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert list((tmp_path / ".studio").iterdir()) == [key_file]


def test_the_model_store_is_workspace_models_unless_configured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("STUDIO_STACKS_DIR", raising=False)  # ./dev.sh test points it at a shared cache
    settings = Settings(_env_file=None, workspace=tmp_path)  # type: ignore[call-arg]
    assert settings.models_dir == tmp_path / "Models"  # ARCHITECTURE §3, not Library/Models
    config = settings.runner_config(tmp_path / "pipelines")
    assert (config.model_store, config.stack_cache) == (tmp_path / "Models", tmp_path / ".studio" / "stacks")
    monkeypatch.setenv("STUDIO_MODEL_STORE", str(tmp_path / "weights"))
    monkeypatch.setenv("STUDIO_TORCH_VARIANT", "cuda")
    settings = Settings(_env_file=None, workspace=tmp_path)  # type: ignore[call-arg]
    assert settings.runner_config(tmp_path).model_store == tmp_path / "weights"
    assert settings.runner_config(tmp_path).torch_variant == "cuda"


def test_a_stateless_worker_needs_the_studio_s_url_its_token_and_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_WORKER_MODE", "stateless")
    monkeypatch.setenv("STUDIO_SERVER_URL", "http://studio:8000")
    with pytest.raises(ValidationError, match=r"needs STUDIO_SERVER_URL .* STUDIO_WORKER_TOKEN .* STUDIO_DATABASE_URL"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.setenv("STUDIO_WORKER_TOKEN", "studio_pat_x")
    monkeypatch.setenv("STUDIO_DATABASE_URL", "postgresql+psycopg://studio@db/studio")
    monkeypatch.setenv("STUDIO_WORKER_CACHE", "/var/cache/studio-worker")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.worker_mode, settings.server_url, settings.worker_cache) == (
        "stateless",
        "http://studio:8000",
        Path("/var/cache/studio-worker"),
    )
    assert Settings(_env_file=None, worker_mode="shared").worker_mode == "shared"  # type: ignore[call-arg]


def test_only_the_studio_s_configuration_turns_the_sfw_gate_off_or_moves_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STUDIO_WORKSPACE", str(tmp_path))

    def studio() -> Settings:
        return Settings(_env_file=None)  # type: ignore[call-arg]

    assert studio().runner_config(tmp_path).sfw_threshold == 0.5  # on by default
    monkeypatch.setenv("STUDIO_SFW_THRESHOLD", "0.8")
    assert studio().runner_config(tmp_path).sfw_threshold == 0.8
    monkeypatch.setenv("STUDIO_SFW_GATE", "false")
    assert studio().runner_config(tmp_path).sfw_threshold is None
    monkeypatch.setenv("STUDIO_SFW_THRESHOLD", "1.5")
    with pytest.raises(ValidationError, match="sfw_threshold"):
        studio()


def job_limits(settings: Settings) -> dict[JobKind, int]:
    """Each job kind's time limit as its job reports it."""
    runners = PipelineRunners(settings)
    engine = create_engine("sqlite://")
    jobs = [
        GenerateShot(settings, runners, "cpu"),
        RenderFinalVideo(settings, engine),
        TrainLora(settings, runners),
        PullModel(settings),
    ]
    return {job.kind: job.timeout().seconds for job in jobs}


@pytest.mark.parametrize(
    "raised", ["generate_timeout_s", "render_timeout_s", "train_timeout_s", "model_pull_timeout_s"]
)
def test_the_visibility_timeout_outlasts_every_job_s_limit_and_rises_with_it(tmp_path: Path, raised: str) -> None:
    settings = make_settings(tmp_path)
    limits = job_limits(settings)
    assert set(limits) == set(JobKind)  # a new kind of job joins this test (and the visibility timeout's max)
    assert settings.visibility_timeout_s == max(limits.values()) + VISIBILITY_MARGIN_S == 3 * 3600 + 3600
    longer = make_settings(tmp_path, **{raised: 10 * 3600})
    assert max(job_limits(longer).values()) == 10 * 3600
    assert longer.visibility_timeout_s == 11 * 3600
    # Set explicitly (tests redeliver after seconds), it is what it says.
    assert make_settings(tmp_path, task_visibility_timeout_s=5).visibility_timeout_s == 5
