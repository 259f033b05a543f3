"""Log lines: the request, task and project they belong to, and their format (text or JSON)."""
