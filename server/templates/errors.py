"""How importing a template goes wrong, as studio errors (mapped to HTTP in server/api/errors.py)."""

from __future__ import annotations

from server.errors import ConflictError, InvalidInputError


class InvalidTemplateError(InvalidInputError):
    code = "invalid_template"


class TemplateExistsError(ConflictError):
    code = "template_exists"
