"""The per-project Socket.IO channel: live graph edits, sync, autosave, and event delivery."""
