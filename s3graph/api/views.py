"""The data behind the HTML pages and the RDF descriptions, read with the ``page-*`` queries.

Every function runs named queries (``queries/*.rq``) with bound parameters through
:func:`s3graph.sparql.run_query` and returns plain rows (dicts of strings, integers for
``xsd:integer``), ready for a Jinja2 template or an SVG drawing. No SPARQL text lives here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from typing import Any

import pyoxigraph as ox

from s3graph.model import SDG_RATINGS
from s3graph.rdf.namespaces import DCTERMS, PREFIXES, RDF, RDFS, SCHEMA, SKOS, XSD
from s3graph.rdf.namespaces import S3G as S3G  # the pages key their templates by class IRI
from s3graph.sparql import NamedQuery, Queryable, load_query, plain, run_query
from s3graph.store import Term

Row = dict[str, Any]

_XSD_INTEGER = XSD.iri("integer")
RDF_TYPE = RDF.iri("type")
LABELS = (SKOS.iri("prefLabel"), RDFS.iri("label"), SCHEMA.iri("name"), DCTERMS.iri("title"))


@cache
def _query(name: str) -> NamedQuery:
    return load_query(name)


def value(term: Term | None) -> Any:
    """A term as a template shows it: ``int`` for xsd:integer, else its plain string."""
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD_INTEGER:
        try:
            return int(term.value)
        except ValueError:
            return term.value
    return plain(term) if term is not None else None


def rows(store: Queryable, name: str, params: Mapping[str, str], *, base: str) -> list[Row]:
    """The rows of the named query ``name`` as dicts of plain values."""
    result = run_query(store, _query(name), params, base=base)
    return [
        {column: value(term) for column, term in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]


# -- one resource ------------------------------------------------------------------------------


@dataclass
class Description:
    """A resource's outgoing triples plus the labels of the resources they link to."""

    iri: str
    triples: list[ox.Triple] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(_value(t.subject) == self.iri for t in self.triples)

    def objects(self, prop: str) -> list[str]:
        return [plain(t.object) for t in self.triples if _is(t, self.iri, prop)]

    def types(self) -> set[str]:
        return set(self.objects(RDF_TYPE))

    def labels(self) -> dict[str, str]:
        """The smallest label of each resource described, by IRI."""
        found: dict[str, str] = {}
        for t in self.triples:
            if t.predicate.value in LABELS and isinstance(t.object, ox.Literal):
                key = _value(t.subject)
                if key is None:
                    continue
                if key not in found or t.object.value < found[key]:
                    found[key] = t.object.value
        return found

    def label(self) -> str:
        return self.labels().get(self.iri, self.iri.rstrip("/").rsplit("/", 1)[-1])

    def statements(self) -> list[tuple[str, Any, bool]]:
        """``(property, value, is_iri)`` of the resource's own triples, in query order."""
        return [
            (t.predicate.value, value(t.object), isinstance(t.object, ox.NamedNode))
            for t in self.triples
            if _value(t.subject) == self.iri
        ]


def _is(t: ox.Triple, subject: str, prop: str) -> bool:
    return _value(t.subject) == subject and t.predicate.value == prop


def _value(node: ox.NamedNode | ox.BlankNode | ox.Triple) -> str | None:
    """The IRI or blank node id of a subject; None for a quoted triple, which has neither."""
    return None if isinstance(node, ox.Triple) else node.value


def describe(store: Queryable, iri: str, *, base: str) -> Description:
    """The description of ``iri`` (empty, and false, when the store says nothing about it)."""
    result = run_query(store, _query("page-describe"), {"resource": iri}, base=base)
    seen: set[ox.Triple] = set()
    triples: list[ox.Triple] = []
    for resource, prop, obj, label_prop, label in result.rows:
        candidates = [(resource, prop, obj)]
        if label_prop is not None and label is not None:
            candidates.append((obj, label_prop, label))
        for s, p, o in candidates:
            triple = ox.Triple(s, p, o)  # type: ignore[arg-type]
            if triple not in seen:
                seen.add(triple)
                triples.append(triple)
    return Description(iri, triples)


def serialise(description: Description, rdf_format: ox.RdfFormat, *, base: str) -> bytes:
    """The description in an RDF syntax, with the house prefixes (and ``base:`` for the data)."""
    prefixes = {**PREFIXES, "data": base}
    data = ox.serialize(description.triples, format=rdf_format, prefixes=prefixes)
    assert data is not None  # no output given: pyoxigraph returns the bytes
    return data


# -- synthetic examples ------------------------------------------------------------------------


def synthetic(store: Queryable, *, base: str, shown: Iterable[str | None] | None = None) -> Row:
    """The synthetic example reports a page shows data of (``page-synthetic``), for its notice.

    ``shown`` are the reports the page draws on (None: the whole graph, as the home page and the
    cross-partnership view do). The page gets ``synthetic`` (rows: report, partnership, period)
    to name them in a notice, and ``synthetic_reports`` (their IRIs) to badge each mention.
    """
    return _only(rows(store, "page-synthetic", {}, base=base), shown)


