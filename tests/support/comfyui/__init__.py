"""A local ComfyUI stand-in that speaks ComfyUI's HTTP and websocket protocol (ComfyUI is no package CI can install)."""
