"""A lexical scan of SPARQL text: tokens outside strings, IRIs and comments.

Enough to find keywords (``FROM``, ``SERVICE``, ``LOAD``, ``USING``, ``WITH``) and the IRIs that
follow them without a full parser (pyoxigraph does not expose its algebra). ``\\uXXXX`` escapes
are decoded first, as the SPARQL grammar does before parsing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

__all__ = ["Token", "decode", "has_keyword", "tokens", "with_using"]


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` is ``iri``, ``string``, ``var``, ``pname``, ``word`` or ``punct``."""

    kind: str
    text: str
    #: Where the token starts in the text with its ``\\u`` escapes decoded (see :func:`decode`).
    start: int = -1


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


def decode(text: str) -> str:
    """``text`` with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes decoded (as parsers do first)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def tokens(text: str) -> Iterator[Token]:
    """The tokens of SPARQL ``text`` (decoded, see :func:`decode`), without comments or spaces."""
    text = decode(text)
    position, end = 0, len(text)
    while position < end:
        char = text[position]
        if char.isspace():
            position += 1
        elif char == "#":
            newline = text.find("\n", position)
            position = end if newline < 0 else newline + 1
        elif char == "<" and (match := _IRI.match(text, position)):
            yield Token("iri", match.group(1), position)
            position = match.end()
        elif char in "\"'":
            match = _STRING.match(text, position)
            if match is None:  # unterminated: the parser reports it; nothing after it matters
                return
            yield Token("string", match.group(), position)
            position = match.end()
        elif char in "?$" and (match := _VAR.match(text, position)) and len(match.group()) > 1:
            yield Token("var", match.group(), position)
            position = match.end()
        elif match := _NAME.match(text, position):
            word = match.group()
            yield Token("pname" if ":" in word else "word", word.rstrip("."), position)
            position = match.end() - (len(word) - len(word.rstrip(".")))
        else:
            yield Token("punct", char, position)
            position += 1


def may_hold(text: str, keyword: str) -> bool:
    """Whether ``text`` may hold ``keyword`` as a token, cheaply (no lexing).

    Without a backslash (a ``\\u`` escape could spell it) a keyword token is a piece of the
    text, and ``str.upper`` maps character by character, so the upper-cased text then holds it.
    The lexical scan, a good part of a small query's time, is needed only when this is true.
    """
    return "\\" in text or keyword.upper() in text.upper()


def has_keyword(text: str, *keywords: str) -> bool:
    """Whether ``text`` holds one of ``keywords`` (case-insensitive) as a keyword token."""
    wanted = {keyword.upper() for keyword in keywords if may_hold(text, keyword)}
    if not wanted:
        return False
    return any(tok.kind == "word" and tok.text.upper() in wanted for tok in tokens(text))


def with_using(text: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """The update ``text`` with ``USING``/``USING NAMED`` clauses for the protocol's dataset.

    The SPARQL 1.1 Protocol's ``using-graph-uri`` and ``using-named-graph-uri`` act as USING
    clauses of every DELETE/INSERT ... WHERE operation: the clauses go before each ``WHERE`` at
    the top level (not the ``DELETE WHERE`` shorthand, which takes no USING, nor a subquery's).
    """
    decoded = decode(text)
    clause = "".join(
        [f"USING <{iri}> " for iri in default_graphs]
        + [f"USING NAMED <{iri}> " for iri in named_graphs]
    )
    where: list[int] = []
    depth = 0
    previous: Token | None = None
    for token in tokens(decoded):
        if token.kind == "punct" and token.text == "{":
            depth += 1
        elif token.kind == "punct" and token.text == "}":
            depth -= 1
        elif token.kind == "word" and token.text.upper() == "WHERE" and depth == 0:
            shorthand = previous is not None and previous.text.upper() == "DELETE"
            if not shorthand:
                where.append(token.start)
        previous = token
    for position in reversed(where):
        decoded = decoded[:position] + clause + decoded[position:]
    return decoded
