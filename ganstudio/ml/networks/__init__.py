"""Network builders, one module per family."""
