"""Takes: immutable generated files in 03_Renders with their provenance sidecars (ARCHITECTURE §8)."""
