"""Inference with trained models: generators (z → image), translators (sketch → photo), the speech denoiser, and
latent directions. Loads model folders once and runs them fast."""
