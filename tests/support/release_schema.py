"""The database as the last release before migrations made it, frozen, and a reflection to compare schemas by.

The DDL is what `SQLModel.metadata.create_all` executed with main's `server/db/tables.py` at 595c523
(the statements SQLAlchemy sent, only their whitespace changed), so the test of the upgrade never
depends on the models it upgrades to. Never edit it: it is history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, inspect

_SQLITE = (
    """CREATE TABLE users (
        id INTEGER NOT NULL, username VARCHAR(64) NOT NULL, password_hash VARCHAR(255) NOT NULL,
        is_admin BOOLEAN NOT NULL, created_at DATETIME NOT NULL,
        PRIMARY KEY (id))""",
    "CREATE UNIQUE INDEX ix_users_username ON users (username)",
    """CREATE TABLE access_tokens (
        id INTEGER NOT NULL, user_id INTEGER NOT NULL, name VARCHAR(100) NOT NULL,
        secret_hash VARCHAR(64) NOT NULL, created_at DATETIME NOT NULL, last_used_at DATETIME,
        PRIMARY KEY (id),
        FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE)""",
    "CREATE INDEX ix_access_tokens_user_id ON access_tokens (user_id)",
    "CREATE UNIQUE INDEX ix_access_tokens_secret_hash ON access_tokens (secret_hash)",
    """CREATE TABLE projects (
        id VARCHAR(36) NOT NULL, slug VARCHAR(80) NOT NULL, title VARCHAR(100) NOT NULL,
        title_key VARCHAR(100) NOT NULL, description TEXT NOT NULL, aspect_ratio VARCHAR(16) NOT NULL,
        quality VARCHAR(16) NOT NULL, hardware_policy VARCHAR(16) NOT NULL, owner_id INTEGER NOT NULL,
        graph TEXT NOT NULL, version INTEGER NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT uq_project_owner_title UNIQUE (owner_id, title_key),
        FOREIGN KEY(owner_id) REFERENCES users (id))""",
    "CREATE UNIQUE INDEX ix_projects_slug ON projects (slug)",
    "CREATE INDEX ix_projects_owner_id ON projects (owner_id)",
    """CREATE TABLE project_members (
        project_id VARCHAR NOT NULL, user_id INTEGER NOT NULL, role VARCHAR(6) NOT NULL,
        PRIMARY KEY (project_id, user_id),
        FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE,
        FOREIGN KEY(user_id) REFERENCES users (id))""",
    """CREATE TABLE tasks (
        id VARCHAR(36) NOT NULL, project_id VARCHAR NOT NULL, node_id VARCHAR(128), kind VARCHAR(64) NOT NULL,
        state VARCHAR(9) NOT NULL, user_id INTEGER, dispatch TEXT NOT NULL, progress FLOAT NOT NULL,
        take_path VARCHAR(512), error TEXT, attempts INTEGER NOT NULL, created_at DATETIME NOT NULL,
        updated_at DATETIME NOT NULL, started_at DATETIME, finished_at DATETIME,
        PRIMARY KEY (id),
        FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE,
        FOREIGN KEY(user_id) REFERENCES users (id))""",
    "CREATE INDEX ix_tasks_project_id ON tasks (project_id)",
)

_POSTGRESQL = (
    "CREATE TYPE role AS ENUM ('OWNER', 'EDITOR', 'VIEWER')",
    "CREATE TYPE taskstate AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')",
    """CREATE TABLE users (
        id SERIAL NOT NULL, username VARCHAR(64) NOT NULL, password_hash VARCHAR(255) NOT NULL,
        is_admin BOOLEAN NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL,
        PRIMARY KEY (id))""",
    "CREATE UNIQUE INDEX ix_users_username ON users (username)",
    """CREATE TABLE access_tokens (
        id SERIAL NOT NULL, user_id INTEGER NOT NULL, name VARCHAR(100) NOT NULL, secret_hash VARCHAR(64) NOT NULL,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL, last_used_at TIMESTAMP WITH TIME ZONE,
        PRIMARY KEY (id),
        FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE)""",
    "CREATE INDEX ix_access_tokens_user_id ON access_tokens (user_id)",
    "CREATE UNIQUE INDEX ix_access_tokens_secret_hash ON access_tokens (secret_hash)",
    """CREATE TABLE projects (
        id VARCHAR(36) NOT NULL, slug VARCHAR(80) NOT NULL, title VARCHAR(100) NOT NULL,
        title_key VARCHAR(100) NOT NULL, description TEXT NOT NULL, aspect_ratio VARCHAR(16) NOT NULL,
        quality VARCHAR(16) NOT NULL, hardware_policy VARCHAR(16) NOT NULL, owner_id INTEGER NOT NULL,
        graph TEXT NOT NULL, version INTEGER NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL,
        updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
        PRIMARY KEY (id),
        CONSTRAINT uq_project_owner_title UNIQUE (owner_id, title_key),
        FOREIGN KEY(owner_id) REFERENCES users (id))""",
    "CREATE UNIQUE INDEX ix_projects_slug ON projects (slug)",
    "CREATE INDEX ix_projects_owner_id ON projects (owner_id)",
    """CREATE TABLE project_members (
        project_id VARCHAR NOT NULL, user_id INTEGER NOT NULL, role role NOT NULL,
        PRIMARY KEY (project_id, user_id),
        FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE,
        FOREIGN KEY(user_id) REFERENCES users (id))""",
    """CREATE TABLE tasks (
        id VARCHAR(36) NOT NULL, project_id VARCHAR NOT NULL, node_id VARCHAR(128), kind VARCHAR(64) NOT NULL,
        state taskstate NOT NULL, user_id INTEGER, dispatch TEXT NOT NULL, progress FLOAT NOT NULL,
        take_path VARCHAR(512), error TEXT, attempts INTEGER NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL,
        updated_at TIMESTAMP WITH TIME ZONE NOT NULL, started_at TIMESTAMP WITH TIME ZONE,
        finished_at TIMESTAMP WITH TIME ZONE,
        PRIMARY KEY (id),
        FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE,
        FOREIGN KEY(user_id) REFERENCES users (id))""",
    "CREATE INDEX ix_tasks_project_id ON tasks (project_id)",
)

RELEASE_DDL = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}


def create_release_schema(connection: Connection) -> None:
    for statement in RELEASE_DDL[connection.dialect.name]:
        connection.exec_driver_sql(statement)


def schema_of(connection: Connection) -> dict[str, Any]:
    """Everything a schema comparison needs, as plain values: tables, columns, keys, indexes, enum types."""
    inspector = inspect(connection)
    tables: dict[str, Any] = {}
    for table in sorted(set(inspector.get_table_names()) - {"alembic_version"}):
        tables[table] = {
            "columns": [
                (column["name"], str(column["type"]), column["nullable"], column.get("default"))
                for column in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (
                    fk["constrained_columns"],
                    fk["referred_table"],
                    fk["referred_columns"],
                    sorted(fk.get("options", {}).items()),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (index["name"], index["column_names"], index["unique"]) for index in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (unique["name"], unique["column_names"]) for unique in inspector.get_unique_constraints(table)
            ),
        }
    enums = inspector.get_enums() if connection.dialect.name == "postgresql" else []  # type: ignore[attr-defined]
    return {"tables": tables, "enums": sorted((enum["name"], enum["labels"]) for enum in enums)}
