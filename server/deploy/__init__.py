"""The compose deployment: its service images (built offline) and its secrets file."""
