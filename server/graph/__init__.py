"""The typed node graph: node type catalogue, socket compatibility, validation and compilation."""
