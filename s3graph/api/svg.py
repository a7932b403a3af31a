"""Server-side SVG pictures for the pages: an SDG profile, an SDG heatmap, a network.

Pure functions from rows to SVG text (no JavaScript); every text is XML-escaped. Each picture
has a ``<title>`` and ``role="img"`` with ``aria-labelledby`` for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from s3graph.model import SDG_RATINGS
from s3graph.slug import slugify

GOALS = tuple(range(1, 18))
#: How each SDG rating concept is drawn: a colour, and a weight for the heatmap's mean.
_STYLE: dict[str, tuple[str, int]] = {
    "strongly-agree": ("#1a7f37", 2),
    "agree": ("#66bb6a", 1),
    "neutral": ("#bdbdbd", 0),
    "disagree": ("#ef9a9a", -1),
    "strongly-disagree": ("#c62828", -2),
    "not-applicable": ("#eeeeee", 0),
}
#: The SDG rating concepts in the form's order (:data:`s3graph.model.SDG_RATINGS`, strongest
#: first), each with its colour and weight.
RATINGS: tuple[tuple[str, str, int], ...] = tuple(
    (name, *_STYLE[name]) for name in map(slugify, SDG_RATINGS)
)
_COLOUR = {name: colour for name, colour, _ in RATINGS}
_WEIGHT = {name: weight for name, _, weight in RATINGS}


def goal_number(iri: str) -> int:
    """``http://metadata.un.org/sdg/7`` -> 7 (0 when it is not a goal IRI)."""
    tail = iri.rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def rating_name(iri: str) -> str:
    """``https://w3id.org/s3graph/def#agree`` -> ``agree``."""
    return iri.rsplit("#", 1)[-1]


def _text(x: float, y: float, text: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _svg(width: float, height: float, ident: str, title: str, body: Iterable[str]) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-labelledby="{ident}-title" '
        f'font-family="sans-serif" font-size="12">'
        f'<title id="{ident}-title">{escape(title)}</title>'
    )
    return head + "".join(body) + "</svg>"


def legend(x: float, y: float) -> list[str]:
    parts = []
    for i, (name, colour, _) in enumerate(RATINGS):
        cx = x + i * 120
        parts.append(
            f'<rect x="{cx:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(_text(cx + 16, y, name.replace("-", " ")))
    return parts


def sdg_profile(rows: Sequence[Mapping[str, object]], title: str) -> str:
    """Per goal, a bar stacked by rating: how many reports give each rating (``sdg-profile``)."""
    counts: dict[int, list[tuple[str, int]]] = {}
    for row in rows:
        goal = goal_number(str(row["goal"]))
        counts.setdefault(goal, []).append(
            (rating_name(str(row["rating"])), int(str(row["reports"])))
        )
    most = max((sum(n for _, n in c) for c in counts.values()), default=1) or 1
    unit, top, left = 360 / most, 10, 70
    body: list[str] = []
    for i, goal in enumerate(GOALS):
        y = top + i * 20
        body.append(_text(4, y + 12, f"SDG {goal}"))
        x = float(left)
        order = {name: k for k, (name, _, _) in enumerate(RATINGS)}
        for name, n in sorted(counts.get(goal, []), key=lambda c: order.get(c[0], 99)):
            w = n * unit
            colour = _COLOUR.get(name, "#90a4ae")
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="16" fill="{colour}">'
                f"<title>{escape(f'SDG {goal}: {name} in {n} report(s)')}</title></rect>"
            )
            x += w
    height = top + len(GOALS) * 20 + 30
    body.extend(legend(left, height - 8))
    return _svg(left + 400 + 330, height, "sdg-profile", title, body)


