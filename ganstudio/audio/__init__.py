"""Realtime audio for the Denoise page: ring buffers, the live duplex loop, recorder, player and device listing.

Qt-free and TensorFlow-free; sounddevice is imported only inside functions, so this imports without PortAudio.
"""
