"""NUTS regions as SKOS graphs (one per version), change links, and the SKOS reader."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import cast

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from s3graph.namespaces import S3G
from s3graph.vocab.nuts_csv import read_changes_csv, read_reference_csv
from s3graph.vocab.nuts_index import NutsChange, NutsRegion
from s3graph.vocab.nuts_rdf import change_iri, label_language, nuts_graph, scheme_iri
from s3graph.vocab.nuts_skos import read_nuts_skos
from s3graph.vocab.rdf_files import VocabFileError

CODE = "http://data.europa.eu/nuts/code/"


def nuts(code: str) -> URIRef:
    return URIRef(CODE + code)


@pytest.fixture(scope="module")
def reference_dir(shared_dir: Path) -> Path:
    folder = shared_dir / "reference"
    if not (folder / "nuts-2016.csv").is_file():
        pytest.skip(f"no NUTS reference files in {folder}; set S3GRAPH_SHARED")
    return folder


@pytest.fixture(scope="module")
def changes(reference_dir: Path) -> list[NutsChange]:
    return read_changes_csv(reference_dir / "nuts-changes.csv")


@pytest.fixture(scope="module")
def regions_2016(reference_dir: Path) -> list[NutsRegion]:
    return read_reference_csv(reference_dir / "nuts-2016.csv", 2016)


@pytest.fixture(scope="module")
def graph_2016(regions_2016: list[NutsRegion], changes: list[NutsChange]) -> Graph:
    return nuts_graph(regions_2016, 2016, changes)


@pytest.fixture(scope="module")
def graph_2013(reference_dir: Path, changes: list[NutsChange]) -> Graph:
    return nuts_graph(read_reference_csv(reference_dir / "nuts-2013.csv", 2013), 2013, changes)


def assert_isomorphic(actual: Graph, expected: Graph) -> None:
    """Compare as graphs; on failure show the missing and extra triples."""
    if to_isomorphic(actual) == to_isomorphic(expected):
        return
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = ["graphs differ"]
    lines += [f"  missing: {t}" for t in sorted(missing)]
    lines += [f"  extra:   {t}" for t in sorted(extra)]
    pytest.fail("\n".join(lines))


# --------------------------------------------------------------------------------------------------
# NUTS 2016 from the reference CSV


def test_one_concept_per_csv_row(graph_2016: Graph, reference_dir: Path) -> None:
    with (reference_dir / "nuts-2016.csv").open(encoding="utf-8", newline="") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    concepts = set(graph_2016.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == len(codes) == 2128
    assert concepts == {nuts(code) for code in codes}
    scheme = scheme_iri(2016)
    assert set(graph_2016.subjects(SKOS.inScheme, scheme)) == concepts
    assert all(len(list(graph_2016.objects(c, SKOS.prefLabel))) == 1 for c in concepts)


def test_scheme_is_the_graph_identifier(graph_2016: Graph) -> None:
    scheme = URIRef("http://data.europa.eu/nuts/scheme/2016")
    assert graph_2016.identifier == scheme
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph_2016
    assert (scheme, SKOS.prefLabel, Literal("NUTS 2016", lang="en")) in graph_2016
    assert (scheme, OWL.versionInfo, Literal("2016")) in graph_2016
    tops = set(graph_2016.objects(scheme, SKOS.hasTopConcept))
    assert nuts("FI") in tops and nuts("FI1") not in tops
    assert (nuts("FI"), SKOS.topConceptOf, scheme) in graph_2016


def test_hierarchy_level_and_country(graph_2016: Graph) -> None:
    lappi = nuts("FI1D7")
    assert set(graph_2016.objects(lappi, SKOS.broader)) == {nuts("FI1D")}
    assert (nuts("FI1D"), SKOS.narrower, lappi) in graph_2016
    assert (lappi, SKOS.notation, Literal("FI1D7")) in graph_2016
    assert (lappi, S3G.nutsLevel, Literal(3)) in graph_2016
    assert (lappi, S3G.country, Literal("FI")) in graph_2016
    assert list(graph_2016.objects(nuts("FI"), SKOS.broader)) == []
    # NUTS 2016 quirk: UKN10 hangs under UKN0, not under the non-existent UKN1
    assert set(graph_2016.objects(nuts("UKN10"), SKOS.broader)) == {nuts("UKN0")}


def test_labels_and_language_tags(graph_2016: Graph) -> None:
    def pref(code: str) -> Literal:
        [label] = graph_2016.objects(nuts(code), SKOS.prefLabel)
        assert isinstance(label, Literal)
        return label

    # Finnish and Swedish are both official in FI: untagged
    assert pref("FI1D7") == Literal("Lappi")
    assert list(graph_2016.objects(nuts("FI1D7"), SKOS.altLabel)) == []
    assert pref("AT12") == Literal("Niederösterreich", lang="de")
    assert pref("BE") == Literal("BELGIQUE-BELGIË")
    assert pref("ATZ") == Literal("EXTRA-REGIO NUTS 1")
    assert pref("EL64") == Literal("Στερεά Ελλάδα", lang="el")
    assert set(graph_2016.objects(nuts("EL64"), SKOS.altLabel)) == {
        Literal("Sterea Elláda", lang="el-Latn")
    }
    assert pref("BG311") == Literal("Видин", lang="bg")
    assert (nuts("BG311"), SKOS.altLabel, Literal("Vidin", lang="bg-Latn")) in graph_2016
    # Serbian "Latin" labels are partly English ("City of Belgrade"): no tag
    labels = cast(list[Literal], list(graph_2016.objects(nuts("RS11"), SKOS.altLabel)))
    assert all(lit.language is None for lit in labels)


@pytest.mark.parametrize(
    ("country", "label", "expected"),
    [
        ("DE", "Oberbayern", "de"),
        ("IT", "Provincia Autonoma di Bolzano/Bozen", None),
        ("ES", "Comunitat Valenciana", None),
        ("CY", "Κύπρος", "el"),
        ("CY", "Extra-Regio NUTS 1", None),
        ("ME", "Црна Гора", None),
        ("MK", "Вардарски", "mk"),
        ("RS", "Srbija/\u0421p\u0431\u0438\u0458\u0430", None),  # Cyrillic and Latin mixed
        ("UK", "Na h-Eileanan Siar (Western Isles)", None),
    ],
)
def test_label_language(country: str, label: str, expected: str | None) -> None:
    assert label_language(country, label) == expected


def test_no_blank_nodes(graph_2016: Graph, graph_2013: Graph) -> None:
    for graph in (graph_2016, graph_2013):
        assert not any(isinstance(term, BNode) for triple in graph for term in triple)


# --------------------------------------------------------------------------------------------------
# Changes between versions


def test_el24_is_replaced_by_el64_in_the_2013_graph(graph_2013: Graph) -> None:
    assert (nuts("EL24"), DCTERMS.isReplacedBy, nuts("EL64")) in graph_2013
    assert (nuts("EL64"), DCTERMS.replaces, nuts("EL24")) in graph_2013
    node = URIRef("https://w3id.org/s3graph/nuts-change/2010-EL24-2013-EL64")
    assert (node, RDF.type, S3G.NutsChange) in graph_2013
    assert (node, S3G.changeKind, Literal("recoded")) in graph_2013
    assert (node, S3G.fromRegion, nuts("EL24")) in graph_2013
    assert (node, S3G.toRegion, nuts("EL64")) in graph_2013
    assert (node, S3G.fromScheme, scheme_iri(2010)) in graph_2013
    assert (node, S3G.toScheme, scheme_iri(2013)) in graph_2013


def test_changes_go_to_the_graph_of_the_version_they_lead_to(
    graph_2013: Graph, graph_2016: Graph
) -> None:
    assert (nuts("FI1D4"), DCTERMS.isReplacedBy, nuts("FI1D8")) in graph_2016
    assert (nuts("FI1D4"), DCTERMS.isReplacedBy, nuts("FI1D8")) not in graph_2013
    assert (nuts("EL24"), DCTERMS.isReplacedBy, nuts("EL64")) not in graph_2016
    # a split: one old code, several new ones
    assert set(graph_2016.objects(nuts("HU10"), DCTERMS.isReplacedBy)) == {
        nuts("HU11"),
        nuts("HU12"),
    }


def test_renamed_regions_get_a_change_node_but_no_self_link(graph_2013: Graph) -> None:
    node = URIRef("https://w3id.org/s3graph/nuts-change/2010-CZ063-2013-CZ063")
    assert (node, S3G.changeKind, Literal("renamed")) in graph_2013
    assert (nuts("CZ063"), DCTERMS.isReplacedBy, nuts("CZ063")) not in graph_2013


def test_change_iris_for_missing_sides() -> None:
    new = NutsChange(
        from_version=2010, from_code=None, to_version=2013, to_code="FRA5", change="new"
    )
    gone = NutsChange(2013, "IE01", 2016, None, "discontinued")
    assert str(change_iri(new)) == "https://w3id.org/s3graph/nuts-change/2010-none-2013-FRA5"
    assert str(change_iri(gone)) == "https://w3id.org/s3graph/nuts-change/2013-IE01-2016-none"


def test_no_replacement_link_when_the_old_code_lives_on() -> None:
    regions = [
        NutsRegion("XX", 0, "XX", "X", "X", None, 2024),
        NutsRegion("XX1", 1, "XX", "A", "A", "XX", 2024),
        NutsRegion("XX2", 1, "XX", "B", "B", "XX", 2024),
    ]
    split = [NutsChange(2021, "XX1", 2024, "XX2", "split")]
    graph = nuts_graph(regions, 2024, split)
    assert (nuts("XX1"), DCTERMS.isReplacedBy, nuts("XX2")) not in graph
    assert (change_iri(split[0]), S3G.changeKind, Literal("split")) in graph


def test_exact_shape_of_a_small_graph() -> None:
    regions = [
        NutsRegion("EL", 0, "EL", "Ελλάδα", "Elláda", None, 2013),
        NutsRegion("EL6", 1, "EL", "Κεντρική Ελλάδα", "Kentriki Elláda", "EL", 2013),
        NutsRegion("EL64", 2, "EL", "Στερεά Ελλάδα", "Sterea Elláda", "EL6", 2013),
    ]
    changes = [
        NutsChange(2010, "EL24", 2013, "EL64", "recoded"),
        NutsChange(2013, "FI1D4", 2016, "FI1D8", "boundary shift"),  # another transition
    ]
    expected = Graph().parse(
        format="turtle",
        data="""
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix nuts: <http://data.europa.eu/nuts/code/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix s3g: <https://w3id.org/s3graph/def#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix scheme: <http://data.europa.eu/nuts/scheme/> .

        scheme:2013 a skos:ConceptScheme ;
            skos:prefLabel "NUTS 2013"@en ; rdfs:label "NUTS 2013"@en ;
            owl:versionInfo "2013" ; dcterms:isVersionOf <http://data.europa.eu/nuts> ;
            skos:hasTopConcept nuts:EL .
        nuts:EL a skos:Concept ; skos:inScheme scheme:2013 ; skos:topConceptOf scheme:2013 ;
            skos:notation "EL" ; skos:prefLabel "Ελλάδα"@el ; skos:altLabel "Elláda"@el-Latn ;
            s3g:nutsLevel 0 ; s3g:country "EL" ; skos:narrower nuts:EL6 .
        nuts:EL6 a skos:Concept ; skos:inScheme scheme:2013 ;
            skos:notation "EL6" ; skos:prefLabel "Κεντρική Ελλάδα"@el ;
            skos:altLabel "Kentriki Elláda"@el-Latn ;
            s3g:nutsLevel 1 ; s3g:country "EL" ; skos:broader nuts:EL ; skos:narrower nuts:EL64 .
        nuts:EL64 a skos:Concept ; skos:inScheme scheme:2013 ;
            skos:notation "EL64" ; skos:prefLabel "Στερεά Ελλάδα"@el ;
            skos:altLabel "Sterea Elláda"@el-Latn ;
            s3g:nutsLevel 2 ; s3g:country "EL" ; skos:broader nuts:EL6 ;
            dcterms:replaces nuts:EL24 .
        nuts:EL24 dcterms:isReplacedBy nuts:EL64 .
        <https://w3id.org/s3graph/nuts-change/2010-EL24-2013-EL64> a s3g:NutsChange ;
            s3g:changeKind "recoded" ; s3g:fromRegion nuts:EL24 ; s3g:toRegion nuts:EL64 ;
            s3g:fromScheme scheme:2010 ; s3g:toScheme scheme:2013 ;
            rdfs:label "EL24 (2010) -> EL64 (2013): recoded" .
        """,
    )
    assert_isomorphic(nuts_graph(regions, 2013, changes), expected)


def test_wrong_version_or_repeated_code_is_refused() -> None:
    region = NutsRegion("FI", 0, "FI", "Suomi/Finland", "Suomi/Finland", None, 2021)
    with pytest.raises(ValueError, match="NUTS 2021 region, not 2024"):
        nuts_graph([region], 2024)
    with pytest.raises(ValueError, match="twice"):
        nuts_graph([region, region], 2021)


# --------------------------------------------------------------------------------------------------
# Reading SKOS


PO_STYLE = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix nuts: <http://data.europa.eu/nuts/code/> .
@prefix scheme: <http://data.europa.eu/nuts/scheme/> .

nuts:FI1D a skos:Concept ;
    skos:inScheme scheme:2021, scheme:2024 ;
    skos:notation "FI1D" ;
    skos:prefLabel "FI1D Pohjois- ja Itä-Suomi" ;
    <http://data.europa.eu/nuts/level> "2" ;
    skos:broader nuts:FI1 .

nuts:FI1D7 a skos:Concept ;
    skos:inScheme scheme:2021, scheme:2024 ;
    skos:notation "FI1D7" ;
    skos:prefLabel "Lappi"@fi, "Lappland"@sv ;
    <http://data.europa.eu/nuts/level> "3" ;
    skos:broader nuts:FI1D .

nuts:EL64 a skos:Concept ;
    skos:inScheme scheme:2024 ;
    skos:notation "EL64" ;
    skos:prefLabel "Στερεά Ελλάδα"@el ;
    skos:altLabel "Sterea Elláda"@el-Latn ;
    skos:broader nuts:EL6 .

nuts:EL a skos:Concept ;
    skos:inScheme scheme:2024 ;
    skos:topConceptOf scheme:2024 ;
    skos:notation "EL" ;
    skos:prefLabel "Ελλάδα"@el ;
    skos:altLabel "Elláda"@el-Latn .

<http://example.org/not-nuts> skos:inScheme <http://example.org/scheme> ;
    skos:notation "ZZ9" .
"""


