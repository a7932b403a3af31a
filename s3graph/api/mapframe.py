"""The geometry of a map, apart from its markup: which part of Europe is drawn, and each shape
as SVG path data in that frame.

Shapes come as longitude/latitude (:mod:`s3graph.vocab.boundaries`) and are drawn in the
equal-area frame of EPSG:3035 (:func:`s3graph.vocab.boundaries_projection.equal_area`). The
frame is fitted to the regions that matter (:func:`frame_for`), kept between landscape and
portrait, and scaled to :data:`WIDTH` units. Outlines are simplified in drawing units
(Douglas-Peucker, half a unit: finer than a pixel at any width a page gives the map) and written
as relative moves of one decimal, which keeps a map of every NUTS-2 region of Europe to a size a
page can inline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from s3graph.vocab.boundaries import Shape
from s3graph.vocab.boundaries_projection import equal_area

#: Width of a map in viewBox units (the page scales it).
WIDTH = 400.0
#: Where a map may reach (longitude west, east, latitude south, north): Europe with Iceland,
#: the Canaries, the Azores and Cyprus. Polygons outside (the French outermost regions) are
#: left out of maps; :func:`in_window` says which remain.
WINDOW = (-32.0, 46.0, 26.0, 72.0)
#: How far a simplified outline may stray from the true one, in viewBox units.
TOLERANCE = 0.5

Point = tuple[float, float]
#: A shape in the equal-area plane (:func:`project`): polygons of rings of points.
Projected = tuple[tuple[tuple[Point, ...], ...], ...]
_EUROPE: Shape = ((((-10.0, 35.0), (30.0, 35.0), (30.0, 70.0), (-10.0, 70.0), (-10.0, 35.0)),),)


@dataclass(frozen=True, slots=True)
class Frame:
    """The part of the equal-area plane drawn, and its scale to viewBox units."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def scale(self) -> float:
        return WIDTH / (self.x1 - self.x0)

    @property
    def height(self) -> float:
        return (self.y1 - self.y0) * self.scale

    def to_view(self, point: Point) -> Point:
        """A point of the equal-area plane in viewBox units, y downwards."""
        return (point[0] - self.x0) * self.scale, (self.y1 - point[1]) * self.scale


def project(shape: Shape) -> Projected:
    """``shape`` in the equal-area plane, once (the frame and the outline both read it)."""
    return tuple(
        tuple(tuple(equal_area(x, y) for x, y in ring) for ring in polygon) for polygon in shape
    )


def in_window(shape: Shape) -> Shape:
    """The polygons of ``shape`` whose middle lies in :data:`WINDOW` (empty: none does)."""
    west, east, south, north = WINDOW
    kept = []
    for polygon in shape:
        xs, ys = [x for x, _ in polygon[0]], [y for _, y in polygon[0]]
        mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        if west <= mx <= east and south <= my <= north:
            kept.append(polygon)
    return tuple(kept)


def frame_for(focus: Iterable[Projected]) -> Frame:
    """The frame showing ``focus`` with a margin: at least about 300 km across, at most 1.3
    times higher than wide, at least 0.6 times as high (Europe at large when nothing is given)."""
    points = [p for shape in focus for polygon in shape for p in polygon[0]]
    if not points:
        points = list(project(_EUROPE)[0][0])
    xs, ys = [x for x, _ in points], [y for _, y in points]
    w, h = max(max(xs) - min(xs), 0.05) * 1.12, max(max(ys) - min(ys), 0.05) * 1.12
    if h > 1.3 * w:
        w = h / 1.3
    elif h < 0.6 * w:
        h = 0.6 * w
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return Frame(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def path_data(shape: Projected, frame: Frame) -> str:
    """SVG path data of ``shape`` in ``frame`` (fill it with ``fill-rule="evenodd"``: holes are
    rings of their own); empty when every polygon is outside the frame or smaller than the
    tolerance."""
    parts: list[str] = []
    for polygon in shape:
        rings = [_simplified(_thinned(ring, frame)) for ring in polygon]
        if rings[0] and _overlaps(rings[0], frame):
            parts.extend(_relative(ring) for ring in rings if ring)
    return "".join(parts)


def centre(shape: Projected) -> Point:
    """The middle of the largest polygon's bounding box (in the equal-area plane)."""

    def extent(points: Sequence[Point]) -> float:
        xs, ys = [x for x, _ in points], [y for _, y in points]
        return (max(xs) - min(xs)) * (max(ys) - min(ys))

    largest = max((polygon[0] for polygon in shape), key=extent)
    xs, ys = [x for x, _ in largest], [y for _, y in largest]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _overlaps(ring: Sequence[Point], frame: Frame) -> bool:
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return max(xs) >= 0 and min(xs) <= WIDTH and max(ys) >= 0 and min(ys) <= frame.height


def _thinned(ring: Sequence[Point], frame: Frame) -> list[Point]:
    """``ring`` in viewBox units without the points closer than half the tolerance to the last
    one kept (a cheap first pass: most points of a detailed outline go here), still closed."""
    points = [frame.to_view(p) for p in ring]
    if len(points) < 4:
        return points
    kept = [points[0]]
    for point in points[1:-1]:
        if math.dist(point, kept[-1]) >= TOLERANCE / 2:
            kept.append(point)
    kept.append(points[-1])
    return kept


def _simplified(ring: Sequence[Point]) -> list[Point]:
    """``ring`` (closed) with only the points Douglas-Peucker keeps at :data:`TOLERANCE`,
    rounded to one decimal; empty when fewer than three distinct points are left."""
    if len(ring) < 4:
        return []
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # A closed ring's two ends coincide: split it at the point farthest from its start.
    far = max(range(len(ring)), key=lambda i: math.dist(ring[0], ring[i]))
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        index, distance = _farthest(ring, first, last)
        if distance > TOLERANCE:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    kept: list[Point] = []
    for point, wanted in zip(ring, keep, strict=True):
        rounded = (round(point[0], 1), round(point[1], 1))
        if wanted and (not kept or rounded != kept[-1]):
            kept.append(rounded)
    if len(kept) > 1 and kept[-1] == kept[0]:
        kept.pop()  # ``z`` closes the ring
    return kept if len(set(kept)) >= 3 else []


def _farthest(ring: Sequence[Point], first: int, last: int) -> tuple[int, float]:
    """The point between ``first`` and ``last`` farthest from the segment joining them."""
    (ax, ay), (bx, by) = ring[first], ring[last]
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    best, best_distance = first + 1, -1.0
    for i in range(first + 1, last):
        px, py = ring[i]
        if length == 0:
            distance = math.hypot(px - ax, py - ay)
        else:
            distance = abs(dy * (px - ax) - dx * (py - ay)) / length
        if distance > best_distance:
            best, best_distance = i, distance
    return best, best_distance


def _number(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _relative(ring: Sequence[Point]) -> str:
    """``M x y l dx dy ... z``: the first point absolute, the others as moves from the last
    (exact to the decimal, since every point was rounded first)."""
    (x, y), rest = ring[0], ring[1:]
    moves = []
    for nx, ny in rest:
        moves.append(f"{_number(nx - x)} {_number(ny - y)}")
        x, y = nx, ny
    return f"M{_number(ring[0][0])} {_number(ring[0][1])}l" + " ".join(moves) + "z"


__all__ = [
    "TOLERANCE",
    "WIDTH",
    "WINDOW",
    "Frame",
    "Projected",
    "centre",
    "frame_for",
    "in_window",
    "path_data",
    "project",
]
