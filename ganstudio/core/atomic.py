"""Atomic file and folder writes: a reader never sees a half-written file, even if the process is killed."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ganstudio.core.errors import StudioError


def fsync_dir(path: Path) -> None:
    """Flush a directory entry so a rename inside it survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb+") as f:
                os.fsync(f.fileno())
        fsync_dir(Path(dirpath))


def disk_error(err: OSError, target: Path) -> StudioError:
    """Turn an OSError from writing into a message that says what to do."""
    import errno

    if err.errno == errno.ENOSPC:
        return StudioError(f"The disk holding {target} is full.", "Free some space or choose another output folder; nothing was overwritten.")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StudioError(f"Cannot write to {target}: permission denied.", "Choose a folder you can write to.")
    return StudioError(f"Could not write {target}: {err.strerror or err}.", "Check the disk and try again; nothing was overwritten.")


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write a file via temp file + fsync + rename in the same folder."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        fsync_dir(path.parent)
    except OSError as err:
        raise disk_error(err, path) from err


def write_text_atomic(path: str | Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_folder(final: str | Path) -> Iterator[Path]:
    """Yield a temp folder beside `final`; on success fsync it and rename it to `final` in one step.

    Temp folders start with '.tmp-' so that readers (and `clean_stale_temp`) can ignore leftovers of a killed writer.
    """
    final = Path(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".tmp-{final.name}-"))
    except OSError as err:
        raise disk_error(err, final) from err
    try:
        yield tmp
        fsync_tree(tmp)
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
        fsync_dir(final.parent)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise disk_error(err, final) from err
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def clean_stale_temp(folder: Path) -> int:
    """Remove '.tmp-*' folders left by a killed writer; returns how many were removed."""
    removed = 0
    if folder.is_dir():
        for entry in folder.glob(".tmp-*"):
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed
