"""The training and inference engine: the only package that imports TensorFlow/Keras, always lazily."""
