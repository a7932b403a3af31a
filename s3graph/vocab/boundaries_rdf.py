"""NUTS boundaries as GeoSPARQL: one named graph per NUTS version, with GISCO's attribution.

Why in the graph, and not in a file beside the store: the pages read everything through SPARQL
(in the query workers, and from a remote store that has no folder), the dumps copy the graph
whole, so a map drawn from a dump or a server is drawn from the same boundaries, and the notice
GISCO requires travels in the same graph as the geometry it covers.

Shape of the graph ``https://w3id.org/s3graph/graph/boundaries/{YEAR}``::

    <http://data.europa.eu/nuts/code/FI1D7> geo:hasGeometry <.../boundaries/2021/FI1D7> .
    <.../boundaries/2021/FI1D7> a geo:Geometry ;
        geo:asWKT "MULTIPOLYGON(((24.1 65.8, ...)))"^^geo:wktLiteral .
    <.../boundaries/2021> dcterms:title "NUTS 2021 boundaries at 1:20 million" ;
        dcterms:source <https://gisco-services.ec.europa.eu/...> ;
        dcterms:rights "© EuroGeographics for the administrative boundaries" ; ...

The region IRI is the Publications Office's NUTS code IRI (as in :mod:`.nuts_rdf`), shared by
every version; the geometry IRI names the version, so the boundaries of two versions never mix.
WKT literals carry no CRS IRI: CRS84 (longitude, latitude), the GeoSPARQL default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, GEO, RDF, RDFS

from s3graph.namespaces import NUTS_CODE
from s3graph.vocab.boundaries import (
    ATTRIBUTION,
    SOURCE_NOTE,
    TERMS,
    RegionShape,
    Shape,
    parse_wkt,
    per_level,
    to_wkt,
)

#: Prefix of the boundary graphs, one per NUTS version: ``{prefix}{YEAR}``.
BOUNDARIES_GRAPH_PREFIX = "https://w3id.org/s3graph/graph/boundaries/"
#: GISCO's scales, as its file names write them (``20M`` = 1:20 million).
SCALES: tuple[str, ...] = ("01M", "03M", "10M", "20M", "60M")


def boundaries_graph_iri(year: int) -> URIRef:
    """The named graph of the boundaries of NUTS ``year``."""
    return URIRef(f"{BOUNDARIES_GRAPH_PREFIX}{year}")


def geometry_iri(year: int, code: str) -> URIRef:
    """The geometry of region ``code`` in NUTS ``year``."""
    return URIRef(f"{BOUNDARIES_GRAPH_PREFIX}{year}/{code}")


def scale_words(scale: str | None) -> str:
    """``20M`` -> ``1:20 million``; an unknown scale (a user's file) -> ``a scale not stated``."""
    if scale is None or not scale[:-1].isdigit():
        return "a scale not stated"
    return f"1:{int(scale[:-1])} million"


def boundaries_graph(
    shapes: Sequence[RegionShape], year: int, *, source: str, scale: str | None
) -> Graph:
    """The boundary graph of NUTS ``year``: a geometry per region, and where it comes from."""
    graph = Graph(identifier=boundaries_graph_iri(year))
    graph.bind("geo", GEO)
    graph.bind("dcterms", DCTERMS)
    for shape in shapes:
        geometry = geometry_iri(year, shape.code)
        graph.add((NUTS_CODE[shape.code], GEO.hasGeometry, geometry))
        graph.add((geometry, RDF.type, GEO.Geometry))
        graph.add((geometry, GEO.asWKT, Literal(to_wkt(shape.polygons), datatype=GEO.wktLiteral)))
    about = graph.identifier
    title = f"NUTS {year} boundaries at {scale_words(scale)}"
    graph.add((about, DCTERMS.title, Literal(title, lang="en")))
    graph.add((about, DCTERMS.description, Literal(f"{title}: {per_level(shapes)}", lang="en")))
    graph.add((about, DCTERMS.source, _source_term(source)))
    graph.add((about, DCTERMS.rights, Literal(ATTRIBUTION, lang="en")))
    graph.add((about, DCTERMS.rightsHolder, Literal("EuroGeographics")))
    graph.add((about, DCTERMS.bibliographicCitation, Literal(SOURCE_NOTE, lang="en")))
    graph.add((about, RDFS.comment, Literal(TERMS, lang="en")))
    return graph


def _source_term(source: str) -> URIRef | Literal:
    """A downloaded file's URL as an IRI; a user's file by its name only (no local path)."""
    if source.startswith(("http://", "https://")):
        return URIRef(source)
    return Literal(source.replace("\\", "/").rsplit("/", 1)[-1])


@dataclass(frozen=True, slots=True)
class StoredBoundaries:
    """The boundaries of one NUTS version as the store holds them: shapes by code, and the
    notice and source to show under a map drawn from them."""

    year: int
    title: str
    attribution: str
    source: str
    shapes: dict[str, Shape]


def read_boundaries_graph(graph: Graph, year: int) -> StoredBoundaries:
    """A boundary graph (as :func:`boundaries_graph` writes it) read back into shapes."""
    about = boundaries_graph_iri(year)
    shapes: dict[str, Shape] = {}
    prefix = str(NUTS_CODE)
    for region, geometry in graph.subject_objects(GEO.hasGeometry):
        wkt = graph.value(geometry, GEO.asWKT)
        if wkt is not None and str(region).startswith(prefix):
            shapes[str(region).removeprefix(prefix)] = parse_wkt(str(wkt))
    return StoredBoundaries(
        year=year,
        title=str(graph.value(about, DCTERMS.title) or f"NUTS {year} boundaries"),
        attribution=str(graph.value(about, DCTERMS.rights) or ATTRIBUTION),
        source=str(graph.value(about, DCTERMS.source) or ""),
        shapes=shapes,
    )


__all__ = [
    "BOUNDARIES_GRAPH_PREFIX",
    "SCALES",
    "StoredBoundaries",
    "boundaries_graph",
    "boundaries_graph_iri",
    "geometry_iri",
    "read_boundaries_graph",
    "scale_words",
]
