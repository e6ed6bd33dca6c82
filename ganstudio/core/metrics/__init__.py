"""Sample-quality metrics on arrays (features, class probabilities, pixels): pure numpy/scipy, one module per family,
so the CLI, the Evaluate page and the trainer compute every number the same way (books' chapters 4 and 11)."""
