"""Text for text-to-image models: word- and character-level tokenisers and caption noise (no TensorFlow)."""
