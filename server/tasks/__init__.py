"""Celery: the app factory and the tasks workers run (explicit names, ids-only arguments)."""
