"""Prometheus metrics: what the server counts itself, what it reads at scrape time, and what workers report."""
