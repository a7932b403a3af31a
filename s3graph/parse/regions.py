r"""Region answers: one participating region per line, leading regions as free text.

A participating line is taken apart from its end: the NUTS code in whatever notation it was
written (``ES41``, ``ES-41``, ``(ITC4)``, ``pt11``, ``NUTS 2: ES41``), then the country
abbreviation in parentheses, and what is left is the name. Nothing is corrected here.

Every pattern is compiled once and none can backtrack over a run of white space more than once:
runs of three or more white-space characters are first cut to two (:func:`squeeze`), which keeps
what each pattern matches (``[-\s]?`` still tells one from two) and bounds every attempt.
"""

from __future__ import annotations

import re

from s3graph.folding import fold_accents
from s3graph.model import LeadingRegion, RegionMention
from s3graph.parse.countries import CODE_PREFIXES, NAMES
from s3graph.parse.text import Line, squash

_CODE_AT_END = re.compile(
    r"(?:^|(?<=[\s,;:(]))(?P<raw>(?:NUTS\s*+\d?\s*+:\s*+)?(?:\(\s*+|\s*+)"
    r"(?P<code>[A-Za-z]{2}[-\s]?[0-9A-Za-z]{1,3})\s*+\)?)$",
    re.IGNORECASE,
)
_COUNTRY_AT_END = re.compile(r"\(\s*+(?P<country>[A-Za-z]{2})\s*+\)$")
_SEPARATORS = " ,;:-\u2013"
_NAME_COUNTRY_AT_END = re.compile(
    r"(?:^|[\s,(])(?:" + "|".join(re.escape(n) for n in NAMES) + r")\)?$", re.IGNORECASE
)
#: The longest text ``_NAME_COUNTRY_AT_END`` can match: only the end of a piece is searched.
_NAME_COUNTRY_SPAN = max(len(n) for n in NAMES) + 2
_CODE_NOTATION = re.compile(r"[-\s()]")
_LONG_SPACE = re.compile(r"(\s\s)\s++")
#: Where the leading-regions answer is split: commas, semicolons, "and", "&", tabs. A run of white
#: space is tried from its first character only (the lookbehind), so it is crossed once.
_LEADING_SPLIT = re.compile(r"[,;]|(?<!\s)\s++(?:and|&)\s++|\t")
_AND_INSIDE = re.compile(r"\s(?:and|&)\s")
_MARKER = re.compile("\x00(\\d+)\x00")
#: Participating names protected from the split at "and": a region name is short, and a report
#: names a few dozen regions; hostile input cannot make the alternation long.
MAX_PROTECTED_NAMES = 32
MAX_PROTECTED_LENGTH = 120


def squeeze(text: str) -> str:
    """Runs of three or more white-space characters cut to their first two (see module doc)."""
    return _LONG_SPACE.sub(r"\1", text) if _LONG_SPACE.search(text) else text


def normalise_code(code: str) -> str:
    """``es-41`` -> ``ES41``: upper case, no hyphens, spaces or parentheses."""
    return _CODE_NOTATION.sub("", code).upper()


def _looks_like_code(token: str) -> bool:
    code = normalise_code(token)
    if code[:2] not in CODE_PREFIXES or not 3 <= len(code) <= 5:
        return False
    # Names are not codes: a code has a digit (FI1D7, pt11) or is written in capitals (FRK).
    return any(c.isdigit() for c in code) or token.replace("-", "").isupper()


def parse_region_line(line: Line) -> RegionMention:
    raw = line.text.strip()
    rest = squeeze(squash(raw.replace("\t", " ")))
    code_raw = code = country = None
    match = _CODE_AT_END.search(rest)
    if match and _looks_like_code(match.group("code")):
        code_raw = match.group("raw").strip()
        code = normalise_code(match.group("code"))
        rest = rest[: match.start("raw")].rstrip(_SEPARATORS)
    country_match = _COUNTRY_AT_END.search(rest)
    if country_match:
        country = country_match.group("country")
        rest = rest[: country_match.start()].rstrip(_SEPARATORS)
    name = rest.strip(_SEPARATORS)
    return RegionMention(raw, name, country, code_raw, code, line.no)


def looks_like_region_line(text: str) -> bool:
    """A region line names a place in a few words, usually with a code or a country."""
    words = text.split()
    text = squeeze(text)
    if _CODE_AT_END.search(text) or _COUNTRY_AT_END.search(text.rstrip(" ,;")):
        return len(words) <= 12
    return len(words) <= 8 and not text.rstrip().endswith((".", ":"))


_QUALIFIERS = frozenset(
    {"upper", "lower", "north", "south", "east", "west", "northern", "southern", "eastern"}
    | {"western", "central", "north-east", "north-west", "south-east", "south-west", "inner"}
)
_COUNTRY_NAME = re.compile("|".join(re.escape(n) for n in NAMES), re.IGNORECASE)


def _leading_name(piece: str, has_previous: bool) -> str:
    """The region name of one piece of the leading-regions answer, or "" for a bare country.

    "North Karelia Finland" -> "North Karelia"; "Lapland, Finland" -> "Lapland" and "" (the
    country qualifies the region before it); "Estonia (EE)" stays "Estonia" (a country region).
    """
    piece = squeeze(squash(piece)).strip(_SEPARATORS)
    marked = False
    match = _CODE_AT_END.search(piece)
    if match and _looks_like_code(match.group("code")):
        piece, marked = piece[: match.start("raw")].rstrip(_SEPARATORS), True
    country = _COUNTRY_AT_END.search(piece)
    if country:
        piece, marked = piece[: country.start()].rstrip(_SEPARATORS), True
    if _COUNTRY_NAME.fullmatch(piece):
        return piece if marked or not has_previous else ""
    trailing = _NAME_COUNTRY_AT_END.search(piece, max(0, len(piece) - _NAME_COUNTRY_SPAN))
    if not marked and trailing and trailing.start() > 0:
        before = piece[: trailing.start()].rstrip(_SEPARATORS)
        if before.split()[-1].casefold() not in _QUALIFIERS:  # "Upper Austria" is a region
            piece = before
    return piece.strip(_SEPARATORS)


def split_leading_regions(lines: list[Line], known_names: list[str]) -> list[LeadingRegion]:
    """Split the free-text answer at commas, semicolons, "and", "&" and line breaks.

    ``known_names`` (the participating regions' names) protects names that contain "and"
    themselves, such as "Highlands and Islands".
    """
    names = _protected(known_names)
    protect = (
        re.compile("|".join(f"({re.escape(n)})" for n in names), re.IGNORECASE) if names else None
    )
    regions: list[LeadingRegion] = []
    for line in lines:
        text = line.text
        if protect is not None:
            text = protect.sub(lambda m: f"\x00{(m.lastindex or 1) - 1}\x00", text)
        has_previous = False
        for piece in _LEADING_SPLIT.split(text):
            name = _leading_name(piece, has_previous)
            if "\x00" in name:
                name = _MARKER.sub(lambda m: names[int(m.group(1))], name)
            if name:
                regions.append(LeadingRegion(name, line.no))
                has_previous = True
    return regions


def _protected(known_names: list[str]) -> list[str]:
    """Names with "and"/"&" inside, once each (folded), longest first so that they win."""
    found: dict[str, str] = {}
    for name in known_names:
        if len(found) >= MAX_PROTECTED_NAMES:
            break
        if len(name) <= MAX_PROTECTED_LENGTH and _AND_INSIDE.search(name):
            found.setdefault(fold_accents(name), name)
    return sorted(found.values(), key=len, reverse=True)
