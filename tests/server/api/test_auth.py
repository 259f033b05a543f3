"""POST /auth/token and token checking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from fastapi.testclient import TestClient

from server.config import Settings
from tests.support.factories import PASSWORD, TestUser


def test_token_is_a_bearer_jwt_naming_the_user(client: TestClient, alice: TestUser, settings: Settings) -> None:
    response = client.post("/auth/token", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    claims = jwt.decode(body["access_token"], settings.signing_key(), algorithms=["HS256"])
    assert claims["typ"] == "access"
    assert claims["exp"] - claims["iat"] == settings.access_token_minutes * 60
    assert client.get("/api/v1/users/me", headers=alice.headers).json() == {"username": "alice", "is_admin": False}


def test_wrong_password_and_unknown_user_answer_alike(client: TestClient, alice: TestUser) -> None:
    wrong = client.post("/auth/token", data={"username": "alice", "password": "not-the-password"})
    unknown = client.post("/auth/token", data={"username": "mallory", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {"error": {"code": "not_authenticated", "message": "Wrong username or password."}}
    )


def test_login_without_form_fields_names_them(client: TestClient) -> None:
    response = client.post("/auth/token", data={"username": "alice"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "password"


def forged(settings: Settings, **claims: object) -> dict[str, str]:
    now = datetime.now(UTC)
    base = {"sub": "1", "gen": 0, "iat": now, "exp": now + timedelta(minutes=5), "typ": "access", **claims}
    return {"Authorization": f"Bearer {jwt.encode(base, settings.signing_key(), algorithm='HS256')}"}


def test_expired_token_is_refused_with_a_hint(client: TestClient, alice: TestUser, settings: Settings) -> None:
    past = datetime.now(UTC) - timedelta(hours=2)
    response = client.get("/api/v1/users/me", headers=forged(settings, iat=past, exp=past + timedelta(hours=1)))
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]
    assert response.headers["www-authenticate"] == "Bearer"


def test_unsigned_and_foreign_tokens_are_refused(client: TestClient, alice: TestUser, settings: Settings) -> None:
    none_alg = jwt.encode({"sub": "1", "typ": "access"}, key=None, algorithm="none")
    foreign = jwt.encode({"sub": "1", "iat": 0, "exp": 2**31, "typ": "access"}, "x" * 40, algorithm="HS256")
    for token in (none_alg, foreign, "not.a.jwt", ""):
        response = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token


def test_token_of_a_deleted_user_or_wrong_type_is_refused(
    client: TestClient, alice: TestUser, settings: Settings
) -> None:
    assert client.get("/api/v1/users/me", headers=forged(settings, sub="999")).status_code == 401
    assert client.get("/api/v1/users/me", headers=forged(settings, typ="refresh")).status_code == 401
