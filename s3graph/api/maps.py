"""Server-side SVG maps of NUTS regions: a partnership's regions by role, the platform's regions
by the number of partnerships.

Pure functions from shapes (longitude/latitude, :mod:`s3graph.vocab.boundaries`) and values to
SVG text, in the manner of :mod:`s3graph.api.svg`: no script, no tiles, every text XML-escaped,
a ``<title>`` and ``role="img"`` for screen readers. The map is drawn in the equal-area frame of
EPSG:3035, fitted to the regions coloured (the geometry is :mod:`s3graph.api.mapframe`), with
the countries around them in grey; the picture has a ``viewBox`` and no fixed
size, so it is as wide as the page lets it be (390 px on a phone). Each coloured region links to
its page and says its name and value in a tooltip; the legend and GISCO's copyright notice are
part of the picture, so no copy of the map goes without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from xml.sax.saxutils import escape, quoteattr

from s3graph.api.mapframe import (
    WIDTH,
    WINDOW,
    Frame,
    Projected,
    centre,
    frame_for,
    in_window,
    path_data,
    project,
)
from s3graph.api.svg import wrap
from s3graph.vocab.boundaries import ATTRIBUTION, SOURCE_NOTE, Shape
from s3graph.vocab.boundaries_rdf import StoredBoundaries

_FONT = 12
_CHARS_PER_LINE = 62  # of 12-unit sans-serif text across WIDTH
_CONTEXT_FILL = "#e6e6e6"

#: Colours of the roles a region has in a partnership (leading wins over participating).
ROLE_COLOURS: dict[str, str] = {"leading": "#b8470f", "participating": "#6fa8dc"}
#: The sequential palette of counts, lightest first.
COUNT_PALETTE: tuple[str, ...] = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


@dataclass(frozen=True, slots=True)
class MapRegion:
    """A region to colour: its NUTS code, name, and its value (a role, or a count)."""

    code: str
    name: str
    value: str | int
    href: str | None = None  # its page; ``/region/{code}`` when None


@dataclass(frozen=True, slots=True)
class LegendEntry:
    label: str
    colour: str


@dataclass(frozen=True, slots=True)
class Credit:
    """What is written under the map: GISCO's notice, and the source with the version drawn."""

    attribution: str = ATTRIBUTION
    source: str = SOURCE_NOTE


@dataclass(frozen=True, slots=True)
class _Area:
    region: MapRegion
    shape: Projected
    colour: str
    note: str


def credit_for(boundaries: StoredBoundaries) -> Credit:
    """The credit of a map drawn from stored boundaries: their notice, source and version."""
    return Credit(boundaries.attribution, f"{SOURCE_NOTE} · {boundaries.title}")


# -- the two maps --------------------------------------------------------------------------------


def role_map(
    regions: Sequence[MapRegion],
    shapes: Mapping[str, Shape],
    *,
    title: str,
    credit: Credit = Credit(),
    ident: str = "role-map",
) -> str:
    """A partnership's regions coloured by role (``MapRegion.value``: ``leading``,
    ``participating``; a region given twice keeps its first role, so list leading ones first).

    ``shapes`` holds the boundaries by NUTS code (those of level 0 are drawn around in grey).
    """
    first: dict[str, MapRegion] = {}
    for region in regions:
        first.setdefault(region.code, region)
    regions = list(first.values())
    regions = [replace(r, value=role_name(r.value)) for r in regions]
    colour_of: dict[str, str] = dict(ROLE_COLOURS)
    for region in regions:
        colour_of.setdefault(str(region.value), "#8e8e8e")
    seen = {str(r.value) for r in regions}
    legend = [LegendEntry(f"{role} region", colour_of[role]) for role in colour_of if role in seen]
    return draw_map(
        regions,
        shapes,
        colour=lambda r: colour_of[str(r.value)],
        note=lambda r: f"{r.value} region",
        legend=legend,
        title=title,
        credit=credit,
        ident=ident,
    )


