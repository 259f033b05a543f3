"""LoRA training of an asset (tasks.assets.train_lora): started after checks, placed like generation, run through
the one job lifecycle by the train-lora pipeline, its result committed as the asset's next version."""
