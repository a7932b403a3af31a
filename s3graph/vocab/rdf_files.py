"""Reading a vocabulary file in any RDF syntax, with one clear error for whatever goes wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rdflib.util import guess_format

from s3graph.vocab.fetch import VocabFileError

T = TypeVar("T")


def parse_rdf_file(
    source: Path, parse: Callable[[Path, str], T], *, missing: str, expected: str
) -> T:
    """``parse(source, fmt)`` with the RDF format guessed from the name (Turtle when unknown).

    A missing file raises :class:`~s3graph.vocab.fetch.VocabFileError` expecting ``missing``;
    any parser error raises it expecting ``expected`` in that format, with the parser's message.
    """
    fmt = guess_format(str(source)) or "turtle"
    try:
        return parse(source, fmt)
    except FileNotFoundError as exc:
        raise VocabFileError(source, missing) from exc
    except Exception as exc:  # rdflib raises many parser-specific errors
        raise VocabFileError(source, f"{expected} in {fmt} ({type(exc).__name__}: {exc})") from exc
