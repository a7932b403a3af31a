"""A report's source file as the store keeps it: its bytes, so the report can be read again.

Judgements are a function of a report's text and of the reference data (NUTS, the registry), so
when the reference data changes every stored report is read again from these bytes
(:mod:`s3graph.judging`). They live in a named graph of their own, ``{report}/source-text``,
beside the report's graph: the node ``{report}/source`` (the source file of the report's
provenance) carries there its bytes as ``s3g:sourceBytes`` (``xsd:base64Binary``; our own
property: ``cnt:bytes`` of W3C Representing Content in RDF would type the node
``cnt:ContentAsBase64``, which a file is not) and its file name (the last path component only,
as in the report's graph).
"""

from __future__ import annotations

import base64

from rdflib import Literal, URIRef

from s3graph.mapping.triples import NamedTriples, Triple
from s3graph.rdf.namespaces import DCTERMS, S3G, XSD

#: The named graph of a report's source bytes is the report IRI with this suffix.
SOURCE_TEXT_SUFFIX = "/source-text"


def source_text_graph_iri(report_iri: str) -> URIRef:
    """``{report}/source-text``: the named graph holding the report's source bytes."""
    return URIRef(f"{report_iri}{SOURCE_TEXT_SUFFIX}")


def source_text_graph(
    report_iri: str, name: str, data: bytes, *, first_line: int = 1
) -> NamedTriples:
    """The graph of the source file ``name`` (its last component is kept) with bytes ``data``.

    A report cut out of a longer file (``--split``) keeps only its own bytes, and the number its
    first line has in the file (``s3g:sourceFirstLine``), so it is read again with the same line
    numbers.
    """
    source = URIRef(f"{report_iri}/source")
    encoded = base64.b64encode(data).decode("ascii")
    triples: list[Triple] = [
        (source, S3G.sourceBytes, Literal(encoded, datatype=XSD.base64Binary)),
        (source, DCTERMS.title, Literal(file_name(name))),
    ]
    if first_line != 1:
        triples.append((source, S3G.sourceFirstLine, Literal(first_line)))
    return NamedTriples(source_text_graph_iri(report_iri), triples)


def file_name(name: str) -> str:
    """The last component of a path as given, so no local directory leaks into the graph."""
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or name


__all__ = ["SOURCE_TEXT_SUFFIX", "file_name", "source_text_graph", "source_text_graph_iri"]
