"""Generation: from a click on Generate to a committed take (dispatch side and worker side)."""
