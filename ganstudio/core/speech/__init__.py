"""Speech and audio signals: file I/O at 16 kHz, framing/overlap-add, noise mixing, spectrograms, the classic
spectral-gate baseline, speech data sets and their scores. numpy/scipy only."""
