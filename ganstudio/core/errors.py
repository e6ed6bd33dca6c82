"""User-facing errors: every failure the user can fix carries a message saying what is wrong and what to do."""

from __future__ import annotations


class StudioError(Exception):
    """An error caused by input or environment, with a hint for the user.

    The UI shows `str(err)` in a dialog and the CLI prints it without a traceback.
    """

    def __init__(self, problem: str, hint: str = "") -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(f"{problem}\n→ {hint}" if hint else problem)


class DataError(StudioError):
    """A data set or file could not be read as the kind of data expected."""


class ModelFileError(StudioError):
    """A model folder is missing, corrupt, foreign or from an incompatible version."""


class RunFolderError(StudioError):
    """A training run folder cannot be used as asked (wrong recipe, unwritable, already in use)."""


class Cancelled(Exception):
    """Long work stopped because its caller's cancel check said so: not a failure, so nothing is reported."""


def check_cancelled(cancelled) -> None:
    """Raise Cancelled when the optional `cancelled()` check says so (long loops call this between items)."""
    if cancelled is not None and cancelled():
        raise Cancelled()
