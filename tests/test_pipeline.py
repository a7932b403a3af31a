"""The one per-report pipeline (parse, link, map, validate) that parse, validate and ingest run."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from rdflib import Graph

from s3graph.linking.links import Linker
from s3graph.mapping import to_triples
from s3graph.mapping.links import to_linked_triples
from s3graph.parse import parse_file
from s3graph.pipeline import Pipeline, as_rdflib
from s3graph.validate import validate_graph

BASE = "https://w3id.org/s3graph/"
WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
EXAMPLE = sorted(Path(str(resources.files("s3graph") / "examples")).glob("*.txt"))[0]


def test_without_a_linker_or_validator_a_report_is_parsed_and_mapped() -> None:
    read = Pipeline(BASE, WHEN).run(EXAMPLE)

    expected = to_triples(parse_file(EXAMPLE), base=BASE, ingested_at=WHEN)
    assert read.links is None and read.outcome is None
    assert read.graph.identifier == expected.identifier
    assert set(read.graph) == set(expected)


def test_with_a_linker_the_report_is_mapped_with_its_links() -> None:
    linker = Linker.load(None)
    pipeline = Pipeline(BASE, WHEN, linker=linker)

    report, links = pipeline.read(EXAMPLE)
    read = pipeline.run(EXAMPLE)

    assert links == linker.link(report) == read.links
    expected = to_linked_triples(report, links, base=BASE, ingested_at=WHEN)
    assert set(read.graph) == set(expected)


def test_with_a_validator_the_graph_validated_is_the_one_returned() -> None:
    read = Pipeline(BASE, WHEN, linker=Linker.load(None), validate=validate_graph).run(EXAMPLE)

    assert read.outcome is not None
    assert isinstance(read.graph, Graph)
    assert all(problem.file == str(EXAMPLE) for problem in read.outcome.problems)
    assert str(read.outcome.graph.identifier) == f"{read.graph.identifier}/validation"


def test_the_rdflib_graph_binds_our_prefixes_once_for_turtle() -> None:
    graph = as_rdflib(Pipeline(BASE, WHEN).run(EXAMPLE).graph)

    prefixes = dict(graph.namespaces())
    assert str(prefixes["s3g"]) == "https://w3id.org/s3graph/def#"
    assert "@prefix s3g: <https://w3id.org/s3graph/def#> ." in graph.serialize(format="turtle")
