"""Running pipeline templates (ComfyUI workflows) on a ComfyUI server: templates, the protocol client, the runner."""
