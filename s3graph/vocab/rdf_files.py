"""Reading a vocabulary file in any RDF syntax, with one clear error for whatever goes wrong.

:class:`VocabFileError` is that error, for any vocabulary file (downloaded or named by the user).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rdflib.util import guess_format

from s3graph.errors import S3GraphError

T = TypeVar("T")


class VocabFileError(S3GraphError):
    """A vocabulary file (downloaded or named by the user) is not what it should be."""

    exit_code = 2

    def __init__(self, path: str | Path, expected: str) -> None:
        self.path = str(path)
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}: expected {self.expected}"


def parse_rdf_file(
    source: Path, parse: Callable[[Path, str], T], *, missing: str, expected: str
) -> T:
    """``parse(source, fmt)`` with the RDF format guessed from the name (Turtle when unknown).

    A missing file raises :class:`VocabFileError` expecting ``missing``;
    any parser error raises it expecting ``expected`` in that format, with the parser's message.
    """
    fmt = guess_format(str(source)) or "turtle"
    try:
        return parse(source, fmt)
    except FileNotFoundError as exc:
        raise VocabFileError(source, missing) from exc
    except Exception as exc:  # rdflib raises many parser-specific errors
        raise VocabFileError(source, f"{expected} in {fmt} ({type(exc).__name__}: {exc})") from exc
