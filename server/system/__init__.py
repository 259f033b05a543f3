"""Host-level concerns: tool checks, the embedded Redis, workspace bootstrap, health."""
