"""The one place where errors become HTTP responses: {"error": {code, message, field?, ...}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.errors import (
    AuthenticationError,
    ConflictError,
    GitCommandError,
    GitLfsMissingError,
    InvalidInputError,
    NotFoundError,
    PathNotAllowedError,
    PayloadTooLargeError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitedError,
    RepositoryBusyError,
    StudioError,
    UnsupportedMediaTypeError,
)
from server.jobs.service import QueueUnavailableError

log = logging.getLogger(__name__)

# Most specific first: the first matching class decides the status.
STATUS_BY_ERROR: list[tuple[type[StudioError], int]] = [
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (QuotaExceededError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (PathNotAllowedError, 400),
    (PayloadTooLargeError, 413),
    (UnsupportedMediaTypeError, 415),
    (RateLimitedError, 429),
    (InvalidInputError, 422),
    (GitLfsMissingError, 503),
    (QueueUnavailableError, 503),
    (RepositoryBusyError, 503),
    (GitCommandError, 500),
]


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **{k: v for k, v in extra.items() if v is not None}}}


def _status_for(exc: StudioError) -> int:
    return next((status for cls, status in STATUS_BY_ERROR if isinstance(exc, cls)), 400)


async def _studio_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StudioError)
    status = _status_for(exc)
    if status >= 500:
        log.error("%s: %s", exc.code, exc.message)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if "retry_after_s" in exc.details:
        headers["Retry-After"] = str(exc.details["retry_after_s"])
    return JSONResponse(error_body(exc.code, exc.message, field=exc.field, **exc.details), status, headers=headers)


def _describe_validation_error(error: dict[str, Any]) -> tuple[str, str]:
    location = [str(part) for part in error.get("loc", ()) if part not in ("body",)]
    field = ".".join(location) or "body"
    if error.get("type") == "json_invalid":
        reason = error.get("ctx", {}).get("error", "malformed JSON")
        return "body", f"The request body is not valid JSON ({reason}); send a JSON object."
    if error.get("type") == "missing":
        return field, f"'{field}' is required; add it to the request."
    return field, f"'{field}': {error.get('msg', 'invalid value')}."


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [_describe_validation_error(dict(e)) for e in exc.errors()]
    field, message = problems[0]
    if len(problems) > 1:
        message += f" ({len(problems) - 1} more problem(s) in 'errors'.)"
    details = [{"field": f, "message": m} for f, m in problems[:20]]
    status = 400 if field == "body" and "not valid JSON" in message else 422
    return JSONResponse(error_body("invalid_request", message, field=field, errors=details), status)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    # Starlette's own 404/405 carry bare phrases; say where the API is instead.
    routing_messages = {
        404: "No such endpoint; the API is described at /docs.",
        405: "Method not allowed here.",
    }
    message = routing_messages.get(exc.status_code, str(exc.detail))
    # The body-size middleware refuses through HTTPException (FastAPI lets only that out of a body read):
    # the same code as a PayloadTooLargeError, so a client sees one code for one situation.
    code = PayloadTooLargeError.code if exc.status_code == 413 else f"http_{exc.status_code}"
    return JSONResponse(error_body(code, message), exc.status_code, headers=exc.headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StudioError, _studio_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
