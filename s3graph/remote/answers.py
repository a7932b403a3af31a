"""A SPARQL server's answers as the pyoxigraph results the embedded store gives.

What to ask for (:func:`accept_for`: one type per query form, since Virtuoso heeds only the first
type of an ``Accept`` header) and how to read what came (:func:`read_answer`): SPARQL results in
JSON (mended first where the server deviates, :func:`s3graph.remote.presets.mend_json`), XML or
TSV; triples in N-Triples, Turtle or RDF/XML, handed over as the ``QueryTriples`` of a CONSTRUCT.
"""

from __future__ import annotations

import pyoxigraph as ox

from s3graph.remote.binding import query_form
from s3graph.remote.presets import Preset, mend_json

__all__ = ["QueryResults", "accept_for", "read_answer"]

QueryResults = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

_RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def accept_for(preset: Preset, text: str) -> str:
    """The ``Accept`` header for the query ``text``: triples for CONSTRUCT and DESCRIBE."""
    if query_form(text) in ("CONSTRUCT", "DESCRIBE"):
        return preset.triples_accept
    return preset.results_accept


def read_answer(preset: Preset, content_type: str, data: bytes) -> QueryResults | None:
    """The results in ``data``, sent as ``content_type``; None for a format not read here."""
    media = content_type.split(";")[0].strip().lower()
    if media in _RESULTS_FORMATS:
        if media == "application/sparql-results+json":
            data = mend_json(preset, data)
        return ox.parse_query_results(data, _RESULTS_FORMATS[media])
    if media in _GRAPH_FORMATS:
        return _as_query_triples(data, _GRAPH_FORMATS[media])
    return None


def _as_query_triples(data: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """Triples the server sent, as the ``QueryTriples`` the embedded store's CONSTRUCT gives."""
    holder = ox.Store()
    holder.bulk_load(data, format=fmt)
    results = holder.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(results, ox.QueryTriples)
    return results
