"""Running a SPARQL query for the web: dataset, row cap, cancellation and serialisation.

This runs in a worker thread (see :mod:`s3graph.api.sparql`). Rows are pulled one by one, so a
cancelled query (its client timed out) stops at the next row and a result beyond ``max_rows`` is
cut. Solutions are written here as SPARQL JSON results, each term's JSON once per response (rows
repeat terms); the other result formats are pyoxigraph's serialisers fed with that JSON
(``parse_query_results``), since pyoxigraph cannot serialise a list of solutions directly.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_string
from typing import Any

import pyoxigraph as ox

from s3graph.api.negotiation import RDF_TYPES, RESULT_TYPES
from s3graph.store import QueryDataset, Store

__all__ = ["Cancelled", "QueryOutcome", "kind_of", "run_query"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Cancelled(Exception):
    """The query was abandoned (its client's time ran out)."""


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


def run_query(
    store: Store,
    text: str,
    *,
    dataset: QueryDataset | None,
    base_iri: str | None,
    choose: Any,
    max_rows: int,
    cancel: threading.Event,
) -> QueryOutcome:
    """Evaluate ``text`` and serialise the results in the media type ``choose(kind)`` returns.

    ``choose`` receives the kind of the results (see :func:`kind_of`) and returns a media type
    of :data:`RESULT_TYPES` or :data:`RDF_TYPES`, or raises to refuse. Raises
    :class:`SyntaxError` for a malformed query and :class:`Cancelled` when ``cancel`` is set.
    """
    try:
        return _run(store, text, dataset, base_iri, choose, max_rows, cancel)
    except Exception as exc:
        # pyoxigraph's results must be dropped on this thread: forget the frames that hold them
        raise exc.with_traceback(None) from None


def _run(
    store: Store,
    text: str,
    dataset: QueryDataset | None,
    base_iri: str | None,
    choose: Any,
    max_rows: int,
    cancel: threading.Event,
) -> QueryOutcome:
    results = store.query(text, dataset=dataset, base_iri=base_iri)
    media_type: str = choose(kind_of(results))
    if isinstance(results, ox.QueryBoolean):
        return QueryOutcome(_bytes(results.serialize(format=RESULT_TYPES[media_type])), media_type)
    if isinstance(results, ox.QuerySolutions):
        return _solutions(results, media_type, max_rows, cancel)
    triples: list[ox.Triple] = []
    for triple in results:
        if cancel.is_set():
            raise Cancelled
        if len(triples) == max_rows:
            body = _bytes(ox.serialize(triples, format=RDF_TYPES[media_type]))
            return QueryOutcome(body, media_type, truncated=True)
        triples.append(triple)
    return QueryOutcome(_bytes(ox.serialize(triples, format=RDF_TYPES[media_type])), media_type)


def _bytes(data: bytes | None) -> bytes:
    """The result of a pyoxigraph ``serialize`` called without an output: always the bytes."""
    assert data is not None
    return data


def _solutions(
    results: ox.QuerySolutions, media_type: str, max_rows: int, cancel: threading.Event
) -> QueryOutcome:
    names = [variable.value for variable in results.variables]
    keys = [_json_string(name) + ":" for name in names]
    written: dict[Any, str] = {}  # term -> its JSON: terms repeat across rows
    bindings: list[str] = []
    truncated = False
    for solution in results:
        if cancel.is_set():
            raise Cancelled
        if len(bindings) == max_rows:
            truncated = True
            break
        members = []
        for key, value in zip(keys, solution, strict=True):
            if value is not None:
                term = written.get(value)
                if term is None:
                    term = written[value] = _json_term(value)
                members.append(key + term)
        bindings.append("{" + ",".join(members) + "}")
    head = ",".join(_json_string(name) for name in names)
    document = f'{{"head":{{"vars":[{head}]}},"results":{{"bindings":[{",".join(bindings)}]}}'
    if media_type == "application/sparql-results+json":
        # A cut is said in a top-level member, which SPARQL JSON results allow and clients
        # ignore when they don't know it.
        if truncated:
            document += f',"s3graph":{{"truncated":true,"maxRows":{max_rows}}}'
        return QueryOutcome((document + "}").encode(), media_type, truncated)
    parsed = ox.parse_query_results((document + "}").encode(), format=ox.QueryResultsFormat.JSON)
    return QueryOutcome(
        _bytes(parsed.serialize(format=RESULT_TYPES[media_type])), media_type, truncated
    )


def _json_term(term: Any) -> str:
    """The SPARQL JSON results object of ``term``, written compactly (as ``json.dumps`` would)."""
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _json_string(term.value) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type":"bnode","value":' + _json_string(term.value) + "}"
    if isinstance(term, ox.Literal):
        value = '{"type":"literal","value":' + _json_string(term.value)
        if term.language:
            return value + ',"xml:lang":' + _json_string(term.language) + "}"
        datatype = term.datatype.value
        if datatype != _XSD_STRING:
            return value + ',"datatype":' + _json_string(datatype) + "}"
        return value + "}"
    subject, predicate, object_ = (
        _json_term(t) for t in (term.subject, term.predicate, term.object)
    )
    return (
        f'{{"type":"triple","value":{{"subject":{subject},"predicate":{predicate},'
        f'"object":{object_}}}}}'
    )
