"""parcferme."""
