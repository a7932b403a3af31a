"""NUTS regions of several versions and the code changes between them, in memory.

Pure data and lookups: no I/O (``s3graph.vocab.nuts_csv`` reads the files, other readers may
produce the same dataclasses). A code string means a region *in a version*: ``EL24`` exists in
NUTS 2010 only and became ``EL64`` in NUTS 2013; ``HR02`` exists from NUTS 2021 on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

#: First day on which each NUTS version applies (the applicability dates of the NUTS regulations:
#: Reg. 31/2011 for 2010, 1319/2013 for 2013, 2016/2066 for 2016, 2019/1755 for 2021,
#: 2023/674 for 2024).
APPLICABLE_FROM: dict[int, date] = {
    2010: date(2012, 1, 1),
    2013: date(2015, 1, 1),
    2016: date(2018, 1, 1),
    2021: date(2021, 1, 1),
    2024: date(2024, 1, 1),
}

#: Change kinds after which a code still denotes the same territory.
IDENTITY_CHANGES: frozenset[str] = frozenset(
    {
        "recoded",
        "renamed",
        "recoded+renamed",
        "level change (equal territory)",
        "minor boundary shift",
    }
)
#: Change kinds that move a border but keep the region (opt-in for ``same_region``).
BOUNDARY_CHANGES: frozenset[str] = frozenset({"boundary shift", "boundary shift+renamed"})


@dataclass(frozen=True, slots=True)
class NutsRegion:
    """One region of one NUTS version (``label`` in the national language/script)."""

    code: str
    level: int
    country: str
    label: str
    label_latin: str
    parent: str | None
    version: int


@dataclass(frozen=True, slots=True)
class NutsChange:
    """A code relation between two consecutive versions (``None`` for new/discontinued sides)."""

    from_version: int | None
    from_code: str | None
    to_version: int | None
    to_code: str | None
    change: str


def is_extra_regio(code: str) -> bool:
    """``ESZ``, ``ESZZ``, ``ESZZZ``: the statistical 'extra-regio' rows, not real territory."""
    rest = code[2:]
    return bool(rest) and set(rest) == {"Z"}


#: Where a version of an index came from: the snapshot packaged with s3graph, or loaded by the user
#: (into the store, or with ``--nuts``).
SNAPSHOT = "snapshot"
LOADED = "loaded"


class NutsIndex:
    """Regions per version plus the change table, with the lookups the linker needs.

    Each version knows its source (:data:`SNAPSHOT` or :data:`LOADED`, the default), so that a
    judgement can say what it was judged against.
    """

    def __init__(
        self,
        regions: dict[int, dict[str, NutsRegion]],
        changes: list[NutsChange],
        sources: Mapping[int, str] | None = None,
    ):
        self._regions = regions
        self._changes = tuple(changes)
        self._versions = tuple(sorted(regions))
        given = sources or {}
        self._sources = {v: given.get(v, LOADED) for v in self._versions}
        by_from: dict[tuple[int, str], list[NutsChange]] = defaultdict(list)
        for change in changes:
            if change.from_version is not None and change.from_code:
                by_from[(change.from_version, change.from_code)].append(change)
        self._by_from = dict(by_from)
        kids: dict[tuple[int, str], list[str]] = defaultdict(list)
        for version, table in regions.items():
            for region in table.values():
                if region.parent and not is_extra_regio(region.code):
                    kids[(version, region.parent)].append(region.code)
        self._children = {key: tuple(sorted(codes)) for key, codes in kids.items()}

    @classmethod
    def from_rows(
        cls, regions: Iterable[NutsRegion], changes: Iterable[NutsChange], source: str = LOADED
    ) -> NutsIndex:
        """Build an index from region rows of any versions and change rows, all from ``source``."""
        table: dict[int, dict[str, NutsRegion]] = defaultdict(dict)
        for region in regions:
            table[region.version][region.code] = region
        return cls(dict(table), list(changes), dict.fromkeys(table, source))

    def overlaid(self, top: NutsIndex) -> NutsIndex:
        """This index with every version of ``top`` in place of its own (and ``top``'s source).

        The change table is ``top``'s when it has one, else this index's: a store holding only
        NUTS 2021 still follows codes through the changes of the snapshot.
        """
        regions = {**self._regions, **top._regions}
        sources = {**self._sources, **top._sources}
        changes = list(top._changes or self._changes)
        return NutsIndex(regions, changes, sources)

    # -- plain lookups -----------------------------------------------------------------------

    @property
    def versions(self) -> tuple[int, ...]:
        """The versions held, oldest first."""
        return self._versions

    @property
    def changes(self) -> tuple[NutsChange, ...]:
        """Every change row, as given."""
        return self._changes

    @property
    def sources(self) -> dict[int, str]:
        """Each version's source (:data:`SNAPSHOT` or :data:`LOADED`), oldest version first."""
        return dict(self._sources)

    def source(self, version: int) -> str | None:
        """Where ``version`` came from, or None when the index does not hold it."""
        return self._sources.get(version)

    def regions(self, version: int) -> Iterator[NutsRegion]:
        """Every region of one version (none for an unknown version)."""
        return iter(self._regions.get(version, {}).values())

    def region(self, code: str, version: int) -> NutsRegion | None:
        """The region with this code in this version, or None."""
        return self._regions.get(version, {}).get(code)

    def versions_of(self, code: str) -> tuple[int, ...]:
        """The versions in which the code exists, oldest first."""
        return tuple(v for v in self._versions if code in self._regions[v])

    def children(self, code: str, version: int) -> tuple[str, ...]:
        """Codes of the regions one level below (extra-regio rows left out)."""
        return self._children.get((version, code), ())

    def equal_territory(self, code: str, version: int) -> tuple[str, ...]:
        """The code and every ancestor/descendant covering exactly the same territory.

        ``EE`` / ``EE0`` / ``EE00`` (Estonia), ``FRH`` / ``FRH0`` (Bretagne): a parent with a
        single child covers the same land as that child. Empty when the code is not in the version.
        """
        if self.region(code, version) is None:
            return ()
        group = [code]
        up = self.region(code, version)
        while up is not None and up.parent and self.children(up.parent, version) == (up.code,):
            group.append(up.parent)
            up = self.region(up.parent, version)
        down = self.children(code, version)
        while len(down) == 1:
            group.append(down[0])
            down = self.children(down[0], version)
        return tuple(group)

    # -- versions and time -------------------------------------------------------------------

    def version_in_force(self, day: date) -> int:
        """The NUTS version applicable on ``day`` among the versions held.

        Days before the earliest applicability date get the earliest version held.
        """
        known = [v for v in self._versions if v in APPLICABLE_FROM] or list(self._versions)
        if not known:
            raise ValueError("the NUTS index holds no version")
        applicable = [v for v in known if APPLICABLE_FROM.get(v, date.min) <= day]
        return max(applicable) if applicable else min(known)

    # -- following codes through the changes -------------------------------------------------

    def _next_codes(self, code: str, version: int, following: int, kinds: frozenset[str] | None):
        """Codes in ``following`` continuing ``code`` of ``version`` (one step of the chain)."""
        rows = self._by_from.get((version, code), [])
        if kinds is not None and any(r.change not in kinds for r in rows if r.to_code):
            return None  # a change of a kind not allowed: the chain is broken
        found = [r.to_code for r in rows if r.to_code and r.to_version == following]
        if not rows and code in self._regions.get(following, {}):
            found = [code]  # unchanged code
        return found

    def _follow(self, code: str, from_version: int, to_version: int, kinds: frozenset[str] | None):
        steps = [v for v in self._versions if from_version <= v <= to_version]
        current = [code] if code in self._regions.get(from_version, {}) else []
        for before, after in pairwise(steps):
            nxt: list[str] = []
            for c in current:
                found = self._next_codes(c, before, after, kinds)
                if found is None:
                    return []
                nxt.extend(x for x in found if x not in nxt)
            current = nxt
        return current

    def successors(self, code: str, from_version: int, to_version: int) -> tuple[str, ...]:
        """Codes of ``to_version`` that continue ``code`` of ``from_version``.

        Follows the change rows version by version (``EL24`` 2010 -> ``EL64`` 2013 -> ``EL64``
        2016); an unlisted code that still exists carries on unchanged. Splits give several codes,
        a discontinued region none. Same-level successors come first.
        """
        if to_version < from_version:
            raise ValueError(f"to_version {to_version} is older than from_version {from_version}")
        found = self._follow(code, from_version, to_version, None)
        origin = self.region(code, from_version)
        level = origin.level if origin else len(code) - 2
        return tuple(sorted(found, key=lambda c: (len(c) - 2 != level, c)))

    def same_region(
        self,
        code_a: str,
        version_a: int,
        code_b: str,
        version_b: int,
        *,
        allow_boundary_shift: bool = False,
    ) -> bool:
        """Whether two (code, version) pairs denote the same region.

        True for an unchanged, renamed or recoded region (``EL24`` 2010 and ``EL64`` 2016); a
        split, merge or boundary shift breaks the identity (a boundary shift only counts when
        ``allow_boundary_shift``).
        """
        if version_b < version_a:
            code_a, version_a, code_b, version_b = code_b, version_b, code_a, version_a
        if self.region(code_a, version_a) is None or self.region(code_b, version_b) is None:
            return False
        if version_a == version_b:
            return code_a == code_b or code_b in self.equal_territory(code_a, version_a)
        kinds = IDENTITY_CHANGES | BOUNDARY_CHANGES if allow_boundary_shift else IDENTITY_CHANGES
        followed = self._follow(code_a, version_a, version_b, kinds)
        return len(followed) == 1 and code_b in self.equal_territory(followed[0], version_b)
