"""Pure Python + numpy building blocks shared by the engine, the workers and the UI (no Qt, no TensorFlow)."""
