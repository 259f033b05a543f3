"""Stack recipes: the chain a requirements file declares, what changes a recipe, and clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from function_runner.build_cache import building, is_built
from function_runner.errors import StackError
from function_runner.stacks import load_stack, packages_recipe
from function_runner.wheelhouse import check_torch_variant
from tests.support.stack_models import STACK_RECIPES


@pytest.fixture
def recipes(tmp_path: Path) -> Path:
    shutil.copytree(STACK_RECIPES, tmp_path / "stacks")
    return tmp_path / "stacks"


def test_the_diffusers_stack_builds_on_torch_with_its_own_requirements_and_modules() -> None:
    stack = load_stack(STACK_RECIPES, "diffusers")
    assert [layer.name for layer in stack.chain()] == ["torch", "diffusers"]
    assert stack.parent is not None and stack.parent.requirements == ("torch",)
    assert "diffusers" in stack.requirements and "torch" not in stack.requirements
    assert [module.name for module in stack.modules()] == ["diffusion_job.py", "lora_training.py", "spandrel_job.py"]
    # spandrel without its declared torchvision (which cannot run beside the CPU torch build)
    assert stack.no_deps == ("spandrel",) and stack.chain_no_deps() == ["spandrel"]
    assert "einops" in stack.requirements and "spandrel" not in stack.requirements


def test_the_insightface_stack_builds_on_diffusers_with_the_face_models_and_every_package_pinned() -> None:
    # On diffusers: its transformers runs the SFW gate, its spandrel (no-deps) the face restoration network.
    stack = load_stack(STACK_RECIPES, "insightface")
    assert [layer.name for layer in stack.chain()] == ["torch", "diffusers", "insightface"]
    assert set(stack.requirements) == {"insightface", "onnxruntime", "onnx"}
    assert stack.chain_no_deps() == ["spandrel"]
    assert [module.name for module in stack.modules()] == ["face_models.py", "frames.py", "sfw_gate.py"]
    pinned = {
        line.split("==")[0] for line in (STACK_RECIPES / "constraints.txt").read_text().splitlines() if "==" in line
    }
    assert set(stack.requirements) <= pinned


def test_the_package_recipe_follows_requirements_constraints_and_variant_but_not_modules(recipes: Path) -> None:
    before = packages_recipe(load_stack(recipes, "diffusers"), "cpu")
    assert packages_recipe(load_stack(recipes, "diffusers"), "cuda") != before
    (recipes / "diffusers" / "diffusion_job.py").write_text("# edited\n")
    assert packages_recipe(load_stack(recipes, "diffusers"), "cpu") == before  # modules load from the folder
    constraints = recipes / "constraints.txt"
    constraints.write_text(constraints.read_text().replace("diffusers==0.42.1", "diffusers==0.42.0"))
    assert packages_recipe(load_stack(recipes, "diffusers"), "cpu") != before
    with_deps = packages_recipe(load_stack(recipes, "diffusers"), "cpu")
    (recipes / "diffusers" / "no-deps.txt").write_text("# none\n")
    assert packages_recipe(load_stack(recipes, "diffusers"), "cpu") != with_deps  # a no-deps package moved
    torch_recipe = packages_recipe(load_stack(recipes, "torch"), "cpu")
    (recipes / "torch" / "requirements.txt").write_text("torch\nnumpy\n")
    assert packages_recipe(load_stack(recipes, "torch"), "cpu") != torch_recipe


@pytest.mark.parametrize(
    ("name", "requirements", "fragment"),
    [
        ("nope", None, "Stack 'nope' does not exist"),
        ("loop", "-r ../loop/requirements.txt\n", "build on each other in a circle"),
        ("indexed", "--index-url https://example.org\nfoo\n", "only '-r ../<parent>/requirements.txt' is allowed"),
    ],
)
def test_bad_stacks_are_refused_with_the_fix(recipes: Path, name: str, requirements: str | None, fragment: str) -> None:
    if requirements is not None:
        (recipes / name).mkdir()
        (recipes / name / "requirements.txt").write_text(requirements)
    with pytest.raises(StackError) as caught:
        load_stack(recipes, name)
    assert fragment in caught.value.message
    if name == "nope":
        known = sorted(path.parent.name for path in recipes.glob("*/requirements.txt"))
        assert {"diffusers", "torch"} <= set(known)
        assert f"known stacks: {', '.join(known)})" in caught.value.message


@pytest.mark.parametrize(
    ("variant", "wheel", "fragment"),
    [
        ("cpu", "torch-2.13.0-cp311-cp311-manylinux_2_28_x86_64.whl", "PIP_EXTRA_INDEX_URL"),
        ("cuda", "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl", "serves the CPU build first"),
    ],
)
def test_a_wheelhouse_with_the_other_torch_build_is_refused(
    tmp_path: Path, variant: str, wheel: str, fragment: str
) -> None:
    (tmp_path / wheel).write_bytes(b"")
    with pytest.raises(StackError, match=fragment):
        check_torch_variant(tmp_path, variant)  # type: ignore[arg-type]
    check_torch_variant(tmp_path, "cuda" if variant == "cpu" else "cpu")  # type: ignore[arg-type]


def test_a_failed_build_leaves_nothing_and_the_next_one_builds_afresh(tmp_path: Path) -> None:
    target = tmp_path / "venvs" / "thing"
    with pytest.raises(RuntimeError), building(target) as scratch:
        assert scratch is not None
        (scratch / "half").write_text("x")
        raise RuntimeError("pip failed")
    assert not target.exists() and sorted(p.name for p in target.parent.iterdir()) == [".thing.lock"]
    with building(target) as scratch:
        assert scratch is not None
        (scratch / "whole").write_text("x")
    assert is_built(target) and (target / "whole").is_file()
    with building(target) as scratch:
        assert scratch is None  # built: nothing to do
