"""GET /metrics in Prometheus' text format, for the scraper holding STUDIO_METRICS_TOKEN or a signed-in admin."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from server.api.deps import BearerToken, SessionDep, SettingsDep, get_current_user
from server.errors import PermissionDeniedError
from server.metrics.registry import StudioMetrics

router = APIRouter(tags=["system"])


@router.get(
    "/metrics",
    name="metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text exposition format."}},
)
def metrics(request: Request, session: SessionDep, settings: SettingsDep, token: BearerToken) -> Response:
    """Tasks, queues, workers, sockets, git/LFS bytes and HTTP latency; see the README's Operations section."""
    configured = settings.metrics_token
    scraper = (
        token is not None
        and configured is not None
        and hmac.compare_digest(token.encode(), configured.get_secret_value().encode())
    )
    if not scraper:
        user = get_current_user(session, settings, token)  # refuses a missing or bad token (401)
        if not user.is_admin:
            raise PermissionDeniedError(
                "Metrics are for administrators and the Prometheus scraper: ask an admin, or scrape with "
                "'Authorization: Bearer <STUDIO_METRICS_TOKEN>'."
            )
    studio_metrics: StudioMetrics = request.app.state.metrics
    return Response(studio_metrics.render(), media_type=CONTENT_TYPE_LATEST)
