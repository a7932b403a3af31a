"""A lexical scan of SPARQL text: tokens outside strings, IRIs and comments.

Enough to find keywords (``FROM``, ``SERVICE``, ``LOAD``, ``USING``, ``WITH``) and the IRIs that
follow them without a full parser (pyoxigraph does not expose its algebra). ``\\uXXXX`` escapes
are decoded first, as the SPARQL grammar does before parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Token", "has_keyword", "tokens"]


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` is ``iri``, ``string``, ``var``, ``pname``, ``word`` or ``punct``."""

    kind: str
    text: str


_IRI = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n\r]|\\.)*"|'
    r"'(?:[^'\\\n\r]|\\.)*'",
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_VAR = re.compile(r"[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*")
# Prefixed names and bare words (keywords, ``a``, numbers); the prefix part may be empty.
_NAME = re.compile(r"(?:[^\W\d][\w.-]*)?:(?:[\w:%\\-][\w.:%\\-]*)?|[\w]+(?:\.\d+)?")


def tokens(text: str) -> Iterator[Token]:
    """The tokens of SPARQL ``text``, without comments and whitespace."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if char.isspace():
            position += 1
        elif char == "#":
            newline = text.find("\n", position)
            position = end if newline < 0 else newline + 1
        elif char == "<" and (match := _IRI.match(text, position)):
            yield Token("iri", match.group(1))
            position = match.end()
        elif char in "\"'":
            match = _STRING.match(text, position)
            if match is None:  # unterminated: the parser reports it; nothing after it matters
                return
            yield Token("string", match.group())
            position = match.end()
        elif char in "?$" and (match := _VAR.match(text, position)) and len(match.group()) > 1:
            yield Token("var", match.group())
            position = match.end()
        elif match := _NAME.match(text, position):
            word = match.group()
            yield Token("pname" if ":" in word else "word", word.rstrip("."))
            position = match.end() - (len(word) - len(word.rstrip(".")))
        else:
            yield Token("punct", char)
            position += 1


def has_keyword(text: str, *keywords: str) -> bool:
    """Whether ``text`` holds one of ``keywords`` (case-insensitive) as a keyword token."""
    wanted = {keyword.upper() for keyword in keywords}
    return any(tok.kind == "word" and tok.text.upper() in wanted for tok in tokens(text))
