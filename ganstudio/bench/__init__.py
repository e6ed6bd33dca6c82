"""Benchmarks behind `ganstudio bench`: each module has run(quick) yielding (name, value, unit)."""
