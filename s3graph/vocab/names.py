"""English names and aliases of NUTS regions, and how region names are compared.

``region_names.tsv`` (shipped in this package) lists names that differ from the NUTS labels:
English names (``Lapland`` for FI1D7 *Lappi*), common aliases (``Região Centro``) and current
names. ``english_names(code)`` answers from it. Names are compared *folded*: Unicode and case
folded, accents and stroke letters reduced to ASCII, dashes and commas read as spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: Letters NFKD does not decompose into a base letter plus accent.
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "\u0131": "i",  # dotless i
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",
        "\u02bc": "'",  # modifier letter apostrophe
        "`": "'",
    }
)
_SEPARATORS = re.compile("[\\s\\-\u2010-\u2015,;/.()]+")  # spaces, hyphens, dashes, punctuation
_BRACKET_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_PREFIXES = ("prov. ", "provincia autonoma di ")


def fold_name(name: str) -> str:
    """The comparison key of a name: ``Castilla y León`` -> ``castilla y leon``.

    Accents and case go, ``ł ø đ æ`` become ASCII, dashes, commas, slashes, dots and brackets
    become single spaces. Apostrophes stay (``Castilla y'Leon`` is not ``Castilla y Leon``).
    """
    text = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return _SEPARATORS.sub(" ", text.translate(_LETTERS)).strip()


def name_variants(label: str) -> tuple[str, ...]:
    """The forms a NUTS label or alias may be written in, as given (not folded).

    The label itself, the label without a bracketed suffix (``Centro (PT)``, ``Limburg (NL)``),
    each part of a ``/``-separated multi-name label (``Région de Bruxelles-Capitale/ Brussels
    Hoofdstedelijk Gewest``), and the label without a ``Prov.`` prefix.
    """
    out: list[str] = []

    def add(text: str) -> None:
        text = " ".join(text.split())
        if text and text not in out:
            out.append(text)

    parts = [label, *label.split("/")] if "/" in label else [label]
    for part in parts:
        add(part)
        bare = _BRACKET_SUFFIX.sub("", part)
        add(bare)
        for prefix in _PREFIXES:
            if bare.casefold().startswith(prefix):
                add(bare[len(prefix) :])
    return tuple(out)


def osa_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance, optimal string alignment variant.

    Insertions, deletions, substitutions and transpositions of adjacent characters cost 1
    (``Cenrto`` -> ``Centro`` is 1).
    """
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def similarity(a: str, b: str) -> float:
    """``1 - osa_distance / longer length``: 1.0 for equal strings, 0.0 for nothing in common."""
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1.0 - osa_distance(a, b) / longest


@dataclass(frozen=True, slots=True)
class NameEntry:
    """One row of the names file: ``versions`` is None for 'all'."""

    code: str
    versions: frozenset[int] | None
    name: str

    def applies_to(self, version: int | None) -> bool:
        """Whether the name holds for the code in this version (any version when None)."""
        return version is None or self.versions is None or version in self.versions


class RegionNames:
    """English names and aliases per NUTS code, optionally per version."""

    def __init__(self, entries: Iterable[NameEntry]):
        self._entries = tuple(entries)
        by_code: dict[str, list[NameEntry]] = defaultdict(list)
        for entry in self._entries:
            by_code[entry.code].append(entry)
        self._by_code = dict(by_code)

    def extended(self, extra: Iterable[NameEntry]) -> RegionNames:
        """These names plus ``extra`` (e.g. the cached Wikidata names), ours first."""
        return RegionNames((*self._entries, *extra))

    def english_names(self, code: str, version: int | None = None) -> tuple[str, ...]:
        """Names of the code (in ``version`` when given), in file order, without repeats."""
        names: list[str] = []
        for entry in self._by_code.get(code.upper(), ()):
            if entry.applies_to(version) and entry.name not in names:
                names.append(entry.name)
        return tuple(names)

    def entries(self) -> Iterator[NameEntry]:
        """Every row, in file order."""
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def parse_names(text: str) -> list[NameEntry]:
    """Rows of a names file: ``code<TAB>versions<TAB>name``; ``#`` comments and blanks skipped."""
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != 3 or not all(cells):
            raise ValueError(f"region names line {number}: expected code, versions, name: {line!r}")
        code, versions, name = cells
        years = None if versions == "all" else frozenset(int(v) for v in versions.split(","))
        entries.append(NameEntry(code.upper(), years, name))
    return entries


@cache
def load_region_names() -> RegionNames:
    """The names shipped with s3graph (``s3graph/vocab/region_names.tsv``), read once."""
    text = resources.files("s3graph.vocab").joinpath("region_names.tsv").read_text("utf-8")
    return RegionNames(parse_names(text))


def english_names(code: str, version: int | None = None) -> tuple[str, ...]:
    """English names and aliases of a NUTS code from the shipped file (``FI1D7`` -> Lapland)."""
    return load_region_names().english_names(code, version)
