"""Query results as a table people read: pure functions from solutions and labels to cells.

The HTML views of ``/api/queries/NAME``, ``/sparql`` and ``/query`` show an IRI by what it is
called (its label in the store, an ``s3g:`` term's label in the vocabulary, an SDG goal as
"Goal 1: No poverty"), else by a prefixed name, linked to its page when the site serves one. The
full IRI stays in the cell's title, and each cell carries the key the sorting script orders by
(numbers as numbers, goals by their number), so the table also reads and sorts without it.

Nothing here queries or renders: the caller fetches the labels (the named query ``page-labels``,
once for all the IRIs of a page: :func:`labels_query`) and hands the :class:`ResultView` to a
template.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from s3graph.rdf.graphs import Term
from s3graph.rdf.namespaces import RDFS, SKOS, XSD

__all__ = [
    "Cell",
    "ErrorPlace",
    "Namer",
    "ResultView",
    "best_labels",
    "cell",
    "error_place",
    "goal_number",
    "iris_of",
    "labels_query",
    "result_view",
    "triples_as_rows",
    "values_clause",
]

#: A SDG goal as the UN names it; its number is the last segment.
_GOAL = re.compile(r"http://metadata\.un\.org/sdg/(?P<number>[0-9]{1,2})")
#: A NUTS region as Eurostat names it; its code is the last segment.
_NUTS = re.compile(r"http://data\.europa\.eu/nuts/code/(?P<code>[A-Z]{2}[0-9A-Z]{0,3})")
#: Label properties, most wanted first; a goal's rdfs:label ("Goal 1: No poverty") beats its
#: skos:prefLabel (the goal's long statement).
_PREFERRED = (SKOS.iri("prefLabel"), RDFS.iri("label"))
_GOAL_PREFERRED = (RDFS.iri("label"), SKOS.iri("prefLabel"))
_NUMBERS = {XSD.iri(t) for t in ("integer", "decimal", "double", "float", "int", "long")}


class Namer(Protocol):
    """Turns IRIs into local links and short names (the pages' ``Site``)."""

    def href(self, iri: str | None) -> str: ...

    def short(self, iri: str | None) -> str: ...


@dataclass(frozen=True, slots=True)
class Cell:
    """One value as shown: its text, where it links, what hovering says, how it sorts."""

    text: str
    href: str | None = None
    title: str | None = None
    lang: str | None = None
    #: The key the sorting script orders by (a number for numbers and goals).
    sort: str = ""
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class ResultView:
    """A SELECT result ready for the table: the columns, the rows of cells, and any cut."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    truncated: bool = False
    max_rows: int | None = None

    @property
    def count(self) -> int:
        return len(self.rows)


def goal_number(iri: str) -> int | None:
    """The number of a SDG goal IRI (``http://metadata.un.org/sdg/3`` -> 3), else None."""
    found = _GOAL.fullmatch(iri)
    return int(found["number"]) if found else None


def iris_of(rows: Iterable[Sequence[Term | None]]) -> list[str]:
    """Every distinct IRI among the values of ``rows``, in the order first seen."""
    seen: dict[str, None] = {}
    for row in rows:
        for term in row:
            if isinstance(term, ox.NamedNode):
                seen.setdefault(term.value, None)
    return list(seen)


def values_clause(iris: Iterable[str]) -> str:
    """``VALUES ?resource { ... }``: the block that limits the labels query to ``iris``."""
    return "VALUES ?resource { " + " ".join(str(ox.NamedNode(iri)) for iri in iris) + " }"


def labels_query(text: str, iris: Iterable[str]) -> str:
    """The labels query ``text`` (``page-labels``) for ``iris`` only: their VALUES block first
    in its WHERE, so each IRI's own triples are read (after the query, the block would be
    joined only once every label in the store was found)."""
    head, where, body = text.partition("WHERE {")
    if not where:
        raise ValueError("the labels query has no 'WHERE {'")
    return f"{head}{where}\n  {values_clause(iris)}{body}"


def best_labels(found: Iterable[tuple[str, str, str, str]]) -> dict[str, str]:
    """One label per resource from ``(resource, property, label, language)`` rows.

    skos:prefLabel before rdfs:label (the other way round for a SDG goal) before the others,
    then English before no language before any other (NUTS names its regions in their own
    languages), then the smallest text: the choice never depends on the order of the rows.
    """
    ranked: dict[str, tuple[tuple[int, int, str], str]] = {}
    for resource, prop, label, language in found:
        order = _GOAL_PREFERRED if goal_number(resource) is not None else _PREFERRED
        tag = language.lower()
        rank = (
            order.index(prop) if prop in order else len(order),
            0 if tag == "en" or tag.startswith("en-") else 1 if not tag else 2,
            label,
        )
        if resource not in ranked or rank < ranked[resource][0]:
            ranked[resource] = (rank, label)
    return {resource: label for resource, (_, label) in ranked.items()}


def cell(term: Term | None, labels: Mapping[str, str], site: Namer) -> Cell:
    """How ``term`` is shown: an IRI by its label or prefixed name, linked; a value as it is."""
    if term is None:
        return Cell("")
    if isinstance(term, ox.NamedNode):
        return _iri_cell(term.value, labels, site)
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}", sort=term.value)
    if isinstance(term, ox.Triple):
        parts = (cell(t, labels, site).text for t in (term.subject, term.predicate, term.object))
        text = "<< " + " ".join(parts) + " >>"
        return Cell(text, sort=text)
    if term.datatype.value in _NUMBERS and _is_number(term.value):
        return Cell(term.value, title=term.datatype.value, sort=term.value, numeric=True)
    return Cell(term.value, lang=term.language or None, sort=term.value.casefold())


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _iri_cell(iri: str, labels: Mapping[str, str], site: Namer) -> Cell:
    number = goal_number(iri)
    label = labels.get(iri)
    if number is not None:
        text = label if label and label.startswith("Goal") else _goal_text(number, label)
        return Cell(text, href=site.href(iri), title=iri, sort=str(number), numeric=True)
    code = _NUTS.fullmatch(iri)
    text = label or site.short(iri)
    if code and label:
        text = f"{label} ({code['code']})"
    return Cell(text, href=site.href(iri), title=iri, sort=text.casefold())


def _goal_text(number: int, label: str | None) -> str:
    return f"Goal {number}: {label}" if label else f"Goal {number}"


#: Where the SPARQL parser says a query went wrong: ``error at 3:14: expected ...``.
_ERROR_AT = re.compile(r"\berror at (?P<line>[0-9]+):(?P<column>[0-9]+)\b")


@dataclass(frozen=True, slots=True)
class ErrorPlace:
    """The line of a query where the parser stopped, and the column (1-based) it points at."""

    line: int
    column: int
    text: str

    @property
    def before(self) -> str:
        return self.text[: self.column - 1]

    @property
    def after(self) -> str:
        return self.text[self.column - 1 :]


def error_place(message: str, query: str) -> ErrorPlace | None:
    """The place a parser's ``message`` names in ``query``, to show the reader that line."""
    found = _ERROR_AT.search(message)
    if not found:
        return None
    lines = query.splitlines()
    line, column = int(found["line"]), int(found["column"])
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    return ErrorPlace(line, min(max(column, 1), len(text) + 1), text)


def result_view(
    columns: Sequence[str],
    rows: Iterable[Sequence[Term | None]],
    labels: Mapping[str, str],
    site: Namer,
    *,
    truncated: bool = False,
    max_rows: int | None = None,
) -> ResultView:
    """The table of a SELECT result: one cell per value, each IRI named by ``labels``."""
    made: dict[Term | None, Cell] = {}  # rows repeat terms: each cell is made once

    def shown_as(term: Term | None) -> Cell:
        found = made.get(term)
        if found is None:
            found = made[term] = cell(term, labels, site)
        return found

    shown = tuple(tuple(shown_as(term) for term in row) for row in rows)
    return ResultView(tuple(columns), shown, truncated=truncated, max_rows=max_rows)


def triples_as_rows(triples: Iterable[ox.Triple]) -> list[list[Term | None]]:
    """A graph (CONSTRUCT, DESCRIBE) as the rows of a subject, predicate, object table."""
    return [[t.subject, t.predicate, t.object] for t in triples]
