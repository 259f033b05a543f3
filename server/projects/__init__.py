"""Projects: scaffolding repositories, their manifests and live graphs, permissions, files."""
