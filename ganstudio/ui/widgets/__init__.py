"""Reusable widgets: plots, image grids, stat panels."""
