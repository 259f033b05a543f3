"""Dispatch: what each worker can run (GPUs, VRAM tiers), who is alive, and which queue a task goes to."""
