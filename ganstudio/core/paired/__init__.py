"""Paired data sets for image-to-image translation: where their files are (layout), loading them (data) and the
check run before training (check). Callers import from here."""

from ganstudio.core.paired.check import PairedReport, check_paired
from ganstudio.core.paired.data import PairedData, instance_boundaries, load_paired
from ganstudio.core.paired.layout import (SPLITS, LabelPair, PairedLayout, detect_paired, image_files, label_pairs,
                                         open_image, pair_key, read_ids, read_palette, require_paired, split_folder)

__all__ = ["SPLITS", "LabelPair", "PairedData", "PairedLayout", "PairedReport", "check_paired", "detect_paired",
           "image_files", "instance_boundaries", "label_pairs", "load_paired", "open_image", "pair_key", "read_ids",
           "read_palette", "require_paired", "split_folder"]
