"""A lexical scan of SPARQL text, made to read it the way the query engine does, and then some.

Enough to find keywords (``FROM``, ``SERVICE``, ``LOAD``, ``USING``, ``WITH``, ``PREFIX``) and
what follows them without a full parser (pyoxigraph exposes no algebra). The guard
(:mod:`s3graph.api.guard`) decides on these findings, so a place where this scan and the engine
read the text differently is a hole: the scan follows the engine's terminals exactly, and where
the engine could read a piece of text in more than one way, every reading is scanned.

How pyoxigraph 0.5.13 reads a text (measured with the engine itself, see
``tests/test_guard_differential.py``):

- ``\\uXXXX``/``\\UXXXXXXXX`` are *not* replaced before tokenising (SPARQL 1.1 §19.2 says they
  are; older Oxigraph did so): they are decoded inside strings and IRIs only, so ``"a\\u0022b"``
  is one string and ``\\u0053ERVICE`` is a syntax error. Because another engine (or version)
  may decode first, the text with its escapes decoded is scanned as a second reading.
- A comment runs from ``#`` to the next CR *or* LF; white space is space, tab, CR, LF only.
- Keywords are matched ASCII case-insensitively with no word boundary: ``1SERVICE``,
  ``1.5SERVICE``, ``1e3SERVICE``, ``"x"SERVICE``, ``}SERVICE``, ``trueSERVICE``,
  ``SERVICESILENT<...>``, ``SERVICEe:x`` and ``SERVICE:x`` (keyword, then the name ``:x``) all
  work. What keeps letters from being a keyword is being absorbed by a longer terminal: a
  variable name (``?oSERVICE``), a prefixed name's local part (``ex:aSERVICE``; but Oxigraph's
  local part takes at most one run of dots, so in ``ex:a.b.SERVICE`` the keyword is free), a
  language tag (``"x"@enSERVICE``) or a blank node label. Here any occurrence of the keyword's
  letters outside those (in a bare word or in a name's prefix part) counts, the
  lookalikes U+017F, U+0131, U+0130 and U+212A included.
- ``<`` followed by text up to the first ``>`` is an IRI when that text is a valid IRI and the
  grammar expects a term; it is the less-than operator otherwise. Both readings are scanned
  where they differ (``<'x>``, ``<a#b>`` read as an operator open a string or a comment).
- A long string without its closing quotes is read as an empty string ``""`` and another one.
- ``SERVICE`` and ``LOAD`` targets: an IRI (escapes decoded, relative ones resolved against
  ``BASE`` or the request's base IRI), a prefixed name (``\\`` removed from the local part), or
  for SERVICE a variable.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Scan",
    "Token",
    "decode",
    "has_keyword",
    "iriref",
    "may_hold",
    "nesting_depth",
    "prefixed_name",
    "scan",
    "skip_space",
    "tokens",
    "unescape",
    "with_using",
]


@dataclass(frozen=True, slots=True)
class Token:
    """One token of the engine's main reading.

    ``kind`` is ``iri`` (``text`` is the IRI, escapes decoded), ``string`` (as written, quotes
    included), ``var``, ``pname``, ``bnode``, ``lang``, ``number``, ``word``, ``punct`` or
    ``error`` (text the engine cannot read).
    """

    kind: str
    text: str
    #: Where the token starts in the text as given (escapes are not decoded first).
    start: int = -1


# The character classes of the grammar, as Oxigraph 0.5 has them (no characters past U+FFFF).
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARCHARS = _U + "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_HEX4, _HEX8 = r"\\u[0-9A-Fa-f]{4}", r"\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\"'\\]"

# Possessive quantifiers throughout: no pattern can backtrack, so each match is linear.
_EOL = re.compile(r"[\r\n]")
_VAR = re.compile(f"[?$][0-9{_U}][{_VARCHARS}]*+")
_PREFIX = re.compile(f"[{_BASE}][{_CHARS}]*+(?:\\.++[{_CHARS}]++)*+")
_LOCAL = re.compile(
    f"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*+(?:\\.++(?:[{_CHARS}:]|{_PLX})++)?+"
)
_WORD = re.compile(f"[{_VARCHARS}]++")
_LANG = re.compile(r"@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+")
_BNODE = re.compile(f"_:[0-9{_U}][{_CHARS}]*+(?:\\.++[{_CHARS}]++)*+")
_NUMBER = re.compile(
    r"[0-9]++\.[0-9]*+[eE][+-]?+[0-9]++|\.[0-9]++[eE][+-]?+[0-9]++|[0-9]++[eE][+-]?+[0-9]++"
    r"|[0-9]*+\.[0-9]++|[0-9]++"
)
_STRINGS = {
    quote: (
        re.compile(
            f"{quote * 3}(?:(?:{quote * 2}|{quote})?+"
            f"(?:[^{quote}\\\\]++|{_ECHAR}|{_HEX4}|{_HEX8}))*+{quote * 3}"
        ),
        re.compile(f"{quote}(?:[^{quote}\\\\\\r\\n]++|{_ECHAR}|{_HEX4}|{_HEX8})*+{quote}"),
    )
    for quote in ("'", '"')
}
# What may stand between ``<`` and ``>`` of an IRI the engine could accept (it checks more).
_IRI_BODY = re.compile(f'(?:[^\\x00-\\x20<>"{{}}|^`\\\\\\x7f]++|{_HEX4}|{_HEX8})*+')
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# One token of the common kinds, after spaces; ``other`` for those that start in their own way.
_TOKEN = re.compile(
    f"[ \\t\\r\\n]*+(?:(?P<var>{_VAR.pattern})|(?P<number>{_NUMBER.pattern})"
    f"|(?P<name>{_PREFIX.pattern})|(?P<open>[{{(\\[]++)|(?P<close>[}})\\]]++)"
    r"|(?P<punct>[,;*/|^!=>+\-&~.])|(?P<other>[\s\S]))?+"
)
_SPECIAL = {"$": (_VAR, "var"), "@": (_LANG, "lang"), "_": (_BNODE, "bnode")}

#: How many characters all readings together may read, per character of the text, before the
#: scan gives up (a text built to be read in very many ways; callers then refuse it).
_BUDGET = 4


def _unescape_match(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group()


def decode(text: str) -> str:
    """``text`` with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes decoded (SPARQL 1.1 §19.2)."""
    return _ESCAPE.sub(_unescape_match, text) if "\\" in text else text


#: The escapes inside one IRI or string: the same decoding, applied to a piece.
unescape = decode


def may_hold(text: str, keyword: str) -> bool:
    """Whether ``text`` may hold ``keyword`` as a token, cheaply (no lexing).

    The engine matches keywords letter by letter, ASCII case-insensitively, so a keyword token is
    a piece of the text and the upper-cased text holds it; only a reading that decodes ``\\u``
    escapes first could spell it otherwise, and that needs a backslash. The lexical scan, a good
    part of a small query's time, is needed only when this is true.
    """
    return "\\" in text or keyword.upper() in text.upper()


@dataclass(slots=True)
class Scan:
    """What every reading of one text holds: where keywords stand, how deep it nests."""

    #: The text read: as given, or with its escapes decoded (a second reading).
    text: str
    #: For each keyword asked for, where it starts in :attr:`text` as a token in some reading.
    found: dict[str, set[int]] = field(default_factory=dict)
    #: Whether the keyword's letters occur at all in :attr:`text` (case-insensitively).
    present: dict[str, bool] = field(default_factory=dict)
    #: Whether some reading meets text the engine cannot read (it then rejects the text).
    error: bool = False
    #: Whether the readings were too many to follow (see ``_BUDGET``).
    overflow: bool = False
    #: The deepest nesting of ``{``, ``(``, ``[`` in any reading.
    depth: int = 0
    #: The tokens of the engine's main reading, when asked for.
    tokens: list[Token] = field(default_factory=list)


def scan(text: str, keywords: Iterable[str] = (), *, keep_tokens: bool = False) -> list[Scan]:
    """Scan ``text`` in every reading: as given and, when it has escapes, decoded first."""
    readings = [text]
    decoded = decode(text)
    if decoded != text:
        readings.append(decoded)
    wanted = [keyword.upper() for keyword in keywords]
    return [
        _Walker(reading, wanted, keep_tokens and index == 0).run()
        for index, reading in enumerate(readings)
    ]


class _Walker:
    """Walks every reading of one text, forking where the engine could read it two ways.

    A reading is a walk through the text in code state; walks that reach a place another walk
    already passed at the same or a greater depth stop there (from there on they read alike).
    """

    def __init__(self, text: str, keywords: list[str], keep_tokens: bool) -> None:
        self.text = text
        self.result = Scan(text)
        self.keep = keep_tokens
        self.spots: dict[str, list[int]] = {}
        for keyword in keywords:
            pattern = re.compile(re.escape(keyword), re.IGNORECASE)
            self.spots[keyword] = [m.start() for m in pattern.finditer(text)]
            self.result.found[keyword] = set()
            self.result.present[keyword] = bool(self.spots[keyword])
        self.any_spots = any(self.spots.values())
        self.seen = array("i", [-1]) * (len(text) + 1)
        self.budget = _BUDGET * len(text) + 1000
        self.forks: deque[tuple[int, int]] = deque()
        self._eol = (1, 0)

    def run(self) -> Scan:
        self._walk(0, 0, main=True)
        while self.forks and not self.result.overflow:
            position, depth = self.forks.popleft()  # in the order of the text: see _line_end
            self._walk(position, depth, main=False)
        return self.result

    def _note(self, start: int, end: int) -> None:
        """Record the keywords whose letters lie within ``text[start:end]`` (a bare name)."""
        if not self.any_spots:
            return
        for keyword, spots in self.spots.items():
            index = bisect.bisect_left(spots, start)
            while index < len(spots) and spots[index] + len(keyword) <= end:
                self.result.found[keyword].add(spots[index])
                index += 1

    def _emit(self, keep: bool, kind: str, text: str, start: int) -> None:
        if keep:
            self.result.tokens.append(Token(kind, text, start))

    def _error(self, keep: bool, start: int, end: int) -> int:
        self.result.error = True
        self._emit(keep, "error", self.text[start:end], start)
        return end

    def _walk(self, position: int, depth: int, *, main: bool) -> None:
        text, end, seen, result = self.text, len(self.text), self.seen, self.result
        keep = main and self.keep
        out = result.tokens
        match_token = _TOKEN.match
        while position < end:
            if seen[position] >= depth:
                return
            seen[position] = depth
            if self.budget < 0:
                result.overflow = True
                return
            loop = position
            found = match_token(text, position)
            kind = found.lastgroup  # type: ignore[union-attr]
            if kind is None:  # only spaces up to the end
                return
            position = found.start(kind)  # type: ignore[union-attr]
            stop = found.end()  # type: ignore[union-attr]
            if kind == "var" or kind == "number":
                if keep:
                    out.append(Token(kind, text[position:stop], position))
            elif kind == "name":
                if text[stop : stop + 1] == ":":
                    stop = self._pname(position, stop, keep)
                else:
                    stop = _WORD.match(text, position).end()  # type: ignore[union-attr]
                    self._note(position, stop)
                    if keep:
                        out.append(Token("word", text[position:stop], position))
            elif kind == "punct":
                if keep:
                    out.append(Token("punct", text[position], position))
            elif kind == "open":
                depth += stop - position
                result.depth = max(result.depth, depth)
                if keep:
                    out.extend(Token("punct", text[i], i) for i in range(position, stop))
            elif kind == "close":
                depth = max(0, depth - (stop - position))
                if keep:
                    out.extend(Token("punct", text[i], i) for i in range(position, stop))
            else:
                stop = self._other(position, depth, keep)
            self.budget -= stop - loop
            position = stop

    def _other(self, position: int, depth: int, keep: bool) -> int:
        """The tokens that start with a character of their own; where the next one starts."""
        text = self.text
        char = text[position]
        if char == "#":
            stop = self._line_end(position)
            self.budget += stop - position  # found in one step (see _line_end)
            return stop
        if char == "<":
            return self._angle(position, depth, keep)
        if char in "\"'":
            return self._string(position, keep)
        if char == ":":
            return self._pname(position, position, keep)
        if char == "?":  # a path modifier (a variable was matched before)
            self._emit(keep, "punct", char, position)
            return position + 1
        pattern, kind = _SPECIAL.get(char, (None, ""))
        match = pattern.match(text, position) if pattern is not None else None
        if match is None:  # a backslash, a control character, a space the engine does not take
            return self._error(keep, position, position + 1)
        self._emit(keep, kind, match.group(), position)
        return match.end()

    def _line_end(self, position: int) -> int:
        """Where the line holding ``position`` ends: the comment's end (remembered, so that
        many readings forking into comments on one long line cost one search)."""
        low, high = self._eol
        if not low <= position <= high:
            eol = _EOL.search(self.text, position)
            high = len(self.text) if eol is None else eol.start()
            self._eol = (position, high)
        return high

    def _pname(self, start: int, colon: int, keep: bool) -> int:
        """A prefixed name: its prefix part may hold a keyword, its local part may not."""
        self._note(start, colon)
        local = _LOCAL.match(self.text, colon + 1)
        stop = local.end() if local else colon + 1
        self._emit(keep, "pname", self.text[start:stop], start)
        return stop

    def _string(self, start: int, keep: bool) -> int:
        long, short = _STRINGS[self.text[start]]
        match = long.match(self.text, start) or short.match(self.text, start)
        if match is None:  # the failed matches may have read up to the end
            self.budget -= len(self.text) - start
            return self._error(keep, start, start + 1)
        self._emit(keep, "string", match.group(), start)
        return match.end()

    def _angle(self, start: int, depth: int, keep: bool) -> int:
        """``<``: an IRI, or the less-than operator; both when the two readings differ."""
        text = self.text
        body = _IRI_BODY.match(text, start + 1)
        stop = body.end() if body else start + 1
        if text[stop : stop + 1] != ">":
            self._emit(keep, "punct", "<", start)
            return start + 1
        inner = text[start + 1 : stop]
        # Read as operators, the brackets inside nest (the engine recurses into them).
        level = depth
        opener = -1
        for offset, char in enumerate(inner):
            if char in "([":
                level += 1
                self.result.depth = max(self.result.depth, level)
            elif char in ")]":
                level = max(0, level - 1)
            elif char in "'#" and opener < 0:
                opener = offset
                break
        if opener >= 0:  # as an operator, a string or comment starts inside: read that way too
            self.forks.append((start + 1 + opener, level))
        self._emit(keep, "iri", decode(inner), start)
        return stop + 1


_SPACE = re.compile(r"(?:[ \t\r\n]++|#[^\r\n]*+)*+")


def skip_space(text: str, position: int) -> int:
    """Where the next token after ``position`` starts (past spaces and comments)."""
    return _SPACE.match(text, position).end()  # type: ignore[union-attr]


def iriref(text: str, position: int) -> str | None:
    """The IRI of ``<...>`` at ``position``, up to the first ``>`` as the engine takes it.

    Escapes decoded; None when no ``>`` follows. The engine then checks it is an IRI.
    """
    stop = text.find(">", position + 1)
    return None if stop < 0 else decode(text[position + 1 : stop])


def prefixed_name(text: str, position: int) -> tuple[str, str, int] | None:
    """The prefixed name at ``position``: (prefix, local part as the engine uses it, end).

    The local part has its ``\\`` escapes removed, as the engine does; None when no name
    (``prefix:`` or ``:``, then an optional local part) starts there.
    """
    prefix = _PREFIX.match(text, position)
    colon = prefix.end() if prefix else position
    if text[colon : colon + 1] != ":":
        return None
    local = _LOCAL.match(text, colon + 1)
    stop = local.end() if local else colon + 1
    return text[position:colon], text[colon + 1 : stop].replace("\\", ""), stop


def has_keyword(text: str, *keywords: str) -> bool:
    """Whether some reading of ``text`` holds one of ``keywords`` (any case) as a keyword.

    Conservative: true also for a text read in too many ways to tell.
    """
    wanted = [keyword for keyword in keywords if may_hold(text, keyword)]
    if not wanted:
        return False
    for result in scan(text, wanted):
        if result.overflow or any(result.found[keyword.upper()] for keyword in wanted):
            return True
    return False


def tokens(text: str) -> Iterator[Token]:
    """The tokens of SPARQL ``text`` as the engine reads it, without comments or spaces."""
    return iter(scan(text, keep_tokens=True)[0].tokens)


def nesting_depth(text: str) -> int:
    """How deep ``{``, ``(`` and ``[`` nest outside strings, IRIs and comments, in any reading.

    A text read in too many ways to follow gets the number of its opening brackets (no reading
    can nest deeper than that).
    """
    deepest = 0
    for result in scan(text):
        if result.overflow:
            return max(len(_OPEN_ANY.findall(reading)) for reading in (text, decode(text)))
        deepest = max(deepest, result.depth)
    return deepest


_OPEN_ANY = re.compile(r"[{(\[]")


def with_using(text: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """The update ``text`` with ``USING``/``USING NAMED`` clauses for the protocol's dataset.

    The SPARQL 1.1 Protocol's ``using-graph-uri`` and ``using-named-graph-uri`` act as USING
    clauses of every DELETE/INSERT ... WHERE operation: the clauses go before each ``WHERE`` at
    the top level (not the ``DELETE WHERE`` shorthand, which takes no USING, nor a subquery's).
    The text is otherwise left as written (escapes included: the engine decodes them in place).
    """
    clause = "".join(
        [f"USING <{iri}> " for iri in default_graphs]
        + [f"USING NAMED <{iri}> " for iri in named_graphs]
    )
    where: list[int] = []
    depth = 0
    previous: Token | None = None
    for token in tokens(text):
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
        text = text[:position] + clause + text[position:]
    return text
