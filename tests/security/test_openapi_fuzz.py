"""Schemathesis over the OpenAPI document, in-process against the ASGI app with a real user, a shared
project and a graph: no generated request (valid or not) gets a 5xx, and every operation but
POST /auth/token and the probes refuses a request without a token with 401."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.server.generation.conftest import shot_graph
from tests.support.factories import TestUser, create_project

# Signing in, and the probes orchestrators call without credentials (names and booleans only).
OPEN_OPERATIONS = {"POST /auth/token", "GET /healthz", "GET /readyz"}
# 503 is what /readyz is for: this app runs without Redis or a worker, so it is not ready, and says which.
MEANT_5XX = {"GET /readyz": 503}
# Per operation and mode; the whole run stays within a couple of minutes on a 2-core machine.
EXAMPLES = 12

pytestmark = pytest.mark.slow


def _real_ids(client: TestClient, alice: TestUser) -> dict[str, str]:
    """Values a path parameter may take instead of a random one, so requests reach past the 404."""
    project = create_project(client, alice, "Fuzzed Film")
    saved = client.put(
        f"/api/v1/projects/{project['id']}",
        json={"version": 1, "graph": shot_graph("cpu-storyboard")},
        headers=alice.headers,
    )
    assert saved.status_code == 200, saved.text
    token = client.post("/api/v1/tokens", json={"name": "fuzz"}, headers=alice.headers).json()
    return {
        "project_id": project["id"],
        "node_id": "shot",
        "username": "bob",
        "token_id": str(token["id"]),
        "path": "project.json",
    }


def _attack(
    operation: Any, mode: GenerationMode, ids: dict[str, str], user: TestUser, problems: list[str]
) -> Callable[[], None]:
    label = f"{operation.method.upper()} {operation.path}"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), use_real_ids=st.booleans())
    def attack(case: Any, use_real_ids: bool) -> None:
        if use_real_ids:
            for name in case.path_parameters:
                if name in ids:
                    case.path_parameters[name] = ids[name]
        if mode is GenerationMode.POSITIVE and label not in OPEN_OPERATIONS:
            anonymous = case.call(headers={"Authorization": ""})
            if anonymous.status_code != 401:
                problems.append(f"{label} answered {anonymous.status_code} without a token")
        response = case.call(headers=user.headers)
        if response.status_code >= 500 and MEANT_5XX.get(label) != response.status_code:
            problems.append(f"{label} ({mode.value}) answered {response.status_code}: {response.text[:300]}")

    return attack


@pytest.mark.timeout(1200)  # every operation of the document, twice: ~100 s on an idle machine, 300 s under load
def test_no_operation_fails_with_a_server_error_or_opens_without_a_token(
    app: FastAPI, client: TestClient, alice: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    user_factory("bob")
    ids = _real_ids(client, alice)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    problems: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25  # the whole API, not an empty document

    for operation in operations:
        _attack(operation, GenerationMode.POSITIVE, ids, alice, problems)()
        # An operation with nothing to get wrong (no parameters, no body) has no invalid requests.
        with contextlib.suppress(Unsatisfiable):
            _attack(operation, GenerationMode.NEGATIVE, ids, alice, problems)()
    assert not problems, "\n".join(sorted(set(problems))[:40])
