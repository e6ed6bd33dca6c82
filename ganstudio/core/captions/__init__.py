"""Captions for text-to-image training: facts measured from photos, caption templates, and captioned data sets."""
