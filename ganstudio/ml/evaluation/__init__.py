"""Evaluation of generators: Fréchet distance on features of a small domain classifier, mode coverage, and
the reference figures (real vs real, trivial baselines) that make those numbers readable."""