def role_name(value: str | int) -> str:
    """``https://w3id.org/s3graph/def#leading`` (as the queries give it) or ``leading``:
    ``leading``."""
    return str(value).rsplit("#", 1)[-1]


def count_map(
    regions: Sequence[MapRegion],
    shapes: Mapping[str, Shape],
    *,
    title: str,
    unit: tuple[str, str] = ("partnership", "partnerships"),
    credit: Credit = Credit(),
    ident: str = "count-map",
) -> str:
    """Regions coloured by a count (``MapRegion.value``, e.g. partnerships per region) on a
    sequential palette of at most five classes; regions counting 0 are left uncoloured."""
    counted = [r for r in regions if int(r.value) > 0]
    classes = count_classes(max((int(r.value) for r in counted), default=0))

    def colour(region: MapRegion) -> str:
        n = int(region.value)
        return next(c for (low, high), c in classes if low <= n <= high)

    def note(region: MapRegion) -> str:
        n = int(region.value)
        return f"{n} {unit[0] if n == 1 else unit[1]}"

    legend = [
        LegendEntry(str(low) if low == high else f"{low} to {high}", c)
        for (low, high), c in classes
    ]
    return draw_map(
        counted,
        shapes,
        colour=colour,
        note=note,
        legend=[LegendEntry(f"{unit[1]} per region:", ""), *legend],
        title=title,
        credit=credit,
        ident=ident,
    )


