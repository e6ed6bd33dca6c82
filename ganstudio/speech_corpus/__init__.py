"""The speech corpus builder: real and TTS speech + real and synthetic noise from Debian packages → train/test folders."""
