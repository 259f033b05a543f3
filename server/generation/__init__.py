"""Generation: from a click on Generate (the service that places it) to a committed take (the job a worker runs)."""
