"""Builds resources/data/ (the built-in data sets) from ../shared/data. Run once by maintainers; output is committed.

Flowers: every photo centre-cropped and downscaled to 64×64 JPEG, Flickr ids kept in CREDITS.txt (CC-BY per image).
MNIST: the 10,000 test digits, copied as the original gzipped IDX files.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PIL import Image

from ganstudio.core.image_data.images import center_crop_resize

ROOT = Path(__file__).resolve().parent.parent


def build(shared: Path) -> None:
    out = ROOT / "resources" / "data"
    flowers_out = out / "flowers64"
    credits = ["Flower photos from Flickr, CC-BY, from the public 'flowers recognition' collection",
               "(the same photos as TensorFlow's flower_photos). File names are Flickr photo ids.", ""]
    for class_dir in sorted((shared / "flowers").iterdir()):
        (flowers_out / class_dir.name).mkdir(parents=True, exist_ok=True)
        for photo in sorted(class_dir.glob("*.jpg")):
            with Image.open(photo) as img:
                small = center_crop_resize(img.convert("RGB"), 64)
            small.save(flowers_out / class_dir.name / photo.name, quality=90)
            credits.append(f"{class_dir.name}/{photo.stem}")
    (flowers_out / "CREDITS.txt").write_text("\n".join(credits) + "\n")
    (out / "mnist").mkdir(parents=True, exist_ok=True)
    for f in (shared / "mnist").glob("*.gz"):
        shutil.copy2(f, out / "mnist" / f.name)
    (out / "mnist" / "CREDITS.txt").write_text("MNIST test set (Y. LeCun, C. Cortes, C. Burges), CC BY-SA 3.0.\n")


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
