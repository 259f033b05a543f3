# Generated from schemas/graph-validation.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from enum import StrEnum
from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """
    error: blocks running the node; warning: runs, but probably not as meant; info: something was adjusted (e.g. a node type upgraded in place).
    """

    error = "error"
    warning = "warning"
    info = "info"


class IssueCode(StrEnum):
    graph_schema = "graph_schema"
    duplicate_node_id = "duplicate_node_id"
    duplicate_edge_id = "duplicate_edge_id"
    unknown_node_type = "unknown_node_type"
    type_version_incompatible = "type_version_incompatible"
    type_version_upgraded = "type_version_upgraded"
    invalid_params = "invalid_params"
    dangling_edge = "dangling_edge"
    unknown_handle = "unknown_handle"
    incompatible_sockets = "incompatible_sockets"
    too_many_connections = "too_many_connections"
    missing_required_input = "missing_required_input"
    cycle = "cycle"
    unknown_parent = "unknown_parent"
    parent_not_a_group = "parent_not_a_group"
    parent_cycle = "parent_cycle"
    unknown_pipeline = "unknown_pipeline"
    pipeline_version_mismatch = "pipeline_version_mismatch"
    sequence_timeline = "sequence_timeline"
    sequence_conform = "sequence_conform"
    weights_missing = "weights_missing"


class GraphIssue(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    node_id: Annotated[
        str | None,
        Field(description="The node at fault; null for a problem of the whole graph."),
    ]
    edge_id: Annotated[
        str | None, Field(description="The edge at fault, when an edge is.")
    ] = None
    severity: Severity
    code: IssueCode
    message: Annotated[
        str,
        Field(description="A sentence: what is wrong, with which value.", min_length=1),
    ]
    fix: Annotated[str | None, Field(description="What to do about it.")] = None


class ValidationReport(BaseModel):
    """
    The result of validating a canvas graph (POST /api/v1/projects/{id}/validate, and before every dispatch): every problem found, each tied to the node or edge at fault.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    valid: Annotated[bool, Field(description="True when no issue has severity error.")]
    issues: list[GraphIssue]
