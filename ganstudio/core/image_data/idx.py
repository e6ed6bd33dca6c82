"""Reader for the IDX format used by MNIST and Fashion-MNIST (optionally gzipped)."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

from ganstudio.core.errors import DataError

# IDX type byte → numpy dtype (big-endian, as the format stores it).
_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _open(path: Path):
    with open(path, "rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def read_idx(path: str | Path) -> np.ndarray:
    """Read a whole IDX file into a numpy array with its stored shape."""
    path = Path(path)
    try:
        with _open(path) as f:
            header = f.read(4)
            if len(header) < 4 or header[0] != 0 or header[1] != 0 or header[2] not in _DTYPES:
                raise DataError(f"{path.name} is not an IDX file (bad magic number).",
                                "Point the data set at MNIST-style *-idx3-ubyte / *-idx1-ubyte files.")
            ndim = header[3]
            dims = struct.unpack(f">{ndim}I", f.read(4 * ndim))
            dtype = np.dtype(_DTYPES[header[2]])
            count = int(np.prod(dims)) if dims else 0
            payload = f.read(count * dtype.itemsize)
    except (OSError, EOFError, struct.error) as err:
        raise DataError(f"Could not read {path.name}: {err}.", "The file may be truncated; download it again.") from err
    if len(payload) != count * dtype.itemsize:
        raise DataError(f"{path.name} is truncated: expected {count * dtype.itemsize} bytes of data, found {len(payload)}.",
                        "Download the file again.")
    return np.frombuffer(payload, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))


def find_idx_pairs(folder: Path) -> list[tuple[Path, Path | None]]:
    """Find (images, labels) IDX file pairs in a folder, e.g. t10k-images-idx3-ubyte(.gz) + t10k-labels-idx1-ubyte(.gz)."""
    pairs = []
    for images in sorted(folder.iterdir()):
        if "idx3" not in images.name:
            continue
        label_name = images.name.replace("images", "labels").replace("idx3", "idx1")
        labels = folder / label_name
        pairs.append((images, labels if labels.exists() else None))
    return pairs
