"""The graph of every corpus report conforms to the structural shapes of shapes/graph.ttl."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from s3graph.mapping import to_graph
from s3graph.namespaces import S3G
from s3graph.parse import parse_file

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _conforms(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, str, set[str]]:
    conforms, results, text = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    paths = {str(p) for p in results.objects(None, SH.resultPath)}
    return bool(conforms), str(text), paths


def test_corpus_graphs_conform(corpus_files, graph_shapes: Graph, ontology_graph: Graph) -> None:
    for case in corpus_files:
        graph = to_graph(parse_file(Path(case.txt)), ingested_at=NOW)
        conforms, text, _ = _conforms(graph, graph_shapes, ontology_graph)
        assert conforms, f"{case.txt}:\n{text}"


def test_a_broken_graph_is_reported(
    corpus_files, graph_shapes: Graph, ontology_graph: Graph
) -> None:
    graph = to_graph(parse_file(Path(corpus_files[0].txt)), ingested_at=NOW)
    report = next(graph.subjects(S3G.partnership, None))
    graph.add((report, S3G.partnership, URIRef("https://w3id.org/s3graph/partnership/other")))
    sdg = next(graph.subjects(S3G.goal, None))
    graph.set((sdg, S3G.goal, URIRef("http://metadata.un.org/sdg/18")))
    graph.add((sdg, S3G.sourceLine, Literal("x")))
    conforms, _, paths = _conforms(graph, graph_shapes, ontology_graph)
    assert not conforms
    assert paths == {str(S3G.partnership), str(S3G.goal), str(S3G.sourceLine)}
