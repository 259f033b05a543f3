"""Runs one pipeline invocation under the runner contract (ARCHITECTURE §6); never imports server."""
