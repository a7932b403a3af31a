"""Any report the parser accepts maps to a graph that conforms to ``shapes/graph.ttl``.

The reports are the real mining report (or a bundled example when the shared corpus is absent)
under the same mutations as ``tests/test_parse_properties.py``: deleted, duplicated, swapped and
replaced lines, odd characters, truncations. When the parser accepts a mutant, the mapping must
give a graph that the structural shapes accept; the mapping may refuse only with a one-line
``ReportError`` naming the file (a report without a partnership, a period or with an unknown SDG
rating has no IRI or no term to map to).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import MINING, find_shared_dir, source_for
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pyshacl import validate
from rdflib import Graph
from test_parse_properties import apply, mutation

from s3graph.errors import ReportError
from s3graph.mapping import to_graph
from s3graph.parse import parse_text

NAME = "mutant.txt"
INGESTED = datetime(2026, 1, 1, tzinfo=UTC)
BASES = ("https://w3id.org/s3graph/", "http://example.org/kg/")
EXAMPLES = Path(__file__).resolve().parents[1] / "s3graph" / "examples"
EXAMPLE = EXAMPLES / "mining-industry-2020-h2.txt"

# SHACL over a report graph takes tens of milliseconds: fewer examples than the parser tests run.
SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def report_lines() -> list[str]:
    """The real report of the corpus when the shared folder is there, else the bundled example."""
    shared = find_shared_dir()
    path = shared / "corpus" / f"{MINING}.txt" if shared is not None else EXAMPLE
    return path.read_text(encoding="utf-8").split("\n")


def conformance(text: str, base: str, shapes: Graph, ontology: Graph) -> tuple[str, str | None]:
    """(what happened, what SHACL reported when the graph does not conform, else None)."""
    try:
        report = parse_text(text, source_for(text, NAME))
    except ReportError:
        return "refused by the parser", None  # tests/test_parse_properties.py checks these
    try:
        graph = to_graph(report, base=base, ingested_at=INGESTED)
    except ReportError as refused:
        message = str(refused)
        assert message.startswith(f"{NAME}:") and "\n" not in message, message
        return "refused by the mapping", None
    conforms, _results, explained = validate(
        graph, shacl_graph=shapes, ont_graph=ontology, inference="none"
    )
    return "mapped and validated", None if conforms else str(explained)


def test_the_unmutated_report_maps_to_a_conforming_graph(
    report_lines: list[str], graph_shapes: Graph, ontology_graph: Graph
) -> None:
    """The property is not vacuous: the report itself is accepted, mapped and conforms."""
    text = "\n".join(report_lines)
    report = parse_text(text, source_for(text, NAME))
    assert len(to_graph(report, ingested_at=INGESTED)) > 100
    outcome = conformance(text, BASES[0], graph_shapes, ontology_graph)
    assert outcome == ("mapped and validated", None)


@SETTINGS
@given(data=st.data())
def test_any_accepted_mutant_maps_to_a_conforming_graph(
    data: st.DataObject, report_lines: list[str], graph_shapes: Graph, ontology_graph: Graph
) -> None:
    lines = report_lines
    for _ in range(data.draw(st.integers(1, 4), label="count")):
        if not lines:
            break
        kind, arg = data.draw(mutation(lines), label="mutation")
        lines = apply(lines, kind, arg)
    base = data.draw(st.sampled_from(BASES), label="base")
    outcome, problem = conformance("\n".join(lines), base, graph_shapes, ontology_graph)
    event(outcome)
    assert problem is None, problem
