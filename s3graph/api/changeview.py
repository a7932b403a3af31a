"""Changes between consecutive reports as the pages say them: rows of the ``changes`` query (and
of ``page-latest-changes``) put in words, the report page's "what changed" section and the home
page's latest changes and regions joining or leaving, per country.

The words come from the rows, never from a second reading of the reports: a page shows what the
named query gives, so a reader can check the page against ``s3graph query changes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from s3graph.api.views import Row, goal_titles, rows
from s3graph.sparql import Queryable

__all__ = ["KIND_WORDS", "home_changes", "in_words", "report_changes"]

#: The ``kind`` of a change as a heading word (the query's word, spaced; SDG spelt out).
KIND_WORDS = {
    "joined": "Region joined",
    "left": "Region left",
    "role-changed": "Role changed",
    "recoded": "Region recoded",
    "sdg-changed": "SDG rating changed",
    "event-held": "Planned event held",
    "event-not-held": "Planned event not held",
    "working-area-added": "Working area added",
    "working-area-dropped": "Working area dropped",
    "working-area-changed": "Working area changed",
    "collaboration-began": "Collaboration began",
    "collaboration-ended": "Collaboration ended",
}

#: What an empty side of a change means, by kind: the report states nothing there.
_NOTHING = {
    "joined": "not listed",
    "left": "not listed",
    "sdg-changed": "no box ticked",
    "event-held": "no date given",
    "event-not-held": "not among its past events",
    "working-area-added": "not listed",
    "working-area-dropped": "not listed",
    "working-area-changed": "none named",
    "collaboration-began": "not mentioned",
    "collaboration-ended": "not mentioned",
}

#: An SDG rating's direction (``detail`` of an ``sdg-changed`` row) in words.
DIRECTIONS = {
    "up": "up, towards Strongly agree",
    "down": "down, towards Strongly disagree",
    "mixed": "mixed: boxes ticked on both sides",
    "off-scale": "to or from Not applicable or no box",
}
ARROWS = {"up": "\u2191", "down": "\u2193", "mixed": "\u2195", "off-scale": "\u2013"}
#: The same, short enough for a mark in the timeline.
MARKS = {
    "up": "\u2191 up",
    "down": "\u2193 down",
    "mixed": "\u2195 mixed",
    "off-scale": "changed to or from Not applicable or no box",
}


def in_words(row: Row, titles: Mapping[str, str]) -> Row:
    """A ``changes`` row with what a reader needs: ``words`` (the kind), ``what`` (a region's
    name, a goal's number and title, else the subject), ``note`` (the region's name as stated
    when it differs, a direction or a column), ``before``/``after`` (or what their absence
    means), ``arrow`` for a rating's direction."""
    kind = row["kind"]
    what = row.get("name") or row["subject"]
    note = ""
    if row.get("goal"):
        number = row["goal"].rsplit("/", 1)[-1]
        title = titles.get(row["goal"], "")
        what = f"Goal {number}" + (f": {title}" if title else "")
    detail = row.get("detail") or ""
    if kind == "sdg-changed" and detail:
        note = "rating " + DIRECTIONS.get(detail, detail)
    elif detail:
        note = detail
    stated = row.get("stated")
    if stated and stated != what:
        note = f"stated as \u201c{stated}\u201d" + (f"; {note}" if note else "")
    nothing = _NOTHING.get(kind, "nothing stated")
    return {
        **row,
        "linesBefore": _in_order(row.get("linesBefore")),
        "linesAfter": _in_order(row.get("linesAfter")),
        "words": KIND_WORDS.get(kind, kind.replace("-", " ")),
        "what": what,
        "note": note,
        "was": row.get("before") or "",
        "now": row.get("after") or "",
        "nothing": nothing,
        "arrow": ARROWS.get(detail, "") if kind == "sdg-changed" else "",
    }


def _in_order(lines: str | None) -> str:
    """Source lines as the query joins them (``"171, 144"``) in the order of the text."""
    found = [n.strip() for n in (lines or "").split(",") if n.strip()]
    return ", ".join(sorted(found, key=lambda n: (len(n), n)))


def changes_of(store: Queryable, partnership: str, *, base: str) -> list[Row]:
    """The ``changes`` rows of a partnership, in words."""
    titles = goal_titles(store, base=base)
    found = rows(store, "changes", {"partnership": partnership}, base=base)
    return [in_words(r, titles) for r in found]


def report_changes(store: Queryable, iri: str, *, base: str) -> dict[str, Any]:
    """The report page's "what changed since the previous report": ``since`` (the previous
    report's IRI and period, None when no earlier report of its partnership is stored),
    ``gap`` (the periods between them no report was filed for) and ``changes`` (rows of the
    ``changes`` query whose later report is this one, in words)."""
    reports = rows(store, "page-report-neighbours", {"report": iri}, base=base)
    periods = [(r["other"], r["otherPeriod"]) for r in reports]
    mine = [n for n, (other, _) in enumerate(periods) if other == iri]
    if not reports or not mine or mine[0] == 0:
        return {"since": None, "changes": [], "first": bool(reports)}
    earlier, period = periods[mine[0] - 1]
    partnership = reports[0]["partnership"]
    found = [r for r in changes_of(store, partnership, base=base) if r["later"] == iri]
    return {"since": {"report": earlier, "period": period}, "changes": found, "first": False}


#: How many of the latest changes the home page lists.
LATEST = 8


def home_changes(store: Queryable, *, base: str) -> dict[str, Any]:
    """The home page's view over time: the latest changes across partnerships (``latest``: the
    first few of ``page-latest-changes``, newest later report first; ``changes_total``: how
    many there are) and regions joining or leaving partnerships per half-year and country
    (``flows``: rows of ``region-flows`` grouped by period, newest first)."""
    titles = goal_titles(store, base=base)
    found = rows(store, "page-latest-changes", {}, base=base)
    flows: dict[str, list[Row]] = {}
    for row in rows(store, "region-flows", {}, base=base):
        flows.setdefault(row["period"], []).append(row)
    return {
        "latest": [in_words(r, titles) for r in found[:LATEST]],
        "changes_total": len(found),
        "flows": flows,
    }