def _only(found: list[Row], shown: Iterable[str | None] | None) -> Row:
    if shown is not None:
        wanted = set(shown)
        found = [r for r in found if r["report"] in wanted]
    return {"synthetic": found, "synthetic_reports": {r["report"] for r in found}}


def reports_under(iri: str, reports: Iterable[str]) -> list[str]:
    """Those of ``reports`` that ``iri`` is, or is a part of (``{report}/...``)."""
    return [r for r in reports if iri == r or iri.startswith(r + "/")]


# -- judgements older than the reference data ----------------------------------------------------


def stale(
    store: Queryable, *, base: str, digest: str | None, shown: Iterable[str] | None = None
) -> Row:
    """The reports (of ``shown``, or all) whose judgements were made against other reference
    data than that in force (``digest``), for the page's notice (none when ``digest`` is None),
    and what each was judged against (``judged``: report, digest, nuts)."""
    found = rows(store, "page-judgements", {}, base=base)
    wanted = None if shown is None else set(shown)
    mine = [r for r in found if wanted is None or r["report"] in wanted]
    return {
        "stale": [r for r in mine if digest is not None and r["digest"] != digest],
        "judged": mine,
    }


# -- pages -------------------------------------------------------------------------------------


def home(store: Queryable, *, base: str, digest: str | None = None) -> dict[str, Any]:
    counts = rows(store, "stats", {}, base=base)
    platforms: dict[str, list[Row]] = {}
    for row in rows(store, "page-platforms", {}, base=base):
        platforms.setdefault(row["platformLabel"] or "No platform in the registry", []).append(row)
    from s3graph.api.changeview import home_changes  # it reads its rows with this module's

    return {
        "counts": counts[0] if counts else {},
        "platforms": platforms,
        **home_changes(store, base=base),
        **synthetic(store, base=base),
        **stale(store, base=base, digest=digest),
    }


def partnership(store: Queryable, iri: str, *, base: str) -> dict[str, Any]:
    params = {"partnership": iri}
    data: dict[str, Any] = {
        "regions": rows(store, "regions-of-partnership", params, base=base),
        "reports": rows(store, "reports", params, base=base),
        "events": events(rows(store, "page-events", params, base=base)),
        "sdg": rows(store, "sdg-profile", params, base=base),
        "collaborations": rows(store, "collaborations", params, base=base),
        "mentioned_by": [
            r for r in rows(store, "collaborations", {}, base=base) if r["other"] == iri
        ],
    }
    listed = [*data["reports"], *data["events"]["past"], *data["events"]["planned"],
              *data["collaborations"], *data["mentioned_by"]]  # fmt: skip
    shown = [r["report"] for r in listed]
    data["sdg_goals"] = sdg_goals(data["sdg"], goal_titles(store, base=base))
    from s3graph.api.mapview import partnership_map  # it reads its rows with this module's

    data["region_map"] = partnership_map(store, data["regions"], data["reports"], base=base)
    from s3graph.api.timeline import partnership_timeline  # over time, read like the map

    data.update(partnership_timeline(store, iri, data, base=base))
    return {**data, **synthetic(store, base=base, shown=shown)}


def events(found: list[Row]) -> dict[str, list[Row]]:
    """The events of ``page-events`` apart by kind (past, planned), each in the query's order:
    by parsed date, the undated after with their date as written."""
    return {kind: [r for r in found if r["kind"] == kind] for kind in ("past", "planned")}


def region(store: Queryable, iri: str, *, base: str) -> dict[str, Any]:
    """A region's partnerships, each with what its report stated (name, code, line) and the
    judgements on that statement (``page-region-judgements``), and its NUTS hierarchy."""
    params = {"region": iri}
    flags: dict[str, list[Row]] = {}
    for judged in rows(store, "page-region-judgements", params, base=base):
        if judged["rule"]:
            flags.setdefault(judged["membership"], []).append(judged)
    partnerships = [
        {**r, "judgements": flags.get(r["membership"], [])}
        for r in rows(store, "page-region-partnerships", params, base=base)
    ]
    from s3graph.api.timeline import region_timeline  # it reads its rows with this module's

    return {
        "partnerships": partnerships,
        "region_timeline": region_timeline(store, partnerships, base=base),
        "nuts": rows(store, "page-region-nuts", params, base=base),
        **synthetic(store, base=base, shown=[r["report"] for r in partnerships]),
    }


