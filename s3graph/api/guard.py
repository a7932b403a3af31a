"""What a query or update may do here: federation only to allowed URLs, nesting within bounds.

pyoxigraph does not expose its query algebra, so the text is scanned lexically
(:mod:`s3graph.sparql_lex`), in every way the engine could read it. Every ``SERVICE`` (queries)
or ``LOAD`` (updates) keyword that some reading holds must be followed by an absolute IRI on the
allowlist, written out or as a prefixed name whose every declaration in the text makes it one.
A variable (``SERVICE ?s``), a relative IRI (resolved against a base the client can choose), an
undeclared prefix, anything the scan cannot resolve, and a text that some reading cannot parse
while the keyword's letters occur in it are refused: when in doubt, nothing leaves the server.

:func:`check_depth` refuses texts that nest so deep that the engine's recursive parser would
run out of stack (it crashes the process rather than failing).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache

from s3graph.sparql_lex import (
    Scan,
    iriref,
    may_hold,
    nesting_depth,
    prefixed_name,
    scan,
    skip_space,
)

__all__ = [
    "DEPTH_LIMIT",
    "ForbiddenRemote",
    "QueryTooDeep",
    "check_depth",
    "check_remote",
    "nesting_depth",
]

#: The deepest nesting of ``{``, ``(``, ``[`` accepted. pyoxigraph 0.5.13 crashes (SIGSEGV) on
#: a thread with 8 MB of stack at 2,189 nested groups (4,670 parentheses), and nested blank
#: node lists ``[ ?p [ ?p ... ] ]`` take time growing with about the fourth power of the depth
#: (0.9 s at 80 levels, 5.9 s at 128, 27 s at 200); the shipped queries nest fewer than 10.
DEPTH_LIMIT = 64


class ForbiddenRemote(ValueError):
    """A query or update would reach out to a URL that is not on the allowlist."""


class QueryTooDeep(ValueError):
    """A query or update nests deeper than the engine can parse safely."""

    def __init__(self, depth: int, limit: int) -> None:
        super().__init__(f"the query nests {depth} levels deep; at most {limit} are accepted")
        self.depth = depth
        self.limit = limit


_depth = lru_cache(maxsize=256)(nesting_depth)


def check_depth(text: str, limit: int = DEPTH_LIMIT) -> int:
    """Raise :class:`QueryTooDeep` when ``text`` nests deeper than ``limit``; else the depth.

    A text with no escape (which could spell a bracket) and at most ``limit`` opening brackets
    cannot nest deeper: it is let through without a scan (a bound, not the depth, is returned).
    Other texts are scanned once; the depths of the last texts seen are kept (the same queries
    come again and again from pages and dashboards).
    """
    if "\\" not in text:
        opening = text.count("{") + text.count("(") + text.count("[")
        if opening <= limit:
            return opening
    depth = _depth(text)
    if depth > limit:
        raise QueryTooDeep(depth, limit)
    return depth


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SILENT = re.compile("silent", re.IGNORECASE)


def check_remote(text: str, keyword: str, allowed: Collection[str]) -> bool:
    """Raise :class:`ForbiddenRemote` when a ``keyword`` (SERVICE, LOAD) targets a URL not allowed.

    ``allowed`` holds absolute URLs, compared exactly (a trailing slash matters). Returns
    whether some reading of the text holds the keyword, every target allowed: the caller then
    runs it where the network can be reached.
    """
    keyword = keyword.upper()
    if not may_hold(text, keyword):
        return False
    readings = scan(text, [keyword, "PREFIX"])
    prefixes: dict[str, set[str | None]] = {}
    for reading in readings:
        if reading.present[keyword] and (reading.error or reading.overflow):
            raise ForbiddenRemote(
                f"{keyword}: the text can be read in ways that this server cannot check"
                " (it is malformed or ambiguous); write it plainly"
            )
        for start in reading.found["PREFIX"]:
            declared = _declaration(reading.text, start + len("PREFIX"))
            if declared is not None:
                prefixes.setdefault(declared[0], set()).add(declared[1])
    for reading in readings:
        for start in sorted(reading.found[keyword]):
            _check_target(reading, start + len(keyword), keyword, prefixes, allowed)
    return any(reading.found[keyword] for reading in readings)


def _check_target(
    reading: Scan,
    after: int,
    keyword: str,
    prefixes: dict[str, set[str | None]],
    allowed: Collection[str],
) -> None:
    text = reading.text
    position = skip_space(text, after)
    places = [position]
    if _SILENT.match(text, position):
        places.append(skip_space(text, position + len("SILENT")))
    targets = [target for place in places if (target := _target(text, place)) is not None]
    if not targets:
        shown = text[position : position + 40].split("\n")[0] or "nothing"
        raise ForbiddenRemote(
            f"{keyword} {shown}: only a written-out IRI on the allowlist may follow {keyword}"
        )
    for shown, iris in targets:
        for iri in _resolve(iris, prefixes):
            if iri is None:
                raise ForbiddenRemote(
                    f"{keyword} {shown}: only an absolute IRI on the allowlist, written out or"
                    f" as a prefixed name declared in the query, may follow {keyword}"
                )
            if iri not in allowed:
                raise ForbiddenRemote(
                    f"{keyword} <{iri}>: this server does not reach out to that URL"
                    " (start it with --service-allow URL to allow it)"
                )


def _target(text: str, position: int) -> tuple[str, tuple[str, str | None, str]] | None:
    """What names the service at ``position``: (as shown, (kind, prefix or IRI, local part)).

    None when nothing there could name one (no reading of the clause goes that way).
    """
    char = text[position : position + 1]
    if char in ("?", "$"):
        return "a variable", ("var", None, "")
    if char == "<":
        iri = iriref(text, position)
        return f"<{iri}>", ("iri", iri, "")
    name = prefixed_name(text, position)
    if name is None:
        return None
    prefix, local, stop = name
    return text[position:stop], ("pname", prefix, local)


def _resolve(
    target: tuple[str, str | None, str], prefixes: dict[str, set[str | None]]
) -> list[str | None]:
    """Every absolute IRI ``target`` can stand for; None for one that is not (refused)."""
    kind, head, local = target
    if kind == "var" or head is None:
        return [None]
    if kind == "iri":
        return [head if _SCHEME.match(head) else None]
    declared = prefixes.get(head)
    if not declared:
        return [None]
    return [iri + local if iri is not None and _SCHEME.match(iri) else None for iri in declared]


def _declaration(text: str, after: int) -> tuple[str, str | None] | None:
    """``PREFIX name: <iri>`` after a PREFIX keyword: (name, IRI); None if none follows."""
    position = skip_space(text, after)
    name = prefixed_name(text, position)
    if name is None or name[1]:
        return None
    position = skip_space(text, name[2])
    iri = iriref(text, position) if text[position : position + 1] == "<" else None
    return None if iri is None else (name[0], iri)
