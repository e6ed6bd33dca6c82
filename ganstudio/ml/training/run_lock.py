"""One writer per run folder: an exclusive lock on RUN/.lock, held for the whole life of a training run.

Two trainers on one folder (two `ganstudio train --out RUN`, a second `--resume`, the Train page and the CLI) would
overwrite run.json and interleave checkpoints. An flock() belongs to the open file, so the OS drops it when the holder
exits or is killed: a lock file left behind never blocks anyone. Readers (`ganstudio export`, the Latent page) take no
lock: checkpoints appear atomically, so reading beside a live writer is safe.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
import time
from pathlib import Path

from ganstudio.core.errors import RunFolderError

LOCK_NAME = ".lock"


class RunFolderLock:
    def __init__(self, run_dir: str | Path) -> None:
        self.run_dir = Path(run_dir)
        self.path = self.run_dir / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> str:
        """Lock the folder (it must exist). RunFolderError names the process holding it; returns a note for the
        user ("" normally) when this file system cannot lock, so the run goes on unguarded rather than not at all."""
        try:
            import fcntl
        except ImportError:  # not a POSIX system
            return "This system cannot lock the run folder: make sure no other training writes to it."
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)  # not inherited by child processes (PEP 446)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            holder = _read_holder(fd)
            os.close(fd)
            if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise RunFolderError(f"{self.run_dir} is in use: {holder} is training in it.",
                                     "Wait for that run to end (or stop it), then resume; or train into another "
                                     "folder. Exporting from a run in use is fine.") from err
            return f"The file system of {self.run_dir} cannot lock it ({err.strerror}): make sure no other training writes to it."
        try:  # who holds it, for the message a second writer gets; the lock works without it
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(_this_process()).encode(), 0)
        except OSError:
            pass
        self._fd = fd
        return ""

    def release(self) -> None:
        """Unlock (idempotent). The file stays: deleting it would let a waiting opener and a new one lock two files."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)  # no stale name for the next holder's short window before it writes its own
        except OSError:
            pass
        os.close(fd)  # closing the file drops the lock


def _this_process() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(), "command": " ".join(sys.argv)[:300], "since": time.time()}


def _read_holder(fd: int) -> str:
    """'process 1234 on host (ganstudio train …) since 14:02', or a vague name while the holder has not written yet."""
    try:
        info = json.loads(os.pread(fd, 4096, 0))
        pid, host, command, since = int(info["pid"]), str(info["host"]), str(info["command"]), float(info["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"
    here = pid == os.getpid() and host == socket.gethostname()
    who = f"this program (process {pid})" if here else f"process {pid} on {host}"
    started = time.strftime("%Y-%m-%d %H:%M", time.localtime(since))
    return f"{who} ({command or 'ganstudio'}, since {started})"
