"""What a page's map shows: which NUTS version is drawn, where each region goes, and what is not
drawn and why; the SVG itself comes from :mod:`s3graph.api.maps`.

A partnership's map is drawn in the NUTS version in force for its latest report (the version its
codes were judged against), or, when those boundaries are not stored, in the oldest stored
version after it (else the newest before it). A code of an older version is drawn as its
successor in the version drawn (``EL23`` of 2016 as ``EL63`` of 2021, said under the map); a
region that cannot be drawn (named without a code, discontinued, no boundary stored) is listed
under the map with the reason. The platform map counts, per region, the partnerships that name
it, in the newest stored version. Without any boundaries stored, a page says how to get them
(:data:`~s3graph.vocab.sources.boundaries.MISSING_HINT`) and draws nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from s3graph.api.maps import Credit, MapRegion, count_map, role_map, role_name
from s3graph.api.mapshapes import BoundaryVersion, boundary_versions, shapes_of
from s3graph.api.views import Row, rows
from s3graph.sparql import Queryable
from s3graph.vocab.boundaries import SOURCE_NOTE
from s3graph.vocab.nuts_index import NutsIndex
from s3graph.vocab.nuts_snapshot import snapshot_index
from s3graph.vocab.sources.boundaries import MISSING_HINT

__all__ = ["MapView", "Unplaced", "partnership_map", "platform_map"]


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A region drawn under another code, or not drawn: its name, code, page and why."""

    name: str
    code: str
    href: str
    why: str


@dataclass(frozen=True, slots=True)
class MapView:
    """A page's map: the SVG (None when none is drawn, ``hint`` then says why) and its notes."""

    heading: str = "Map"
    caption: str = ""
    svg: str | None = None
    hint: str | None = None
    credit: Credit | None = None
    version: int | None = None
    recoded: list[Unplaced] = field(default_factory=list)
    not_drawn: list[Unplaced] = field(default_factory=list)


# -- the two pages' maps -------------------------------------------------------------------------


def partnership_map(
    store: Queryable, regions: Sequence[Row], reports: Sequence[Row], *, base: str
) -> MapView:
    """The map of a partnership's ``regions`` (rows of ``regions-of-partnership``), by role."""
    if not regions:
        return MapView()  # the page already says that no region is listed
    stored = boundary_versions(store, base=base)
    heading = "Map of its regions"
    if not stored:
        return MapView(heading, hint=MISSING_HINT)
    starts = [date.fromisoformat(str(r["start"])[:10]) for r in reports if r.get("start")]
    index = snapshot_index()
    wanted = index.version_in_force(max(starts)) if starts else None
    about = _version_to_draw(stored, wanted)
    shapes = shapes_of(store, about, base=base)
    leading_first = sorted(regions, key=lambda r: role_name(r["role"]) != "leading")
    placed, recoded, not_drawn = _place(leading_first, shapes, about.version, index, base)
    drawn = [MapRegion(code, r.get("name") or "", r["role"], href) for code, r, href in placed]
    credit = _credit(about)
    svg = None
    if drawn:
        svg = role_map(drawn, shapes, title="The partnership's regions by role", credit=credit)
    caption = (
        "The regions leading or taking part in the partnership, in the NUTS "
        f"{about.version} boundaries (the version in force for its latest report"
        + ("" if about.version == wanted else f", NUTS {wanted}, is not stored")
        + "). Each region links to its page."
    )
    return MapView(heading, caption, svg, None, credit, about.version, recoded, not_drawn)


def platform_map(store: Queryable, *, base: str) -> MapView:
    """Every region the reports name, coloured by the number of partnerships naming it, in the
    newest stored version of the boundaries."""
    stored = boundary_versions(store, base=base)
    heading = "Partnerships per region"
    if not stored:
        return MapView(heading, hint=MISSING_HINT)
    about = stored[-1]
    shapes = shapes_of(store, about, base=base)
    found = [r for r in rows(store, "page-index-regions", {}, base=base) if r["partnerships"]]
    placed, recoded, not_drawn = _place(found, shapes, about.version, snapshot_index(), base)
    counts: dict[str, MapRegion] = {}
    for code, row, href in placed:  # two old codes of one successor: the larger count
        region = MapRegion(code, row.get("name") or "", int(row["partnerships"]), href)
        if code not in counts or int(counts[code].value) < int(region.value):
            counts[code] = region
    credit = _credit(about)
    svg = None
    if counts:
        title = "Partnerships per region: how many partnerships name each region"
        svg = count_map(list(counts.values()), shapes, title=title, credit=credit)
    caption = (
        f"How many partnerships name each region in their reports, in the NUTS {about.version} "
        "boundaries (the newest stored). Each region links to its page."
    )
    return MapView(heading, caption, svg, None, credit, about.version, recoded, not_drawn)


# -- which version, and where each region goes ---------------------------------------------


def _version_to_draw(stored: Sequence[BoundaryVersion], wanted: int | None) -> BoundaryVersion:
    """The stored version ``wanted``; else the oldest after it; else the newest before it."""
    if wanted is None:
        return stored[-1]
    later = [s for s in stored if s.version >= wanted]
    return later[0] if later else stored[-1]


def _credit(about: BoundaryVersion) -> Credit:
    return Credit(about.rights, f"{SOURCE_NOTE} · {about.title or f'NUTS {about.version}'}")


Placed = tuple[str, Row, str]  # (code drawn, the row, the region's page)


def _place(
    found: Sequence[Row], shapes: Mapping[str, Any], version: int, index: NutsIndex, base: str
) -> tuple[list[Placed], list[Unplaced], list[Unplaced]]:
    """Each row's region as a code of ``version`` to draw, drawn under its successor's code, or
    not drawn with the reason."""
    placed: list[Placed] = []
    recoded: list[Unplaced] = []
    not_drawn: list[Unplaced] = []
    for row in found:
        code = (row.get("code") or "").upper()
        href = _href(row["region"], base)
        name = row.get("name") or row.get("title") or code
        if code in shapes:
            placed.append((code, row, href))
            continue
        successors, why = _successors(code, version, index)
        drawable = [c for c in successors if c in shapes]
        if drawable:
            placed.extend((c, row, href) for c in drawable)
            why = f"drawn as {' and '.join(drawable)}, its NUTS {version} code"
            recoded.append(Unplaced(name, code, href, why))
        else:
            if successors:
                later = ", ".join(successors)
                why = f"no boundary of its NUTS {version} successor ({later}) stored"
            not_drawn.append(Unplaced(name, code, href, why))
    return placed, recoded, not_drawn


def _successors(code: str, version: int, index: NutsIndex) -> tuple[tuple[str, ...], str]:
    """The codes of ``version`` continuing ``code``, or none and why."""
    if not code:
        return (), "named without a NUTS code"
    versions = index.versions_of(code)
    if not versions:
        return (), "not a NUTS code of any version"
    older = [v for v in versions if v <= version]
    if version in versions:
        return (), f"no boundary stored in NUTS {version}"
    if not older:
        first = versions[0]
        return (), f"a code of NUTS {first}, newer than the boundaries stored (NUTS {version})"
    found = index.successors(code, older[-1], version)
    return found, f"a NUTS {older[-1]} code with no successor in NUTS {version}"


def _href(iri: str, base: str) -> str:
    """A region's IRI as the local path of its page."""
    return "/" + iri[len(base) :] if iri.startswith(base) else iri
