"""Atomic file and folder writes: a reader never sees a half-written file, even if the process is killed."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ganstudio.core.errors import StudioError

OLD_PREFIX = ".tmp-old-"  # a previous version renamed aside while its replacement is swapped in
# atomic_file's temp names: mkstemp(prefix=".<name>.", suffix=".tmp") adds 8 characters of [a-z0-9_].
_TEMP_FILE = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
        return StudioError(f"The disk holding {target} is full.",
                           "Free some space or choose another output folder.")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StudioError(f"Cannot write to {target}: permission denied.", "Choose a folder you can write to.")
    return StudioError(f"Could not write {target}: {err.strerror or err}.", "Check the disk and try again; nothing was overwritten.")


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """Yield a temp path beside `path` to write; when the block succeeds, fsync it and rename it onto `path`.

    On any failure the temp file is removed and the old file stays; disk errors become a StudioError with a hint.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _locked_temp_file(path)
        try:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a saved file should get normal permissions
            yield Path(tmp)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        finally:
            os.close(fd)  # drops the lock, after the rename: the temp name never stands unlocked while in use
        fsync_dir(path.parent)
    except OSError as err:
        raise disk_error(err, path) from err


def _locked_temp_file(path: Path) -> tuple[int, str]:
    """A new temp file beside `path`, flock()ed while it is written: the lock tells `clean_stale_temp_files` a live
    write from the leftover of a killed one (the OS drops a lock with its process). Returns the open fd and name."""
    while True:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, and the cleaner leaves every temp file alone
            return fd, tmp
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: save unlocked (the cleaner cannot lock it either, so keeps it)
            return fd, tmp
        if os.fstat(fd).st_nlink:
            return fd, tmp
        os.close(fd)  # a cleaner took it for a leftover between mkstemp and the lock, and removed it: start over


def clean_stale_temp_files(folder: str | Path) -> int:
    """Remove temp files of `atomic_file` saves whose writer was killed (e.g. a 20 MB `.out.wav.k3j_x9a2.tmp` of a
    killed `ganstudio denoise`); returns how many. Only our temp-name pattern, and only unlocked files: a save in
    progress holds its temp file's lock, so it is never touched, whichever process makes it."""
    try:
        import fcntl
    except ImportError:
        return 0  # without locks a live temp file cannot be told from a stale one
    try:
        entries = [e for e in os.scandir(folder) if _TEMP_FILE.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
    except OSError:  # no such folder (yet): nothing to clean
        return 0
    removed = 0
    for entry in entries:
        try:
            fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:  # gone meanwhile (renamed into place or cleaned by another process)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.stat(entry.path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:  # still that leftover
                os.unlink(entry.path)  # holding the lock: a writer locking it after us sees it unlinked (see above)
                removed += 1
        except OSError:  # locked: a save in progress; or it vanished between the two calls
            pass
        finally:
            os.close(fd)
    return removed


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write a file via temp file + fsync + rename in the same folder."""
    with atomic_file(path) as tmp:
        tmp.write_bytes(data)


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
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; the final folder should get normal permissions
    except OSError as err:
        raise disk_error(err, final) from err
    try:
        yield tmp
        fsync_tree(tmp)
        _swap_in(tmp, final)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise disk_error(err, final) from err
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap_in(tmp: Path, final: Path) -> None:
    """Rename `tmp` to `final`. An existing `final` is first renamed aside (to a '.tmp-' name, so a kill leaves
    only cleanable leftovers) rather than deleted, so the moment without a `final` is two renames long."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(dir=final.parent, prefix=f"{OLD_PREFIX}{final.name}-"))
        os.replace(final, old)  # a directory may replace an empty one
    try:
        os.replace(tmp, final)
    except OSError:
        if old is not None:
            os.replace(old, final)  # put the previous version back rather than lose both
        raise
    fsync_dir(final.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def remove_folder(folder: Path) -> None:
    """Delete a folder so that a kill midway leaves a '.tmp-' leftover, never a half-emptied folder under its name."""
    doomed = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".tmp-deleted-{folder.name}-"))
    os.replace(folder, doomed)
    shutil.rmtree(doomed, ignore_errors=True)


def clean_stale_temp(folder: Path) -> int:
    """Remove '.tmp-*' folders left by a killed writer; returns how many were removed.

    A previous version set aside by `_swap_in` whose replacement never arrived is put back instead.
    """
    removed = 0
    if folder.is_dir():
        for entry in sorted(folder.glob(".tmp-*")):
            name = entry.name[len(OLD_PREFIX):].rsplit("-", 1)[0] if entry.name.startswith(OLD_PREFIX) else ""
            if name and not (folder / name).exists():
                os.replace(entry, folder / name)
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed
