"""The 17 SDGs offline, IRI normalisation, and loading the UN's SKOS file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from s3graph.vocab.rdf_files import VocabFileError
from s3graph.vocab.sdg import SDGO, goal_iri, load_sdg_kos, normalise_sdg_iri, sdg_graph

GOAL = URIRef(SDGO + "Goal")
SCHEME = URIRef("http://metadata.un.org/sdg")


def test_seventeen_goals_offline() -> None:
    graph = sdg_graph()
    goals = set(graph.subjects(RDF.type, GOAL))
    assert graph.identifier == SCHEME
    assert goals == {URIRef(f"http://metadata.un.org/sdg/{n}") for n in range(1, 18)}
    for goal in goals:
        assert (goal, RDF.type, SKOS.Concept) in graph
        assert (goal, SKOS.inScheme, SCHEME) in graph
        assert len(list(graph.objects(goal, SKOS.notation))) == 1
        assert len(list(graph.objects(goal, SKOS.altLabel))) == 1
    assert (goal_iri(7), SKOS.altLabel, Literal("Affordable and clean energy", lang="en")) in graph
    assert (goal_iri(7), RDFS.label, Literal("Goal 7: Affordable and clean energy", lang="en")) in (
        graph
    )
    assert (goal_iri(7), SKOS.notation, Literal("07")) in graph


def test_each_call_gives_a_fresh_graph() -> None:
    first = sdg_graph()
    first.remove((None, None, None))
    assert len(sdg_graph()) > 0


def test_goal_titles_and_notations_agree_with_the_un_list(shared_dir: Path) -> None:
    """Our written titles against the reference table built from the UN's SKOS file."""
    table = shared_dir / "reference" / "sdg-goals.csv"
    if not table.is_file():
        pytest.skip(f"{table} not found; set S3GRAPH_SHARED")
    graph = sdg_graph()
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 17
    for row in rows:
        goal = URIRef(row["iri"])
        assert (goal, SKOS.altLabel, Literal(row["short_title"], lang="en")) in graph, row["goal"]
        assert (goal, SKOS.notation, Literal(row["notation"])) in graph, row["goal"]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("http://metadata.un.org/sdg/7", "http://metadata.un.org/sdg/7"),
        ("https://metadata.un.org/sdg/7", "http://metadata.un.org/sdg/7"),
        ("https://metadata.un.org/sdg/7/", "http://metadata.un.org/sdg/7"),
        ("HTTPS://Metadata.UN.org/sdg/13//", "http://metadata.un.org/sdg/13"),
        ("<https://metadata.un.org/sdg/7.2>", "http://metadata.un.org/sdg/7.2"),
        ("https://metadata.un.org/sdg/C070201?lang=en", "http://metadata.un.org/sdg/C070201"),
        ("https://metadata.un.org/sdg/", "http://metadata.un.org/sdg"),
        ("http://metadata.un.org/sdg", "http://metadata.un.org/sdg"),
    ],
)
def test_normalise_sdg_iri(given: str, stored: str) -> None:
    assert normalise_sdg_iri(given) == stored


@pytest.mark.parametrize(
    "wrong", ["https://example.org/sdg/7", "http://metadata.un.org/sdgs/7", "sdg/7", ""]
)
def test_normalise_refuses_other_iris(wrong: str) -> None:
    with pytest.raises(ValueError, match="not a UN SDG IRI"):
        normalise_sdg_iri(wrong)


def test_goal_numbers_are_checked() -> None:
    assert goal_iri(17) == URIRef("http://metadata.un.org/sdg/17")
    for wrong in (0, 18):
        with pytest.raises(ValueError, match="1 to 17"):
            goal_iri(wrong)


UN_SHAPED = """\
@prefix sdg: <http://metadata.un.org/sdg/> .
@prefix sdgo: <http://metadata.un.org/sdg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

sdg:7 a sdgo:Goal, skos:Concept ;
    skos:prefLabel "Ensure access to affordable, reliable, sustainable and modern energy"@en ;
    skos:altLabel "Affordable and clean energy"@en ;
    sdgo:hasTarget sdg:7.2 .
sdg:7.2 a sdgo:Target, skos:Concept ;
    sdgo:hasIndicator sdg:C070201 .
sdg:C070201 a sdgo:Indicator, skos:Concept .
"""


def test_load_sdg_kos(tmp_path: Path) -> None:
    path = tmp_path / "sdg-kos-goals-targets-indicators.ttl"
    path.write_text(UN_SHAPED, encoding="utf-8")

    graph = load_sdg_kos(path)

    assert graph.identifier == SCHEME
    assert (goal_iri(7), URIRef(SDGO + "hasTarget"), URIRef("http://metadata.un.org/sdg/7.2")) in (
        graph
    )
    assert len(graph) == 10


def test_load_sdg_kos_refuses_other_files(tmp_path: Path) -> None:
    other = tmp_path / "other.ttl"
    other.write_text("<http://a> <http://b> <http://c> .\n", encoding="utf-8")
    with pytest.raises(VocabFileError, match="found no goal"):
        load_sdg_kos(other)
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix : <", encoding="utf-8")
    with pytest.raises(VocabFileError, match=r"broken\.ttl"):
        load_sdg_kos(broken)
    with pytest.raises(VocabFileError, match="existing"):
        load_sdg_kos(tmp_path / "missing.ttl")