def report(store: Queryable, iri: str, *, base: str, digest: str | None = None) -> dict[str, Any]:
    """A report's page: its members, validation, and every answer of its form as parsed.

    Free-text answers come as paragraphs (``page-report-answers``); the form's tables come as
    their parsed rows, never as the answer's text, which keeps the form's markup (tab-separated
    cells, empty rows, radio buttons): working areas (``page-report-working-areas``), events
    (``page-events``, past and planned apart, by parsed date) and the SDG matrix
    (``page-report-sdg``, one row per goal, with its title and the rating as a word).
    """
    from s3graph.api.changeview import report_changes  # it reads its rows with this module's

    params = {"report": iri}
    validation = rows(store, "page-report-validation", params, base=base)
    found = events(rows(store, "page-events", params, base=base))
    tables: dict[str, list[Row]] = {
        "working_areas": rows(store, "page-report-working-areas", params, base=base),
        "past_events": found["past"],
        "planned_events": found["planned"],
        "sdg": sdg_goals(
            rows(store, "page-report-sdg", params, base=base), goal_titles(store, base=base)
        ),
    }
    answers = [answer(r) for r in rows(store, "page-report-answers", params, base=base)]
    asked = {a["key"] for a in answers}
    # a table parsed although its question has no node (never from ingest; kept visible)
    answers += [
        answer({"question": S3G + "question-" + key, "answered": True})
        for key, found_rows in tables.items()
        if found_rows and key not in asked
    ]
    return {
        "answers": answers,
        "tables": tables,
        "members": rows(store, "page-report-memberships", params, base=base),
        "conforms": validation[0]["conforms"] if validation else None,
        "validation": [r for r in validation if r["result"]],
        "report_changes": report_changes(store, iri, base=base),
        **synthetic(store, base=base, shown=[iri]),
        **stale(store, base=base, digest=digest, shown=[iri]),
    }


#: A rating concept (``s3g:strongly-agree``) as the form's column names it ("Strongly agree").
RATING_WORDS = {S3G + label.casefold().replace(" ", "-"): label for label in SDG_RATINGS}


def goal_titles(store: Queryable, *, base: str) -> dict[str, str]:
    """The short English title of each SDG (``page-sdg-goals``), by the goal's IRI."""
    return {r["goal"]: r["title"] for r in rows(store, "page-sdg-goals", {}, base=base)}


def sdg_goals(found: list[Row], titles: Mapping[str, str]) -> list[Row]:
    """Rows of ``page-report-sdg`` (or ``sdg-profile``) one per goal, in the rows' order: its
    number, title and ``ratings``, the ratings given as words (none when the goal was left
    unticked, two when ticked twice), each with its count of ``reports`` if the rows have one."""
    goals: dict[str, Row] = {}
    for row in found:
        number = row.get("number") or int(row["goal"].rsplit("/", 1)[-1])
        goal = goals.setdefault(
            row["goal"],
            {**row, "number": number, "title": titles.get(row["goal"], ""), "ratings": []},
        )
        if row["rating"]:
            word = RATING_WORDS.get(row["rating"], row["rating"])
            goal["ratings"].append({"word": word, "reports": row.get("reports")})
    return list(goals.values())


#: Headings the question's key does not spell well by itself.
_HEADINGS = {
    "sdg": "Sustainable Development Goals",
    "eu13_involvement": "EU13 involvement",
    "non_eu_involvement": "Non-EU involvement",
}


def answer(row: Row) -> Row:
    """One answer of ``page-report-answers`` as the page shows it: the question's key and a
    heading made of it, and its text as blocks (paragraphs, lists) or, for a table, its key."""
    key = row["question"].rsplit("#question-", 1)[-1]
    text = row.get("value")
    return {
        "key": key,
        "heading": _HEADINGS.get(key) or key.replace("_", " ").capitalize(),
        "line": row.get("line"),
        "answered": row.get("answered") in (True, "true"),
        "blocks": blocks(text) if text else [],
    }


_BULLET = re.compile(r"^\s*[-*\u2022\u2013]\s+")


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """A narrative answer as the reporter laid it out: paragraphs where the text has blank lines,
    inside one a list where its lines start with a bullet (``-``, ``*``, ``\u2022``), else
    lines kept as lines. Each block is ``("p", lines)`` or ``("ul", items)``."""
    found: list[tuple[str, list[str]]] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        for is_list, group in groupby(
            (line.strip() for line in paragraph.splitlines() if line.strip()),
            key=lambda line: bool(_BULLET.match(line)),
        ):
            lines = list(group)
            if is_list:
                found.append(("ul", [_BULLET.sub("", line, count=1) for line in lines]))
            else:
                found.append(("p", lines))
    return found


def resource(store: Queryable, description: Description, *, base: str) -> dict[str, Any]:
    """Any other resource: flagged when a synthetic report states it, holds it or links to it."""
    found = rows(store, "page-synthetic", {}, base=base)
    if not found:
        return _only(found, None)
    graphs = rows(store, "page-graphs", {"resource": description.iri}, base=base)
    reports = [r["report"] for r in found]
    parts = [p for g in [description.iri, *(r["graph"] for r in graphs)]
             for p in reports_under(g, reports)]  # fmt: skip
    linked = [o for _, o, is_iri in description.statements() if is_iri]
    return _only(found, [*parts, *linked])
