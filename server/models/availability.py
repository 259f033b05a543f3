"""Whether each pipeline can run here now: its weights in the model store, its image on the Docker engine."""

from __future__ import annotations

from collections.abc import Mapping

import docker
from docker.errors import DockerException

from function_runner.docker_backend import engine_socket_answers
from function_runner.weights import weights_status
from schemas.models.node_type import AvailabilityProblem, PipelineAvailability
from schemas.models.pipeline_manifest import PipelineManifest
from server.config import Settings


def built_images(settings: Settings) -> set[str] | None:
    """The image tags on the engine pipelines would run on; None where they run as processes."""
    if settings.runner_backend == "process" or not engine_socket_answers(None):
        return None
    try:
        client = docker.from_env()
    except DockerException:
        return None
    try:
        return {tag for image in client.images.list() for tag in image.tags}
    except DockerException:
        return None
    finally:
        client.close()


def pipeline_availability(
    manifests: Mapping[str, PipelineManifest], settings: Settings
) -> dict[str, PipelineAvailability]:
    """Each pipeline's availability, with the command that fixes each missing part (nothing large is read)."""
    images = built_images(settings)
    availability = {}
    for pipeline_id, manifest in manifests.items():
        problems = [
            AvailabilityProblem(message=status.problem, fix=status.fix or "")
            for status in weights_status(manifest, settings.models_dir)
            if status.problem and not status.weight.optional
        ]
        weights_present = not problems
        image_built = None if images is None else manifest.image in images
        if image_built is False:
            problems.append(
                AvailabilityProblem(
                    message=f"The image {manifest.image} is not built on this studio's Docker engine.",
                    fix=f"studio pipelines build {pipeline_id}",
                )
            )
        availability[pipeline_id] = PipelineAvailability(
            ready=not problems, image_built=image_built, weights_present=weights_present, problems=problems
        )
    return availability
