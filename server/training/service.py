"""Starting a LoRA training: check that the asset can be trained (enough images, big enough, the base model's
weights in the store) and say what is missing, place it (server.dispatch.placement), record it and enqueue it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from function_runner.weights import weights_status
from schemas.models.node_type import PipelineAvailability
from schemas.models.project_manifest import HardwarePolicy
from server.assets.documents import find_asset
from server.config import Settings
from server.db.tables import Task, User
from server.dispatch.placement import place_pipeline
from server.dispatch.registry import WorkerRegistry
from server.errors import InvalidInputError
from server.graph.context import project_catalogue
from server.jobs.service import NO_QUEUE_MESSAGE, TaskService
from server.models.availability import pipeline_availability
from server.projects.service import Access, ProjectService
from server.training.spec import TrainingSpec

# Base model (its model store folder) -> the pipeline that trains a LoRA on it.
TRAINING_PIPELINES = {"stable-diffusion-v1-5": "train-lora-sd1.5", "FLUX.1-dev": "train-lora-flux"}
DEFAULT_BASE_MODEL = "stable-diffusion-v1-5"
MIN_IMAGES = 2


class NotTrainableError(InvalidInputError):
    code = "not_trainable"


@dataclass(frozen=True)
class TrainingRequest:
    base_model: str = DEFAULT_BASE_MODEL
    steps: int = 800
    rank: int = 16
    learning_rate: float = 1e-4
    resolution: int = 512
    seed: int = 0


@dataclass(frozen=True)
class BaseModelChoice:
    """A base model a LoRA can be trained on, and whether its training pipeline can run here now."""

    base_model: str  # its model store folder
    name: str  # as its pipeline's manifest names the weights
    pipeline_id: str
    is_default: bool  # what a training that names no base model uses
    availability: PipelineAvailability


def base_model_choices(settings: Settings, repo_root: Path) -> list[BaseModelChoice]:
    """Every base model of TRAINING_PIPELINES, the default first."""
    pipelines = project_catalogue(settings, repo_root).pipelines
    manifests = {pipeline_id: pipelines[pipeline_id] for pipeline_id in TRAINING_PIPELINES.values()}
    availability = pipeline_availability(manifests, settings)
    choices = [
        BaseModelChoice(
            base_model=base_model,
            name=next((w.name for w in manifests[pipeline_id].weights or [] if w.path == base_model), base_model),
            pipeline_id=pipeline_id,
            is_default=base_model == DEFAULT_BASE_MODEL,
            availability=availability[pipeline_id],
        )
        for base_model, pipeline_id in TRAINING_PIPELINES.items()
    ]
    return sorted(choices, key=lambda choice: not choice.is_default)


class TrainingService:
    def __init__(self, projects: ProjectService, tasks: TaskService) -> None:
        self.projects = projects
        self.tasks = tasks
        self.settings = projects.settings

    def base_models(self, user: User, project_id: str) -> list[BaseModelChoice]:
        project = self.projects.open(user, project_id, Access.READ).project
        return base_model_choices(self.settings, self.projects.repo(project).root)

    def start(self, user: User, project_id: str, asset_id: str, request: TrainingRequest) -> Task:
        project = self.projects.open(user, project_id, Access.WRITE).project
        root = self.projects.repo(project).root
        stored = find_asset(root, asset_id)
        pipeline_id = TRAINING_PIPELINES.get(request.base_model)
        if pipeline_id is None:
            raise NotTrainableError(
                f"LoRAs cannot be trained on '{request.base_model[:100]}' here; choose one of "
                f"{', '.join(TRAINING_PIPELINES)}.",
                field="base_model",
            )
        manifest = project_catalogue(self.settings, root).pipelines[pipeline_id]
        problems = [
            status.problem.rstrip(".") + (f" (`{status.fix}`)" if status.fix else "")
            for status in weights_status(manifest, self.settings.models_dir)
            if status.problem
        ]
        images = stored.asset.reference_images
        name = stored.asset.name
        if len(images) < MIN_IMAGES:
            problems.insert(
                0,
                f"'{name}' has {len(images)} reference image{'s' if len(images) != 1 else ''}; training needs at "
                f"least {MIN_IMAGES}: add {MIN_IMAGES - len(images)} more",
            )
        smallest = request.resolution // 2
        small = [i.file.removeprefix("refs/") for i in images if min(i.width, i.height) < smallest]
        if small:
            problems.append(
                f"{', '.join(small[:5])} {'is' if len(small) == 1 else 'are'} smaller than {smallest} px on a side; "
                f"replace {'it' if len(small) == 1 else 'them'} with larger images or train at a lower resolution"
            )
        if problems:
            raise NotTrainableError(f"'{name}' cannot be trained yet: {'; '.join(problems)}.", field="asset_id")
        if not self.settings.redis_url:
            raise InvalidInputError(NO_QUEUE_MESSAGE)
        self.tasks.require_queue()
        workers = WorkerRegistry.from_url(self.settings.redis_url).live()
        placement = place_pipeline(manifest, project.quality, HardwarePolicy(project.hardware_policy), workers)
        spec = TrainingSpec(
            asset_id=stored.asset.uuid,
            placement=placement,
            base_model=request.base_model,
            params={
                "steps": request.steps,
                "rank": request.rank,
                "learning_rate": request.learning_rate,
                "resolution": request.resolution,
                "checkpoint_every": max(1, min(200, request.steps // 4)),
                "sample_steps": 25,
            },
            seed=request.seed,
        )
        # The task follows the asset: its uuid is the "node" its events name.
        task = self.tasks.submit(user, project_id, stored.asset.uuid, placement.queue, spec)
        self.tasks.announce(task, placement)
        return task