def count_classes(most: int) -> list[tuple[tuple[int, int], str]]:
    """Classes of counts 1..``most`` with their colours: one per count up to five counts, else
    five classes of (nearly) equal width.

    >>> [bounds for bounds, _ in count_classes(3)]
    [(1, 1), (2, 2), (3, 3)]
    >>> [bounds for bounds, _ in count_classes(12)]
    [(1, 2), (3, 4), (5, 7), (8, 9), (10, 12)]
    """
    if most <= 0:
        return []
    k = min(most, len(COUNT_PALETTE))
    edges = [1 + i * most // k for i in range(k)] + [most + 1]
    picks = [round(i * (len(COUNT_PALETTE) - 1) / (k - 1)) if k > 1 else 2 for i in range(k)]
    return [((edges[i], edges[i + 1] - 1), COUNT_PALETTE[picks[i]]) for i in range(k)]


# -- drawing ---------------------------------------------------------------------------------------


def draw_map(
    regions: Sequence[MapRegion],
    shapes: Mapping[str, Shape],
    *,
    colour: Callable[[MapRegion], str],
    note: Callable[[MapRegion], str],
    legend: Sequence[LegendEntry],
    title: str,
    credit: Credit = Credit(),
    ident: str = "map",
) -> str:
    """Any map: each region of ``regions`` filled with ``colour(region)``, its tooltip
    ``Name (CODE): note(region)``, over the countries of ``shapes`` in grey; then the legend,
    the regions that could not be drawn, and the credit."""
    areas: list[_Area] = []
    unmapped: list[MapRegion] = []
    outside: list[MapRegion] = []
    for region in regions:
        shape = shapes.get(region.code)
        if not shape:
            unmapped.append(region)
            continue
        inside = in_window(shape)
        if not inside:
            outside.append(region)
            continue
        areas.append(_Area(region, project(inside), colour(region), note(region)))
    areas.sort(key=lambda a: len(a.region.code))  # the smaller regions over the larger
    countries = [s for code, s in shapes.items() if len(code) == 2]
    around = [project(in_window(s)) for s in countries]
    frame = frame_for([a.shape for a in areas] or around)
    height = frame.height

    body = [
        f'<clipPath id="{ident}-clip"><rect width="{WIDTH:.0f}" height="{height:.1f}"/></clipPath>',
        f'<rect width="{WIDTH:.0f}" height="{height:.1f}" fill="#f7fbff"/>',
        f'<g clip-path="url(#{ident}-clip)">',
    ]
    for country in around:
        d = path_data(country, frame)
        if d:
            body.append(f'<path d="{d}" fill="{_CONTEXT_FILL}" stroke="#fff" stroke-width="0.8"/>')
    body.extend(_area(area, frame) for area in areas)
    body.append(f'<rect width="{WIDTH:.0f}" height="{height:.1f}" fill="none" stroke="#bbbbbb"/>')
    body.append("</g>")
    y = height + 20
    legend_parts, y = _legend(legend, y)
    body.extend(legend_parts)
    for words in _notes(outside, unmapped):
        for line in wrap(words, _CHARS_PER_LINE):
            body.append(_text(0, y, line, fill="#444444"))
            y += 16
    y += 4
    for line in [*wrap(credit.attribution, 70), *wrap(credit.source, 70)]:
        body.append(_text(0, y, line, font_size="11", fill="#555555", class_="map-credit"))
        y += 14
    return _svg(y, ident, title, body)


def _svg(height: float, ident: str, title: str, body: Iterable[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="{ident}-title" font-family="sans-serif" '
        f'font-size="{_FONT}" class="map">'
        f'<title id="{ident}-title">{escape(title)}</title>'
    )
    return head + "".join(body) + "</svg>"


def _text(x: float, y: float, text: str, **attrs: str) -> str:
    extra = "".join(f" {k.rstrip('_').replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _legend(entries: Sequence[LegendEntry], y: float) -> tuple[list[str], float]:
    """Swatches and labels in rows across the width; where the next text starts."""
    parts: list[str] = []
    x = 0.0
    for entry in entries:
        width = (18 if entry.colour else 0) + len(entry.label) * _FONT * 0.56 + 14
        if x > 0 and x + width > WIDTH:
            x, y = 0.0, y + 20
        if entry.colour:
            parts.append(
                f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="13" height="13" '
                f'fill="{entry.colour}" stroke="#666666" stroke-width="0.5"/>'
            )
            parts.append(_text(x + 18, y, entry.label))
        else:
            parts.append(_text(x, y, entry.label, font_weight="bold"))
        x += width
    return parts, y + 22


def _named(region: MapRegion) -> str:
    """``Lappi (FI1D7)``; the code alone for a region without a name."""
    return f"{region.name} ({region.code})" if region.name else region.code


def _notes(outside: Sequence[MapRegion], unmapped: Sequence[MapRegion]) -> list[str]:
    def named(regions: Sequence[MapRegion]) -> str:
        return ", ".join(map(_named, regions))

    notes = []
    if outside:
        notes.append(f"Outside this map: {named(outside)}.")
    if unmapped:
        notes.append(f"No boundary stored for: {named(unmapped)}.")
    return notes


def _area(area: _Area, frame: Frame) -> str:
    region = area.region
    tip = escape(f"{_named(region)}: {area.note}")
    d = path_data(area.shape, frame)
    if d:
        drawn = (
            f'<path d="{d}" fill="{area.colour}" fill-rule="evenodd" stroke="#ffffff" '
            f'stroke-width="0.6"><title>{tip}</title></path>'
        )
    else:  # smaller than the drawing's grain: a dot, so that it is still seen and clicked
        cx, cy = frame.to_view(centre(area.shape))
        drawn = (
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{area.colour}" stroke="#333333" '
            f'stroke-width="0.6"><title>{tip}</title></circle>'
        )
    href = region.href if region.href is not None else f"/region/{region.code}"
    return (
        f'<a href={quoteattr(href)} class="map-region" data-code={quoteattr(region.code)}>'
        f"{drawn}</a>"
    )


__all__ = [
    "COUNT_PALETTE",
    "ROLE_COLOURS",
    "WIDTH",
    "WINDOW",
    "Credit",
    "LegendEntry",
    "MapRegion",
    "count_classes",
    "count_map",
    "credit_for",
    "draw_map",
    "role_map",
    "role_name",
]