def test_read_nuts_skos_of_a_publications_office_style_file(tmp_path: Path) -> None:
    path = tmp_path / "nuts.ttl"
    path.write_text(PO_STYLE, encoding="utf-8")

    regions = read_nuts_skos(path)

    assert regions == [
        NutsRegion("FI1D", 2, "FI", "Pohjois- ja Itä-Suomi", "Pohjois- ja Itä-Suomi", "FI1", 2021),
        NutsRegion("FI1D7", 3, "FI", "Lappi", "Lappi", "FI1D", 2021),
        NutsRegion("EL", 0, "EL", "Ελλάδα", "Elláda", None, 2024),
        NutsRegion("EL64", 2, "EL", "Στερεά Ελλάδα", "Sterea Elláda", "EL6", 2024),
        NutsRegion("FI1D", 2, "FI", "Pohjois- ja Itä-Suomi", "Pohjois- ja Itä-Suomi", "FI1", 2024),
        NutsRegion("FI1D7", 3, "FI", "Lappi", "Lappi", "FI1D", 2024),
    ]
    assert [r.code for r in read_nuts_skos(path, version=2021)] == ["FI1D", "FI1D7"]


def test_nuts_graph_round_trips_through_the_skos_reader(
    graph_2016: Graph, regions_2016: list[NutsRegion], tmp_path: Path
) -> None:
    path = tmp_path / "nuts-2016.ttl"
    graph_2016.serialize(path, format="turtle")
    back = read_nuts_skos(path)
    assert back == sorted(regions_2016, key=lambda r: r.code)


def test_read_nuts_skos_refuses_what_is_not_nuts(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(VocabFileError, match=r"broken\.ttl"):
        read_nuts_skos(broken)
    empty = tmp_path / "empty.ttl"
    empty.write_text(PO_STYLE, encoding="utf-8")
    with pytest.raises(VocabFileError, match="NUTS 2010 concepts"):
        read_nuts_skos(empty, version=2010)
    with pytest.raises(VocabFileError, match="existing"):
        read_nuts_skos(tmp_path / "missing.ttl")


def test_one_named_graph_per_version_keeps_each_versions_label(tmp_path: Path) -> None:
    label = "Κεντρική Ελλάδα"
    old = NutsRegion("EL6", 1, "EL", label.upper(), "Kentriki Elláda", "EL", 2016)
    new = NutsRegion("EL6", 1, "EL", label, "Kentriki Elláda", "EL", 2021)
    blocks = []
    for region in (old, new):
        graph = nuts_graph([region], region.version)
        blocks.append(f"<{graph.identifier}> {{\n{graph.serialize(format='nt')}}}\n")
    path = tmp_path / "nuts.trig"
    path.write_text("".join(blocks), encoding="utf-8")

    assert read_nuts_skos(path) == [old, new]
