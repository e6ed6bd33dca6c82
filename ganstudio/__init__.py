"""ganstudio: a desktop studio for training and playing with GANs (Qt front end, Qt-free engine)."""

__version__ = "0.1.0"
