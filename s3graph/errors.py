"""Errors that reach the user as one clear line; everything else is a bug."""

from __future__ import annotations


class S3GraphError(Exception):
    """Base class of the errors the command line reports without a traceback."""

    exit_code = 2


class ReportError(S3GraphError):
    """A report cannot be read: says which file, which line and what was expected there."""

    def __init__(self, path: str, line: int, expected: str, found: str | None = None) -> None:
        self.path = path
        self.line = line
        self.expected = expected
        self.found = found
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[ReportError], tuple[str, int, str, str | None]]:
        """Pickled with its fields, so that it crosses from a worker process intact."""
        return (type(self), (self.path, self.line, self.expected, self.found))

    def __str__(self) -> str:
        message = f"{self.path}:{self.line}: expected {self.expected}"
        if self.found is not None:
            shown = self.found if len(self.found) <= 80 else self.found[:77] + "..."
            message += f', found "{shown}"'
        return message


class StoreError(S3GraphError):
    """The store cannot be opened or written (locked by another process, not a store, ...)."""

    exit_code = 3


class QueryError(S3GraphError):
    """A named query is unknown, malformed, or given parameters it does not declare."""

    exit_code = 2


class ExportError(S3GraphError):
    """An export cannot be written where it was asked (a folder that holds something else)."""

    exit_code = 2
