"""The names of the NUTS regions of one version, and how a stated name relates to them.

A :class:`Lexicon` holds every name of every region of one NUTS version both ways (code -> names,
name -> codes): NUTS labels, Latin labels, English names and aliases, merged over the versions in
which a code was the same region and over regions covering the same territory.
:func:`judge_name` compares a stated name with the regions a mention should name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from s3graph.folding import fold_key
from s3graph.vocab.names import (
    NearIndex,
    RegionNames,
    name_variants,
    osa_distance,
    similarity,
)
from s3graph.vocab.nuts_index import NutsIndex, NutsRegion

#: A name is a typo of another when at most this many edits apart ...
TYPO_MAX_DISTANCE = 2
#: ... and at least this similar (1 - edits / longer length). Corpus typos score 0.89-0.94;
#: legitimate variants missing from the names file (Małopolska/Małopolskie 0.82, Tirol/Tyrol 0.80)
#: stay below.
TYPO_MIN_SIMILARITY = 0.85

# --------------------------------------------------------------------------------------------------
# The names of the regions of one version


@dataclass(frozen=True, slots=True)
class Near:
    """A fuzzy hit: the region, the name as written in the vocabulary, its edit distance."""

    code: str
    name: str
    distance: int
    score: float


class Lexicon:
    """Every name of every region of one NUTS version, both ways (code -> names, name -> codes)."""

    def __init__(self, index: NutsIndex, names: RegionNames, version: int):
        self.index = index
        self.version = version
        own = {r.code: _own_names(index, names, r, version) for r in index.regions(version)}
        self._names: dict[str, tuple[str, ...]] = {}
        self._by_name: dict[str, set[str]] = defaultdict(set)
        for code in own:
            merged: list[str] = []
            for member in index.equal_territory(code, version):
                merged.extend(n for n in own.get(member, ()) if n not in merged)
            self._names[code] = tuple(merged)
            for name in merged:
                self._by_name[fold_key(name)].add(code)
        self._folded = {c: frozenset(fold_key(n) for n in ns) for c, ns in self._names.items()}
        self._near: NearIndex[tuple[str, int, str]] | None = None

    def _near_index(self) -> NearIndex[tuple[str, int, str]]:
        """Every (folded) name of every region, for fuzzy look-ups; built on first use."""
        if self._near is None:
            self._near = NearIndex(TYPO_MAX_DISTANCE)
            for code in sorted(self._names):
                for position, name in enumerate(self._names[code]):
                    self._near.add(fold_key(name), (code, position, name))
        return self._near

    def names_of(self, code: str) -> tuple[str, ...]:
        """Names of a region (labels first, then English names and aliases)."""
        return self._names.get(code, ())

    def has_name(self, code: str, folded: str) -> bool:
        return folded in self._folded.get(code, frozenset())

    def codes_named(self, folded: str, countries: frozenset[str] | None) -> list[str]:
        """Codes with this folded name, in the given countries (all when None)."""
        codes = self._by_name.get(folded, set())
        return sorted(c for c in codes if countries is None or c[:2] in countries)

    def nearest(self, folded: str, codes: list[str]) -> Near | None:
        """The closest name of these regions within the typo thresholds, or None."""
        best: Near | None = None
        for code in codes:
            for name in self._names.get(code, ()):
                other = fold_key(name)
                if abs(len(other) - len(folded)) > TYPO_MAX_DISTANCE:
                    continue
                distance = osa_distance(folded, other)
                score = similarity(folded, other)
                if 0 < distance <= TYPO_MAX_DISTANCE and score >= TYPO_MIN_SIMILARITY:
                    hit = Near(code, name, distance, score)
                    if best is None or near_rank(hit) > near_rank(best):
                        best = hit
        return best

    def nearest_in(
        self,
        folded: str,
        countries: frozenset[str] | None,
        exclude: frozenset[str] | set[str] = frozenset(),
    ) -> Near | None:
        """``nearest(folded, codes)`` over the regions of these countries (all when None) less
        ``exclude``: the names come from an index, never from a pass over every region."""
        hits = []
        for other, (code, position, name), distance in self._near_index().near(folded):
            if (countries is not None and code[:2] not in countries) or code in exclude:
                continue
            if abs(len(other) - len(folded)) > TYPO_MAX_DISTANCE or distance == 0:
                continue
            score = 1.0 - distance / max(len(folded), len(other))
            if score >= TYPO_MIN_SIMILARITY:
                hits.append((code, position, Near(code, name, distance, score)))
        best: Near | None = None
        for _code, _position, hit in sorted(hits, key=lambda h: (h[0], h[1])):
            if best is None or near_rank(hit) > near_rank(best):
                best = hit
        return best

    def codes_in(self, countries: frozenset[str] | None) -> list[str]:
        return sorted(c for c in self._names if countries is None or c[:2] in countries)

    def describe(self, code: str) -> str:
        """``Pohjois-Karjala (North Karelia)``: Latin label plus the first other-looking name."""
        region = self.index.region(code, self.version)
        if region is None:
            return code
        return describe_region(region, self.names_of(code))


def _own_names(index: NutsIndex, names: RegionNames, region: NutsRegion, version: int) -> list[str]:
    """Names of one code: its labels and English names in every version it was this region."""
    out: list[str] = []
    versions = [version] + [
        v
        for v in index.versions_of(region.code)
        if v != version and index.same_region(region.code, v, region.code, version)
    ]
    for v in versions:
        other = index.region(region.code, v)
        texts = [other.label, other.label_latin] if other else []
        for text in [*texts, *names.english_names(region.code, v)]:
            out.extend(n for n in name_variants(text) if n not in out)
    return out


def near_rank(hit: Near) -> tuple[float, bool, int]:
    """Best score first; among equals a mixed-case name (not a capitals label), a short code."""
    return (hit.score, not hit.name.isupper(), -len(hit.code))


def _readable(text: str, names: tuple[str, ...]) -> str:
    """``VLAAMS GEWEST`` -> ``Vlaams Gewest`` when another version writes it in mixed case."""
    if not text.isupper():
        return text
    key = fold_key(text)
    return next((n for n in names if not n.isupper() and fold_key(n) == key), text)


def describe_region(region: NutsRegion, names: tuple[str, ...]) -> str:
    """The Latin label, with an English name in brackets when one reads differently.

    ``Pohjois-Karjala (North Karelia)``, ``Vlaams Gewest (Flanders)``, ``Emilia-Romagna``.
    """
    label = _readable(name_variants(region.label_latin or region.label)[-1], names)
    shown = {
        fold_key(v) for text in (region.label, region.label_latin) for v in name_variants(text)
    }
    for name in names:
        if all(fold_key(v) not in shown for v in name_variants(name)):
            return f"{label} ({name})"
    return label


@lru_cache(maxsize=16)
def lexicon(index: NutsIndex, names: RegionNames, version: int) -> Lexicon:
    return Lexicon(index, names, version)


# --------------------------------------------------------------------------------------------------
# Name verdicts


@dataclass(frozen=True, slots=True)
class NameVerdict:
    """How a stated name relates to the expected region(s): ``kind`` and the region concerned."""

    kind: str  # exact | other | typo | typo-other | unknown
    code: str | None = None
    name: str | None = None


def mention_keys(name: str, countries: frozenset[str] | None, lex: Lexicon) -> list[str]:
    """Folded forms of a stated name: as written, and without a leading/trailing country name."""
    folded = fold_key(name)
    keys = [folded] if folded else []
    for country in sorted(countries or ()):
        for cname in {fold_key(n) for n in lex.names_of(country)}:
            for stripped in (folded.removesuffix(" " + cname), folded.removeprefix(cname + " ")):
                if stripped and stripped != folded and stripped not in keys:
                    keys.append(stripped)
    return keys


def closest_level(codes: list[str], level: int) -> str:
    """The code whose level is nearest to ``level`` (then the shortest, then alphabetical)."""
    return min(codes, key=lambda c: (abs(len(c) - 2 - level), len(c), c))


def judge_name(
    lex: Lexicon,
    keys: list[str],
    targets: tuple[str, ...],
    countries: frozenset[str] | None,
    level: int,
) -> NameVerdict:
    """Compare a stated name with the expected regions, then with the other regions in scope."""
    for key in keys:
        for target in targets:
            if lex.has_name(target, key):
                return NameVerdict("exact", target)
    near_targets = {m for t in targets for m in lex.index.equal_territory(t, lex.version)}
    for key in keys:
        others = [c for c in lex.codes_named(key, countries) if c not in near_targets]
        if others:
            return NameVerdict("other", closest_level(others, level))
    hits = [h for k in keys if (h := lex.nearest(k, list(targets)))]
    if hits:
        best = max(hits, key=lambda h: h.score)
        return NameVerdict("typo", best.code, best.name)
    hits = [h for k in keys if (h := lex.nearest_in(k, countries, near_targets))]
    hits = [h for h in hits if h.distance == 1]
    if hits:
        best = max(hits, key=lambda h: (h.score, -abs(len(h.code) - 2 - level)))
        return NameVerdict("typo-other", best.code, best.name)
    return NameVerdict("unknown")