def heatmap(
    partnerships: Sequence[tuple[str, str]], rows: Sequence[Mapping[str, object]], title: str
) -> str:
    """Partnerships (rows) x goals (columns): the mean rating weight of each cell.

    ``partnerships`` are ``(iri, label)``; ``rows`` those of ``sdg-profile`` over everything.
    """
    score: dict[tuple[str, int], list[int]] = {}
    for row in rows:
        name = rating_name(str(row["rating"]))
        if name == "not-applicable":
            continue
        key = (str(row["partnership"]), goal_number(str(row["goal"])))
        score.setdefault(key, []).extend([_WEIGHT.get(name, 0)] * int(str(row["reports"])))
    left, top, cell = 300, 30, 28
    body = [
        _text(left + (g - 1) * cell + cell / 2, top - 10, str(g), text_anchor="middle")
        for g in GOALS
    ]
    for i, (iri, label) in enumerate(partnerships):
        y = top + i * cell
        body.append(_text(left - 6, y + cell / 2 + 4, label, text_anchor="end"))
        for g in GOALS:
            x = left + (g - 1) * cell
            weights = score.get((iri, g))
            mean = sum(weights) / len(weights) if weights else None
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{_heat(mean)}"><title>{escape(_cell_title(label, g, mean))}</title></rect>'
            )
    height = top + len(partnerships) * cell + 10
    return _svg(left + len(GOALS) * cell + 10, height, "sdg-heatmap", title, body)


def _heat(mean: float | None) -> str:
    if mean is None:
        return "#f5f5f5"
    if mean >= 1.5:
        return _COLOUR["strongly-agree"]
    if mean >= 0.5:
        return _COLOUR["agree"]
    if mean > -0.5:
        return _COLOUR["neutral"]
    return _COLOUR["disagree"] if mean > -1.5 else _COLOUR["strongly-disagree"]


def _cell_title(label: str, goal: int, mean: float | None) -> str:
    shown = "not rated" if mean is None else f"mean rating {mean:+.1f} (-2 to +2)"
    return f"{label}, SDG {goal}: {shown}"


def network(
    nodes: Sequence[tuple[str, str]],
    collaborations: Iterable[tuple[str, str]],
    shared: Iterable[tuple[str, str, int]],
    title: str,
) -> str:
    """Partnerships on a circle: arrows for mentions, grey lines (as wide as the count) for shared
    regions. ``nodes`` are ``(iri, label)``; edges name nodes by IRI (unknown ones are skipped)."""
    size, radius = 640, 220
    centre = size / 2
    where: dict[str, tuple[float, float]] = {}
    for i, (iri, _) in enumerate(nodes):
        angle = 2 * math.pi * i / max(len(nodes), 1) - math.pi / 2
        where[iri] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#1565c0"/></marker></defs>'
    ]
    pairs = {frozenset((a, b)): count for a, b, count in shared if a != b}
    for pair, count in sorted(pairs.items(), key=lambda item: sorted(item[0])):
        a, b = sorted(pair)
        if a in where and b in where:
            (x1, y1), (x2, y2) = where[a], where[b]
            body.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#9e9e9e" '
                f'stroke-width="{min(1 + count, 12)}" stroke-opacity="0.6">'
                f"<title>{escape(f'{count} shared region(s)')}</title></line>"
            )
    for a, b in set(collaborations):
        if a in where and b in where and a != b:
            (x1, y1), (x2, y2) = where[a], where[b]
            d = math.hypot(x2 - x1, y2 - y1) or 1
            x2, y2 = x2 - (x2 - x1) * 12 / d, y2 - (y2 - y1) * 12 / d
            body.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#1565c0" '
                'stroke-width="2" marker-end="url(#arrow)"/>'
            )
    for iri, label in nodes:
        x, y = where[iri]
        anchor = "start" if x >= centre else "end"
        dx = 12 if x >= centre else -12
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="#ffb300"/>')
        body.append(_text(x + dx, y + 4, label, text_anchor=anchor))
    return _svg(
        size + 360, size, "network", title, ['<g transform="translate(180,0)">', *body, "</g>"]
    )
