"""Characters, styles and props of a project (PRD §5.3): their folders in the repository, their REST service and
the LoRA training that makes their versions."""
