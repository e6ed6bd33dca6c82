"""Sketch inputs: palettes of named classes, and edge maps / label maps derived from photos (no TensorFlow, no Qt)."""
