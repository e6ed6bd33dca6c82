"""Image data sets: folder and IDX discovery, robust image reading, and deterministic hold-out splits."""
