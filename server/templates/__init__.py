"""Pipeline templates for users: importing a ComfyUI workflow (JSON or a workflow PNG) and saving it as a template."""
