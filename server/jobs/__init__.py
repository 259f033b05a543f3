"""Long jobs (generation, final render, and next LoRA training and model pulls): one lifecycle that every kind
implements by supplying only its work (ARCHITECTURE §13)."""
