"""Errors a researcher can act on.

Every error the CLI and the TUI show to a person is a ``WorkbenchError``: its message is one line
that says what went wrong and where (file and line when there is one). Anything else escaping is a
bug.
"""


class WorkbenchError(Exception):
    """A user-facing error with a one-line message."""


class InputError(WorkbenchError):
    """A file the researcher gave us cannot be read or does not make sense.

    ``where`` is ``"file"`` or ``"file:line"``; it is prefixed to the message.
    """

    def __init__(self, message: str, where: str | None = None):
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class NotFoundError(WorkbenchError):
    """A transcript, theme, case or coding named by the researcher does not exist."""


class StudyBusyError(WorkbenchError):
    """Another program holds the study's write lock for longer than the busy timeout.

    Nothing was changed; trying again later is safe.
    """


class StorageError(WorkbenchError):
    """The study file cannot be read or written: the disk is full, the file is damaged or is not
    a study. Raised by ``storage`` in place of SQLite's own errors, so front ends never see them."""


class TextChangedError(WorkbenchError):
    """The text a passage was chosen in has changed since (another program re-imported the
    transcript), and the passage cannot be found again with certainty. Nothing was changed."""
