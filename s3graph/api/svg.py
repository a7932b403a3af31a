"""Server-side SVG pictures for the pages: an SDG profile, an SDG heatmap, a collaboration network.

Pure functions from rows to SVG text (no JavaScript); every text is XML-escaped. Each picture
has a ``<title>`` and ``role="img"`` with ``aria-labelledby`` for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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
    longest = max((len(label) for _, label in partnerships), default=0)
    left, top, cell = max(300, round(longest * 14 * 0.56) + 12), 30, 28
    body = [
        _text(left + (g - 1) * cell + cell / 2, top - 10, str(g), text_anchor="middle")
        for g in GOALS
    ]
    for i, (iri, label) in enumerate(partnerships):
        y = top + i * cell
        body.append(_text(left - 6, y + cell / 2 + 5, label, text_anchor="end", font_size="14"))
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


# -- the collaboration network -------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A partnership in the network: its page, and whether any report of it is stored (a partner
    only other reports mention is drawn dashed: the graph knows it only from their words)."""

    iri: str
    label: str
    href: str
    reported: bool


@dataclass(frozen=True)
class Edge:
    """A line between two nodes (by IRI): what it says (``title``) and where its evidence is."""

    source: str
    target: str
    count: int
    title: str
    href: str


_NETWORK_WIDTH = 1000
Point = tuple[float, float]
_WRAP = 22  # characters of a node's label on one line
_MENTION = "#1565c0"
_UNREPORTED = "#57606a"


def network(
    nodes: Sequence[Node], mentions: Sequence[Edge], shared: Sequence[Edge], title: str
) -> str:
    """Partnerships on a circle: an arrow per pair of partnerships one mentions the other (both
    ways: two arrows side by side), a grey line (as wide as the count) per pair sharing regions.

    Every node, arrow and line is a link (its page; the evidence of a mention or the shared
    regions of a pair); edges naming an unknown node are skipped. The page gives the legend.
    """
    radius = max(230.0, 20.0 * len(nodes))
    top = 80.0
    centre = (_NETWORK_WIDTH / 2, top + radius)
    where = {
        node.iri: (
            centre[0] + radius * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2),
            centre[1] + radius * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2),
        )
        for i, node in enumerate(nodes)
    }
    body = [
        f'<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        f'fill="{_MENTION}"/></marker></defs>'
    ]
    body.extend(_shared_line(edge, where) for edge in shared if _drawn(edge, where))
    both_ways = {(e.source, e.target) for e in mentions}
    body.extend(
        _mention_arrow(edge, where, (edge.target, edge.source) in both_ways)
        for edge in mentions
        if _drawn(edge, where)
    )
    body.extend(_node(node, where[node.iri], centre) for node in nodes)
    # The picture is as wide as its labels reach, so it is drawn as large as the page allows.
    spans = [_label_span(node, where[node.iri], centre) for node in nodes]
    left = min((a for a, _ in spans), default=0.0) - 10
    right = max((b for _, b in spans), default=_NETWORK_WIDTH) + 10
    moved = [f'<g transform="translate({-left:.1f},0)">', *body, "</g>"]
    return _svg(right - left, centre[1] + radius + 70, "network", title, moved)


def _label_span(node: Node, at: Point, centre: Point) -> tuple[float, float]:
    """How far left and right a node and its label reach (a character is about 0.56 em)."""
    x = at[0]
    width = max(len(line) for line in wrap(node.label, _WRAP)) * 15 * 0.56
    if abs(x - centre[0]) < 1:
        return x - max(width / 2, 10), x + max(width / 2, 10)
    return (x - 10, x + 14 + width) if x > centre[0] else (x - 14 - width, x + 10)


def _drawn(edge: Edge, where: Mapping[str, tuple[float, float]]) -> bool:
    return edge.source in where and edge.target in where and edge.source != edge.target


def _link(href: str, inner: str, **attrs: str) -> str:
    """``inner`` as a link; ``class_`` gives the class, ``data_x`` the attribute ``data-x``."""
    extra = "".join(f" {k.rstrip('_').replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f"<a href={quoteattr(href)}{extra}>{inner}</a>"


def _shared_line(edge: Edge, where: Mapping[str, tuple[float, float]]) -> str:
    (x1, y1), (x2, y2) = where[edge.source], where[edge.target]
    line = (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#9e9e9e" '
        f'stroke-width="{min(1 + edge.count, 10)}" stroke-opacity="0.45">'
        f"<title>{escape(edge.title)}</title></line>"
    )
    return _link(edge.href, line, class_="shared-regions")


def _mention_arrow(
    edge: Edge, where: Mapping[str, tuple[float, float]], beside_another: bool
) -> str:
    """An arrow from the mentioning partnership to the mentioned one, stopping short of both
    circles; shifted to its right when the other way is drawn too, so the two stay apart."""
    (x1, y1), (x2, y2) = where[edge.source], where[edge.target]
    d = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / d, (y2 - y1) / d
    shift = 5.0 if beside_another else 0.0
    x1, y1 = x1 + ux * 12 - uy * shift, y1 + uy * 12 + ux * shift
    x2, y2 = x2 - ux * 14 - uy * shift, y2 - uy * 14 + ux * shift
    line = (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{_MENTION}" '
        f'stroke-width="{min(1 + edge.count / 2, 4):.1f}" marker-end="url(#arrow)">'
        f"<title>{escape(edge.title)}</title></line>"
    )
    return _link(
        edge.href, line, class_="collaboration", data_source=edge.source, data_target=edge.target
    )


def _node(node: Node, at: tuple[float, float], centre: tuple[float, float]) -> str:
    x, y = at
    if node.reported:
        circle = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="#ffb300" stroke="#8a5a00"/>'
        tip = node.label
    else:
        circle = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="#ffffff" stroke="{_UNREPORTED}" '
            'stroke-width="2" stroke-dasharray="4 3"/>'
        )
        tip = f"{node.label}: no report stored"
    lines = wrap(node.label, _WRAP)
    if abs(x - centre[0]) < 1:  # at the top or the bottom: the label above or below
        anchor, tx = "middle", x
        ty = y - 16 - 17 * (len(lines) - 1) if y < centre[1] else y + 26
    else:
        anchor, tx = ("start", x + 14) if x > centre[0] else ("end", x - 14)
        ty = y + 5 - 8.5 * (len(lines) - 1)
    style = "" if node.reported else f' fill="{_UNREPORTED}" font-style="italic"'
    spans = "".join(
        f'<tspan x="{tx:.1f}" dy="{0 if i == 0 else 17}">{escape(part)}</tspan>'
        for i, part in enumerate(lines)
    )
    label = f'<text y="{ty:.1f}" text-anchor="{anchor}" font-size="15"{style}>{spans}</text>'
    reported = "yes" if node.reported else "no"
    inner = f"<title>{escape(tip)}</title>{circle}{label}"
    return _link(node.href, inner, class_="partnership", data_iri=node.iri, data_reported=reported)


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut at spaces into lines of at most ``width`` characters (a longer word whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]

