"""Text encoders for text-to-image models: char- and word-level networks trained jointly with an image encoder so
that a caption and its photo embed close together (Reed et al. 2016's DS-SJE in spirit)."""
