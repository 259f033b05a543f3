"""ComfyUI's API-format workflow ("Save (API Format)"): checking its shape, and the copy with values written in."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from function_runner.errors import TemplateError
from schemas.models.pipeline_template import NodeInput

# node id -> {"class_type": str, "inputs": {name: literal or [source node id, output slot]}, "_meta"?: {...}}
Workflow = dict[str, dict[str, Any]]

NODE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_NODES = 2000
# What ComfyUI's own UI format (File > Save) has at its top level instead of node ids.
UI_FORMAT_KEYS = frozenset({"nodes", "links"})


def is_link(value: Any) -> bool:
    """An input fed by another node's output: [source node id, output slot]."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    )


def parse_workflow(document: Any, label: str) -> Workflow:
    """`document` as an API-format workflow; anything else is a TemplateError saying what to export instead."""
    if isinstance(document, dict) and document.keys() >= UI_FORMAT_KEYS:
        raise TemplateError(
            f"{label} is a ComfyUI workflow in the UI format (it has 'nodes' and 'links'); the studio needs the API "
            "format: in ComfyUI, use Workflow > Export (API) (or 'Save (API Format)') and use that file."
        )
    if not isinstance(document, dict) or not document:
        raise TemplateError(
            f"{label} is not a ComfyUI API-format workflow (an object of node ids, each with class_type and inputs); "
            "export it from ComfyUI with Workflow > Export (API)."
        )
    if len(document) > MAX_NODES:
        raise TemplateError(f"{label} has {len(document)} nodes; a template may have at most {MAX_NODES}.")
    for node_id, node in document.items():
        where = f"{label}: node '{node_id}'"
        if not NODE_ID.match(node_id):
            raise TemplateError(f"{where} has an id ComfyUI does not make; use the API-format export unchanged.")
        if not isinstance(node, dict) or not isinstance(node.get("class_type"), str) or not node["class_type"]:
            raise TemplateError(f"{where} has no class_type; export the workflow again with Workflow > Export (API).")
        if not isinstance(node.get("inputs"), dict):
            raise TemplateError(f"{where} ({node['class_type']}) has no inputs object; export the workflow again.")
        for name, value in node["inputs"].items():
            if is_link(value) and value[0] not in document:
                raise TemplateError(
                    f"{where} ({node['class_type']}) takes input '{name}' from node '{value[0]}', which the workflow "
                    "does not have; export the whole workflow again."
                )
    return document


def node_classes(workflow: Workflow) -> frozenset[str]:
    """The node classes a ComfyUI server must have to run the workflow."""
    return frozenset(node["class_type"] for node in workflow.values())


def describe_node(workflow: Workflow, node_id: str) -> str:
    node = workflow.get(node_id)
    return f"node '{node_id}' ({node['class_type']})" if node else f"node '{node_id}'"


def title_of(workflow: Workflow, node_id: str) -> str:
    """The title the user gave the node in ComfyUI (kept in _meta by the API export), else its class."""
    node = workflow[node_id]
    meta = node.get("_meta")
    title = meta.get("title") if isinstance(meta, dict) else None
    return title if isinstance(title, str) and title else str(node["class_type"])


def with_values(workflow: Workflow, values: Iterable[tuple[NodeInput, Any]]) -> Workflow:
    """A copy of the workflow with each value written to its node input: the prompt that is sent."""
    prompt = copy.deepcopy(workflow)
    for target, value in values:
        prompt[target.node]["inputs"][target.input] = value
    return prompt
