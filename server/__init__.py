"""Generative Media Studio server: REST + realtime API, project repositories, dispatch."""
