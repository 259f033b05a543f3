"""`python -m server` runs the studio CLI."""

from server.cli import app

app()
