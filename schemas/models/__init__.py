"""Pydantic models generated from the JSON Schemas in schemas/ (see schemas/generate.py)."""
