"""The model store: weights on disk for the pipelines, and fetching them from the Hugging Face Hub."""
