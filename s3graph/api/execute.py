"""Running one SPARQL query in a query worker: dataset, row cap, negotiation, serialisation.

:func:`handle_job` is what every query worker does with a :class:`QueryJob` (see
:mod:`s3graph.querypool`): it evaluates the query on the worker's store, picks the media type for
the kind of result the query gives (``Accept`` against the offers), and writes at most
``max_rows`` rows. SPARQL JSON and CSV solutions are written by pyoxigraph, cut at ``max_rows``
as they are written (:mod:`s3graph.api.capped`); XML and TSV, where s3graph writes some values
differently, and the rare JSON result whose rows the cut cannot count exactly, row by row by the
writers of :mod:`s3graph.rdf.results`.
Jobs and outcomes are plain picklable data: they cross from the server to the worker and back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from s3graph.api import capped
from s3graph.rdf.formats import RDF_TYPES, RESULT_TYPES, negotiate
from s3graph.rdf.results import JsonWriter, writer_for
from s3graph.store import GraphStore, QueryDataset, QueryResults, Store, Term

__all__ = ["NotAcceptable", "QueryJob", "QueryOutcome", "handle_job", "kind_of", "warm_up"]

JSON_RESULTS = "application/sparql-results+json"


class NotAcceptable(ValueError):
    """No offered media type for this kind of result matches the request's ``Accept``."""

    def __init__(self, accept: str | None, offered: Sequence[str]) -> None:
        super().__init__(accept, tuple(offered))
        self.accept = accept
        self.offered = tuple(offered)

    def __str__(self) -> str:
        return f"Accept {self.accept!r} matches none of: {', '.join(self.offered)}"


@dataclass(frozen=True, slots=True)
class QueryJob:
    """One query to run: its text, dataset, bound variables, wanted formats and row cap.

    ``offers`` maps each kind of result (:func:`kind_of`) to the media types offered for it, in
    order of preference; ``accept`` is the request's ``Accept`` header.
    """

    text: str
    accept: str | None = JSON_RESULTS
    offers: Mapping[str, Sequence[str]] = field(
        default_factory=lambda: {"solutions": [JSON_RESULTS], "boolean": [JSON_RESULTS]}
    )
    max_rows: int | None = None
    dataset: QueryDataset | None = None
    base_iri: str | None = None
    substitutions: Mapping[str, Term] | None = None


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    """Serialised results: the body, its media type and whether rows were cut."""

    body: bytes
    media_type: str
    truncated: bool = False


def kind_of(results: object) -> str:
    """``"solutions"``, ``"boolean"`` or ``"graph"``: which table of media types applies."""
    if isinstance(results, ox.QuerySolutions):
        return "solutions"
    if isinstance(results, ox.QueryBoolean):
        return "boolean"
    return "graph"


def handle_job(store: GraphStore, job: QueryJob) -> QueryOutcome:
    """Evaluate ``job`` on ``store`` and serialise its results (in a query worker).

    Raises :class:`SyntaxError` for a malformed query, :class:`NotAcceptable` when the request
    accepts no format offered for the kind of result.
    """
    results = _evaluate(store, job)
    kind = kind_of(results)
    offered = job.offers.get(kind, ())
    media_type = negotiate(job.accept, list(offered)) if offered else None
    if media_type is None:
        raise NotAcceptable(job.accept, offered)
    max_rows = job.max_rows if job.max_rows is not None else -1
    if isinstance(results, ox.QueryBoolean):
        return QueryOutcome(_bytes(results.serialize(format=RESULT_TYPES[media_type])), media_type)
    if isinstance(results, ox.QuerySolutions):
        if capped.writes(media_type, max_rows):
            written = capped.serialize(results, media_type, max_rows)
            if written is not None:
                return QueryOutcome(written.body, media_type, written.truncated)
            again = _evaluate(store, job)  # the first run's solutions are spent
            assert isinstance(again, ox.QuerySolutions)
            results = again
        return _solutions(results, media_type, max_rows)
    triples: list[ox.Triple] = []
    for triple in results:
        if len(triples) == max_rows:
            body = _bytes(ox.serialize(triples, format=RDF_TYPES[media_type]))
            return QueryOutcome(body, media_type, truncated=True)
        triples.append(triple)
    return QueryOutcome(_bytes(ox.serialize(triples, format=RDF_TYPES[media_type])), media_type)


def _evaluate(store: GraphStore, job: QueryJob) -> QueryResults:
    return store.query(job.text, job.substitutions, dataset=job.dataset, base_iri=job.base_iri)


def _bytes(data: bytes | None) -> bytes:
    """The result of a pyoxigraph ``serialize`` called without an output: always the bytes."""
    assert data is not None
    return data


def _solutions(results: ox.QuerySolutions, media_type: str, max_rows: int) -> QueryOutcome:
    writer = writer_for(media_type)
    names = [variable.value for variable in results.variables]
    parts = [writer.head(names)]
    truncated = False
    for count, solution in enumerate(results):
        if count == max_rows:
            truncated = True
            break
        parts.append(writer.row(solution))
    if truncated and isinstance(writer, JsonWriter):
        # A cut is said in a top-level member, which SPARQL JSON results allow and clients
        # ignore when they don't know it.
        writer.members.append(capped.truncation_member(max_rows))
    parts.append(writer.tail())
    return QueryOutcome("".join(parts).encode(), media_type, truncated)


def warm_up() -> None:
    """Run each kind of job once on an empty store: what loads lazily is loaded (in the zygote)."""
    from pathlib import Path

    empty = Store(ox.Store(), Path("warm-up"), read_only=True, in_memory=True)
    offers = {"solutions": [JSON_RESULTS], "boolean": [JSON_RESULTS], "graph": list(RDF_TYPES)}
    for text in ("ASK { ?s ?p ?o }", "SELECT * { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"):
        handle_job(empty, QueryJob(text, accept=None, offers=offers))
