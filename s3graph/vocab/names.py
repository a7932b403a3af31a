"""English names and aliases of NUTS regions, and how region names are compared.

``region_names.tsv`` (shipped in this package) lists names that differ from the NUTS labels:
English names (``Lapland`` for FI1D7 *Lappi*), common aliases (``Região Centro``) and current
names. ``english_names(code)`` answers from it. Names are compared by their key
(:func:`s3graph.folding.fold_key`); the edit distance between keys is rapidfuzz's OSA.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Generic, TypeVar

from rapidfuzz.distance import OSA

from s3graph.folding import collapse_space

_BRACKET_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_PREFIXES = ("prov. ", "provincia autonoma di ")


def name_variants(label: str) -> tuple[str, ...]:
    """The forms a NUTS label or alias may be written in, as given (not folded).

    The label itself, the label without a bracketed suffix (``Centro (PT)``, ``Limburg (NL)``),
    each part of a ``/``-separated multi-name label (``Région de Bruxelles-Capitale/ Brussels
    Hoofdstedelijk Gewest``), and the label without a ``Prov.`` prefix.
    """
    out: list[str] = []

    def add(text: str) -> None:
        text = collapse_space(text)
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
    (``Cenrto`` -> ``Centro`` is 1). Computed by rapidfuzz (bit-parallel, in C++).
    """
    return int(OSA.distance(a, b))


def similarity(a: str, b: str) -> float:
    """``1 - osa_distance / longer length``: 1.0 for equal strings, 0.0 for nothing in common."""
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1.0 - osa_distance(a, b) / longest


#: Names longer than this are never compared letter by letter: no region name is that long, and
#: a longer "name" is text that happens to sit where a name should.
MAX_FUZZY_LENGTH = 120

T = TypeVar("T")


class NearIndex(Generic[T]):
    """Names indexed so that those within ``max_edits`` (OSA) of a query are found without
    comparing the query with every name.

    Each name is cut into ``2 * max_edits + 1`` pieces. An edit touches at most two pieces (a
    transposition may straddle two), so a name within ``max_edits`` of the query keeps one piece
    intact, found in the query at most ``max_edits`` places from where it sits in the name. A
    query looks up those few (length, piece number, text) keys, and the distance is computed on
    the handful of names they give. Names longer than :data:`MAX_FUZZY_LENGTH` are not indexed.
    """

    def __init__(self, max_edits: int = 2) -> None:
        self.max_edits = max_edits
        self._pieces = 2 * max_edits + 1
        self._names: list[tuple[str, T]] = []
        self._by_piece: dict[tuple[int, int, str], list[int]] = defaultdict(list)
        self._lengths: set[int] = set()

    def add(self, name: str, payload: T) -> None:
        if len(name) > MAX_FUZZY_LENGTH:
            return
        entry = len(self._names)
        self._names.append((name, payload))
        self._lengths.add(len(name))
        for piece, (start, end) in enumerate(self._bounds(len(name))):
            self._by_piece[(len(name), piece, name[start:end])].append(entry)

    def _bounds(self, length: int) -> list[tuple[int, int]]:
        cuts = [length * k // self._pieces for k in range(self._pieces + 1)]
        return list(pairwise(cuts))

    def near(self, query: str) -> list[tuple[str, T, int]]:
        """(name, payload, distance) of the names within ``max_edits`` of the query, in the
        order they were added (the query itself included, at distance 0)."""
        n, k = len(query), self.max_edits
        if n > MAX_FUZZY_LENGTH + k:
            return []
        entries: set[int] = set()
        for length in range(max(0, n - k), n + k + 1):
            if length not in self._lengths:
                continue
            shifts = _shifts(n - length, k)
            for piece, (start, end) in enumerate(self._bounds(length)):
                for at in (start + shift for shift in shifts):
                    if at >= 0 and at + end - start <= n:
                        key = (length, piece, query[at : at + end - start])
                        entries.update(self._by_piece.get(key, ()))
        found = []
        for entry in sorted(entries):
            name, payload = self._names[entry]
            distance = int(OSA.distance(query, name, score_cutoff=k))
            if distance <= k:
                found.append((name, payload, distance))
        return found

    def __len__(self) -> int:
        return len(self._names)


def _shifts(difference: int, max_edits: int) -> range:
    """Where an intact piece of a name may sit in the query, relative to its place in the name.

    With ``difference = len(query) - len(name)``, insertions minus deletions before the piece
    lie between ``min(0, difference)`` and ``max(0, difference)`` widened by the edits to spare.
    """
    spare = (max_edits - abs(difference)) // 2
    return range(min(0, difference) - spare, max(0, difference) + spare + 1)


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
