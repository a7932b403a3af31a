"""Errors that reach the user as one clear line; everything else is a bug."""

from __future__ import annotations

import errno
import shlex
from os import PathLike


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
        where = f"{self.path}:{self.line}" if self.line > 0 else self.path  # 0: the whole file
        message = f"{where}: expected {self.expected}"
        if self.found is not None:
            shown = self.found if len(self.found) <= 80 else self.found[:77] + "..."
            message += f', found "{shown}"'
        if self.expected == UTF8_EXPECTED and (self.found or "").startswith("the byte 0x"):
            message += f"; if it is Latin-1 text, convert it: {iconv_command(self.path)}"
        return message


#: What a :class:`ReportError` expects of a file that is not UTF-8 (its hint depends on it).
UTF8_EXPECTED = "UTF-8 text"


def iconv_command(path: str) -> str:
    """The shell command that writes a Latin-1 file's text as UTF-8 beside it (``FILE.utf8``)."""
    return f"iconv -f LATIN1 -t UTF-8 {shlex.quote(path)} > {shlex.quote(path + '.utf8')}"


class MissingFileError(ReportError):
    """A file named on the command line does not exist: said as such, with no line."""

    def __init__(self, path: str) -> None:
        super().__init__(path, 0, "an existing file or directory")

    def __reduce__(self) -> tuple[type[MissingFileError], tuple[str]]:  # type: ignore[override]
        """Pickled with its path, so that it crosses from a worker process intact."""
        return (type(self), (self.path,))

    def __str__(self) -> str:
        return f"{self.path}: no such file or directory"


class EmptyFolderError(S3GraphError):
    """A folder named on the command line holds no report (``*.txt``): nothing would be done."""

    def __init__(self, folder: str | PathLike[str]) -> None:
        self.folder = str(folder)
        super().__init__(f"{self.folder}: no report files (*.txt) in this folder")

    def __reduce__(self) -> tuple[type[EmptyFolderError], tuple[str]]:
        """Pickled with its folder, so that it crosses from a worker process intact."""
        return (type(self), (self.folder,))


class StoreError(S3GraphError):
    """The store cannot be opened or written (locked by another process, not a store, ...)."""

    exit_code = 3


class NoSpaceError(StoreError):
    """A disk filled up during a write: what was stored before is kept, the write is not.

    The store's writes are transactions, so a full disk undoes the write that hit it; the user
    needs to know which folder to make room in, not that the store is broken.
    """

    def __init__(self, folder: str | PathLike[str], detail: str) -> None:
        self.folder = str(folder)
        self.detail = detail
        super().__init__(f"s3graph: no space left on {self.folder} ({detail})")

    def __reduce__(self) -> tuple[type[NoSpaceError], tuple[str, str]]:
        """Pickled with its fields, so that it crosses from a worker process intact."""
        return (type(self), (self.folder, self.detail))


#: What RocksDB (under pyoxigraph) says of a full disk; its errors carry no ``errno``.
_NO_SPACE_TEXT = "No space left on device"


def is_no_space(exc: BaseException) -> bool:
    """Whether ``exc`` says a disk (or the user's quota) is full.

    Python's own writes raise :class:`OSError` with ``errno`` ENOSPC or EDQUOT; pyoxigraph hands
    on RocksDB's status as text only (``IO error: No space left on device: While appending to
    file: ...``), as an :class:`OSError` without errno or, for some paths, a RuntimeError.
    """
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, OSError | RuntimeError) and _NO_SPACE_TEXT in str(exc)


def no_space_error(folder: str | PathLike[str], exc: BaseException) -> NoSpaceError:
    """The one-line :class:`NoSpaceError` of a full disk met while writing in ``folder``."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return NoSpaceError(
        folder, f"free some space and run again; what was stored before is kept: {first}"
    )


class QueryError(S3GraphError):
    """A named query is unknown, malformed, or given parameters it does not declare."""

    exit_code = 2


class ExportError(S3GraphError):
    """An export cannot be written where it was asked (a folder that holds something else)."""

    exit_code = 2
