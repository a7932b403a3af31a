"""A partnership's timeline and a region's partnerships over time, as grids the templates draw as
HTML tables: periods across, one row per region, goal or kind of event, the changes marked in
the cell of the report that shows them.

The columns are the half-years of the partnership's filed reports, with the gaps between them
(``reporting-gaps``) in their place and, when it stopped reporting, a last column saying since
when. The regions are read report by report (``page-timeline-regions``) and keyed by the NUTS
code the linking resolved, as the ``changes`` query keys them, so a region's row and its changes
meet; a recoded region's old code is folded into its new one's row. SDG ratings come from
``page-timeline-sdg``, events from ``page-events``. Nothing is computed here that the changes
query already says: its rows are only placed in the grid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from s3graph.api.changeview import MARKS, changes_of
from s3graph.api.views import RATING_WORDS, Row, goal_titles, rows
from s3graph.sparql import Queryable

__all__ = ["Column", "Grid", "GridRow", "partnership_timeline", "region_timeline"]

_NUTS = "http://data.europa.eu/nuts/code/"
_REGION_MARKS = {"joined": "joined", "left": "left", "role-changed": "role changed",
                 "recoded": "recoded"}  # fmt: skip


def period_of(report: str) -> str:
    """A report's half-year as its IRI ends (``.../2020-H1`` -> ``2020-H1``), as the queries
    of changes and gaps read it."""
    return report.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Column:
    """One half-year: the report filed for it, or ``missing`` in words and its ``kind`` (a
    ``gap`` between two reports, or ``stopped``: no report since)."""

    period: str
    report: str | None = None
    missing: str = ""
    kind: str = "report"


@dataclass(slots=True)
class Cell:
    """What one row shows for one period: ``items`` (words), ``marks`` (changes, in words)."""

    items: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    css: str = ""


@dataclass(slots=True)
class GridRow:
    """A row of the grid: its heading (``label``, a link ``href`` and a ``note``) and cells."""

    label: str
    href: str = ""
    note: str = ""
    empty: str = "not listed"
    cells: dict[str, Cell] = field(default_factory=dict)

    def cell(self, period: str) -> Cell:
        return self.cells.setdefault(period, Cell())


@dataclass(slots=True)
class Grid:
    """Periods across, row groups (``groups``: heading and rows) down; ``stopped``: since when
    the partnership filed no report, in words (empty when it did not stop)."""

    columns: list[Column]
    groups: list[tuple[str, list[GridRow]]] = field(default_factory=list)
    stopped: str = ""
    gaps: list[str] = field(default_factory=list)


# -- a partnership ------------------------------------------------------------------------------


def partnership_timeline(
    store: Queryable, iri: str, data: Mapping[str, Any], *, base: str
) -> dict[str, Any]:
    """The partnership page's ``timeline`` (a :class:`Grid`, None without reports) and its
    ``changes`` (rows of the ``changes`` query in words), from the page's ``data``: its
    ``reports``, ``regions`` (names and codes) and ``events``, read already."""
    reports: Sequence[Row] = data.get("reports") or []
    if not reports:
        return {"timeline": None, "changes": []}
    params = {"partnership": iri}
    changes = changes_of(store, iri, base=base)
    grid = Grid(_columns(reports, rows(store, "reporting-gaps", params, base=base)))
    names = {r["region"]: r for r in data.get("regions") or []}
    members = rows(store, "page-timeline-regions", params, base=base)
    grid.groups.append(("Regions", _regions(members, names, changes)))
    titles = goal_titles(store, base=base)
    ratings = rows(store, "page-timeline-sdg", params, base=base)
    grid.groups.append(("SDG ratings", _goals(ratings, titles, changes)))
    events = data.get("events") or {}
    grid.groups.append(("Events", _events(events, changes)))
    grid.stopped = next((c.missing for c in grid.columns if c.kind == "stopped"), "")
    grid.gaps = [c.period for c in grid.columns if c.kind == "gap"]
    return {"timeline": grid, "changes": changes}


def _columns(reports: Iterable[Row], gaps: Iterable[Row]) -> list[Column]:
    """The filed reports and the gaps between them by period; a stop as the last column."""
    columns = {period_of(r["report"]): Column(period_of(r["report"]), r["report"]) for r in reports}
    stopped = None
    for gap in gaps:
        if gap["kind"] == "gap":
            missing = Column(gap["period"], missing="no report filed", kind="gap")
            columns.setdefault(gap["period"], missing)
        elif gap["kind"] == "stopped":
            until = gap["until"]
            span = gap["period"] if gap["period"] == until else f"{gap['period']} to {until}"
            said = (f"no report since {gap['lastPeriod']} (none for {span}, while other "
                    "partnerships reported)")  # fmt: skip
            stopped = Column(f"{gap['period']}\u2026", missing=said, kind="stopped")
    ordered = [columns[p] for p in sorted(columns)]
    return [*ordered, stopped] if stopped else ordered


def _key(code: str | None, region: str) -> str:
    return code or region


def _regions(members: Iterable[Row], names: Mapping[str, Row], changes: list[Row]) -> list[GridRow]:
    """One row per region (by resolved code), its role in each report, its changes marked."""
    moved = {r["before"]: r["code"] for r in changes if r["kind"] == "recoded" and r.get("code")}
    # A region's name: as the changes name its code, else as the page's regions name the code,
    # else the region the report's statement links to (a code stated wrongly keeps its own).
    by_code = {r["code"]: r["name"] for r in names.values() if r.get("code") and r.get("name")}
    by_code.update({r["code"]: r["name"] for r in changes if r.get("code") and r.get("name")})
    # A row links to the region of its resolved code where the changes describe that region
    # (Emilia-Romagna stated as ITC4 is ITH5, not Lombardia), else to the one the report names.
    iri_of: dict[str, str] = {
        r["code"]: r["region"] for r in changes if r.get("code") and r.get("region")
    }
    found: dict[str, GridRow] = {}
    aliases: dict[str, str] = {}
    for member in members:
        named = names.get(member["region"]) or {}
        stated = named.get("code") or ""
        code = (member.get("resolved") or "").removeprefix(_NUTS) or stated or None
        key = moved.get(code or "") or _key(code, member["region"])
        label = by_code.get(code or "") or named.get("name") or stated or key
        note = f"{code}, stated as {stated}" if code and stated and stated != code else (code or "")
        row = found.setdefault(
            key, GridRow(label, iri_of.get(code or "") or member["region"], note)
        )
        # a change names the region by the code resolved when the changes were computed: the
        # code stated, or the one the linking resolves now (a newer NUTS version), or the IRI
        for alias in (stated, code, member["region"]):
            if alias:
                aliases.setdefault(alias, key)
        _add_role(row.cell(period_of(member["report"])), member["role"].rsplit("#", 1)[-1])
    for change in changes:
        word = _REGION_MARKS.get(change["kind"])
        if word is None:
            continue
        named_by = change.get("code") or change.get("region") or change["subject"]
        key = aliases.get(named_by) or aliases.get(change.get("region") or "") or named_by
        row = found.setdefault(key, GridRow(change["what"], change.get("region") or "",
                                            change.get("code") or ""))  # fmt: skip
        mark = word if not change["was"] or change["kind"] == "joined" else (
            f"{word} (was {change['was']})")  # fmt: skip
        row.cell(change["laterPeriod"]).marks.append(mark)
    return sorted(found.values(), key=lambda r: (r.label.casefold(), r.note))


def _add_role(cell: Cell, role: str) -> None:
    """A region's role in one report: leading wins over participating, as the changes count
    roles (a region both leading and participating is leading); interested is kept beside."""
    if role == "leading" and "participating" in cell.items:
        cell.items.remove("participating")
    if role not in cell.items and not (role == "participating" and "leading" in cell.items):
        cell.items.append(role)
    cell.css = " ".join(cell.items)


def _goals(ratings: Iterable[Row], titles: Mapping[str, str], changes: list[Row]) -> list[GridRow]:
    """One row per goal some report rates: the ratings ticked in each report, changes marked
    with their direction."""
    found: dict[str, GridRow] = {}
    for rating in ratings:
        goal = rating["goal"]
        number = rating.get("number") or goal.rsplit("/", 1)[-1]
        title = f"{number} {titles.get(goal, '')}".strip()
        row = found.setdefault(goal, GridRow(title, empty="no box ticked"))
        cell = row.cell(period_of(rating["report"]))
        ticked: str | None = rating.get("rating")
        if ticked:
            cell.items.append(RATING_WORDS.get(ticked, ticked))
    for change in changes:
        if change["kind"] == "sdg-changed" and change.get("goal") in found:
            detail = change.get("detail") or ""
            found[change["goal"]].cell(change["laterPeriod"]).marks.append(
                MARKS.get(detail, detail or "changed")
            )
    return [r for r in found.values() if any(c.items or c.marks for c in r.cells.values())]


def _events(events: Mapping[str, list[Row]], changes: list[Row]) -> list[GridRow]:
    """Three rows: the events each report lists as held, as planned, and the planned events
    of the report before that it does not list as held."""
    held, planned = GridRow("Held", empty="none listed"), GridRow("Planned", empty="none listed")
    missed = GridRow("Planned before, not held", empty="none")
    as_planned: dict[tuple[str, str], str] = {(c["laterPeriod"], c["subject"]): c["earlierPeriod"]
                  for c in changes if c["kind"] == "event-held"}  # fmt: skip
    for kind, row in (("past", held), ("planned", planned)):
        for event in events.get(kind, []):
            period, name = period_of(event["report"]), event.get("name") or "(no name)"
            earlier = as_planned.pop((period, name), "") if kind == "past" else ""
            row.cell(period).items.append(f"{name} (as planned in {earlier})" if earlier else name)
    for (period, name), earlier in as_planned.items():  # held under another name or date
        held.cell(period).marks.append(f"{name}: planned in {earlier}")
    for change in changes:
        if change["kind"] == "event-not-held":
            missed.cell(change["laterPeriod"]).items.append(change["subject"])
    return [held, planned, missed]


# -- a region -----------------------------------------------------------------------------------


def region_timeline(store: Queryable, partnerships: Sequence[Row], *, base: str) -> Grid | None:
    """A region's partnerships over time: one row per partnership (rows of
    ``page-region-partnerships``), its role in each half-year the partnership reported for;
    "not listed" where the partnership filed a report that leaves the region out, nothing
    where it filed none. None when no partnership lists the region."""
    if not partnerships:
        return None
    mine = {r["partnership"] for r in partnerships}
    filed = [r for r in rows(store, "reports", {}, base=base) if r["partnership"] in mine]
    periods = sorted({period_of(r["report"]) for r in [*filed, *partnerships]})
    found: dict[str, GridRow] = {}
    for r in sorted(partnerships, key=lambda r: (r.get("label") or r["partnership"]).casefold()):
        label = r.get("label") or r["partnership"]
        row = found.setdefault(r["partnership"], GridRow(label, r["partnership"], "", "no report"))
        _add_role(row.cell(period_of(r["report"])), r["role"].rsplit("#", 1)[-1])
    for report in filed:
        cell = found[report["partnership"]].cell(period_of(report["report"]))
        if not cell.items:
            cell.items.append("not listed")
            cell.css = "absent"
    grid = Grid([Column(p) for p in periods])
    grid.groups.append(("Partnerships", list(found.values())))
    return grid
