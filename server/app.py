"""create_app(): the FastAPI application for one Settings."""

from __future__ import annotations

from fastapi import FastAPI

from server.api import auth, files, git, projects, system, tokens
from server.api.errors import install_error_handlers
from server.config import Settings
from server.db.engine import create_db_engine, create_tables
from server.system.git_lfs import check_git_lfs


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        title="Generative Media Studio",
        version="0.1.0",
        description="Projects as Git + LFS repositories, a typed node graph, containerised pipelines.",
    )
    app.state.settings = settings
    app.state.engine = create_db_engine(settings.resolved_database_url)
    create_tables(app.state.engine)
    # The startup check of PRD §3.2, made once; restart the studio after installing git-lfs.
    app.state.git_lfs = check_git_lfs()
    install_error_handlers(app)
    for module in (auth, projects, files, system, tokens, git):
        app.include_router(module.router)
    return app
