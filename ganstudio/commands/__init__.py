"""Headless sub-commands of the `ganstudio` CLI, one module each."""
