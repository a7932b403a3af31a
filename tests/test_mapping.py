"""Mapping of hand-built reports to RDF, compared as graphs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from reports_fixture import (
    MINING_FOLDER,
    mining_report,
    small_report,
    without_partnership,
    without_period,
)

from s3graph import namespaces as ns
from s3graph.errors import ReportError
from s3graph.mapping import report_iri, to_graph
from s3graph.mapping.memberships import split_entities
from s3graph.model import Answer, Report, SdgAnswer
from s3graph.namespaces import DEFAULT_BASE, S3G

INGESTED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SMALL_IRI = URIRef("https://w3id.org/s3graph/report/textiles/2020-H2")
MINING_IRI = URIRef("https://w3id.org/s3graph/report/mining-industry/2020-H1")

#: The graph of ``small_report()`` with partnership slug "textiles", written out by hand.
SMALL_EXPECTED = """
@base <https://w3id.org/s3graph/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix s3g: <https://w3id.org/s3graph/def#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<partnership/textiles> a s3g:Partnership ;
    skos:prefLabel "Smart Regional Investment in Textile Innovation" ;
    rdfs:label "Smart Regional Investment in Textile Innovation" ;
    foaf:homepage <https://example.org/textiles> .

<period/2020-H2> a dcterms:PeriodOfTime , time:ProperInterval ;
    dcat:startDate "2020-07-01"^^xsd:date ;
    dcat:endDate "2020-12-31"^^xsd:date ;
    rdfs:label "July - December 2020" .

<report/textiles/2020-H2> a s3g:MonitoringReport ;
    s3g:partnership <partnership/textiles> ;
    dcterms:temporal <period/2020-H2> ;
    s3g:periodLabel "July - December 2020" ;
    s3g:sourceLine 3 ;
    s3g:startDateText "Spring 2018" ;
    s3g:executiveSummary "We weave." ;
    dcterms:title "Smart Regional Investment in Textile Innovation monitoring progress report, July - December 2020" ;
    prov:wasDerivedFrom <report/textiles/2020-H2/source> ;
    prov:wasGeneratedBy <report/textiles/2020-H2/ingestion> ;
    s3g:workingArea <report/textiles/2020-H2/working-area/1> ;
    s3g:event <report/textiles/2020-H2/event/past/1> , <report/textiles/2020-H2/event/planned/2> ;
    s3g:sdgAssessment <report/textiles/2020-H2/sdg/9> , <report/textiles/2020-H2/sdg/12> ,
        <report/textiles/2020-H2/sdg/13> ;
    s3g:answer <report/textiles/2020-H2/answer/executive_summary> ,
        <report/textiles/2020-H2/answer/interested_entities> ,
        <report/textiles/2020-H2/answer/outreach> ,
        <report/textiles/2020-H2/answer/reporting_period> ,
        <report/textiles/2020-H2/answer/partnership> ,
        <report/textiles/2020-H2/answer/start_date> ,
        <report/textiles/2020-H2/answer/leading_regions> ,
        <report/textiles/2020-H2/answer/participating_regions> ;
    s3g:parseWarning <report/textiles/2020-H2/warning/1> .

# Participating regions: one with a code (ES41), one by name only. No s3g:nutsRegion: only the
# linking, which knows the NUTS version in force, links a code to NUTS.
<region/ES41> a s3g:Region ;
    rdfs:label "Castilla y León" ;
    skos:notation "ES41" .

<region/name/centro-portugal> a s3g:Region ; rdfs:label "Centro Portugal" .

<report/textiles/2020-H2/membership/participating/1> a org:Membership ;
    org:organization <partnership/textiles> ;
    org:member <region/ES41> ;
    org:role s3g:participating ;
    org:memberDuring <period/2020-H2> ;
    s3g:reportedIn <report/textiles/2020-H2> ;
    s3g:statedName "Castilla y León" ;
    s3g:statedCountry "ES" ;
    s3g:statedCode "es-41" ;
    s3g:statedText "Castilla y León (ES) es-41" ;
    s3g:sourceLine 24 .

<report/textiles/2020-H2/membership/participating/2> a org:Membership ;
    org:organization <partnership/textiles> ;
    org:member <region/name/centro-portugal> ;
    org:role s3g:participating ;
    org:memberDuring <period/2020-H2> ;
    s3g:reportedIn <report/textiles/2020-H2> ;
    s3g:statedName "Centro Portugal" ;
    s3g:statedText "Centro Portugal" ;
    s3g:sourceLine 25 .

# Leading regions: "castilla y leon" is the participating ES41; Flanders is only named.
<region/name/flanders> a s3g:Region ; rdfs:label "Flanders" .

<report/textiles/2020-H2/membership/leading/1> a org:Membership ;
    org:organization <partnership/textiles> ;
    org:member <region/ES41> ;
    org:role s3g:leading ;
    org:memberDuring <period/2020-H2> ;
    s3g:reportedIn <report/textiles/2020-H2> ;
    s3g:statedName "castilla y leon" ;
    s3g:sourceLine 20 .

<report/textiles/2020-H2/membership/leading/2> a org:Membership ;
    org:organization <partnership/textiles> ;
    org:member <region/name/flanders> ;
    org:role s3g:leading ;
    org:memberDuring <period/2020-H2> ;
    s3g:reportedIn <report/textiles/2020-H2> ;
    s3g:statedName "Flanders" ;
    s3g:sourceLine 20 .

# Interested entities: "EURATEX, research centres (LEITAT, AITEX); CITEVE."
<entity/euratex> a org:Organization ; rdfs:label "EURATEX" .
<entity/research-centres-leitat-aitex> a org:Organization ;
    rdfs:label "research centres (LEITAT, AITEX)" .
<entity/citeve> a org:Organization ; rdfs:label "CITEVE" .

<report/textiles/2020-H2/membership/interested/1> a org:Membership ;
    org:organization <partnership/textiles> ;
    org:member <entity/euratex> ;
    org:role s3g:interested ;
    org:memberDuring <period/2020-H2> ;
    s3g:reportedIn <report/textiles/2020-H2> ;
    s3g:statedName "EURATEX" ;
    s3g:sourceLine 29 .

<report/textiles/2020-H2/membership/interested/2> a org:Membership ;
    org:organization <partnership/textiles> ;
    org:member <entity/research-centres-leitat-aitex> ;
    org:role s3g:interested ;
    org:memberDuring <period/2020-H2> ;
    s3g:reportedIn <report/textiles/2020-H2> ;
    s3g:statedName "research centres (LEITAT, AITEX)" ;
    s3g:sourceLine 29 .

<report/textiles/2020-H2/membership/interested/3> a org:Membership ;
    org:organization <partnership/textiles> ;
    org:member <entity/citeve> ;
    org:role s3g:interested ;
    org:memberDuring <period/2020-H2> ;
    s3g:reportedIn <report/textiles/2020-H2> ;
    s3g:statedName "CITEVE" ;
    s3g:sourceLine 29 .

<report/textiles/2020-H2/working-area/1> a s3g:WorkingArea ;
    rdfs:label "Circular textiles" ;
    s3g:regionInChargeText "In progress" ;
    s3g:otherActorsText "EURATEX" ;
    s3g:rowNumber 1 ;
    s3g:sourceLine 31 .

<report/textiles/2020-H2/event/past/1> a schema:Event , s3g:PastEvent ;
    schema:name "Kick-off" ;
    s3g:dateText "16-17.12.2020" ;
    schema:startDate "2020-12-16"^^xsd:date ;
    schema:endDate "2020-12-17"^^xsd:date ;
    schema:location "Prato, Italy" ;
    s3g:rowNumber 1 ;
    s3g:sourceLine 36 .

<report/textiles/2020-H2/event/planned/2> a schema:Event , s3g:PlannedEvent ;
    schema:name "Match-making" ;
    s3g:dateText "Q4 2020" ;
    schema:description "Registration opens in May" ;
    s3g:rowNumber 2 ;
    s3g:sourceLine 42 .

<report/textiles/2020-H2/sdg/9> a s3g:SdgAssessment ;
    s3g:goal <http://metadata.un.org/sdg/9> ;
    s3g:rating s3g:agree ;
    s3g:sourceLine 60 .

<report/textiles/2020-H2/sdg/12> a s3g:SdgAssessment ;
    s3g:goal <http://metadata.un.org/sdg/12> ;
    s3g:sourceLine 61 .

<report/textiles/2020-H2/sdg/13> a s3g:SdgAssessment ;
    s3g:goal <http://metadata.un.org/sdg/13> ;
    s3g:rating s3g:strongly-agree , s3g:agree ;
    s3g:sourceLine 62 .

<report/textiles/2020-H2/answer/executive_summary> a s3g:Answer , s3g:MandatoryAnswer ;
    s3g:question s3g:question-executive_summary ;
    rdf:value "We weave." ;
    s3g:sourceLine 14 .

<report/textiles/2020-H2/answer/interested_entities> a s3g:Answer ;
    s3g:question s3g:question-interested_entities ;
    rdf:value "EURATEX, research centres (LEITAT, AITEX); CITEVE." ;
    s3g:sourceLine 29 .

# A question left blank: a node without a value, at the question's line.
<report/textiles/2020-H2/answer/outreach> a s3g:Answer ;
    s3g:question s3g:question-outreach ;
    s3g:sourceLine 50 .

# Mandatory questions the (hand-made) report does not hold: nodes without value or line.
<report/textiles/2020-H2/answer/reporting_period> a s3g:Answer , s3g:MandatoryAnswer ;
    s3g:question s3g:question-reporting_period .
<report/textiles/2020-H2/answer/partnership> a s3g:Answer , s3g:MandatoryAnswer ;
    s3g:question s3g:question-partnership .
<report/textiles/2020-H2/answer/start_date> a s3g:Answer , s3g:MandatoryAnswer ;
    s3g:question s3g:question-start_date .
<report/textiles/2020-H2/answer/leading_regions> a s3g:Answer , s3g:MandatoryAnswer ;
    s3g:question s3g:question-leading_regions .
<report/textiles/2020-H2/answer/participating_regions> a s3g:Answer , s3g:MandatoryAnswer ;
    s3g:question s3g:question-participating_regions .

<report/textiles/2020-H2/warning/1> a s3g:ParseWarning ;
    rdfs:comment "line not recognised" ;
    rdf:value "???" ;
    s3g:sourceLine 45 .

<report/textiles/2020-H2/source> a prov:Entity ;
    dcterms:title "textiles-2020-h2.txt" ;
    s3g:checksum <report/textiles/2020-H2/source/checksum> ;
    s3g:byteSize "2048"^^xsd:nonNegativeInteger .

<report/textiles/2020-H2/source/checksum> a spdx:Checksum ;
    spdx:algorithm spdx:checksumAlgorithm_sha256 ;
    spdx:checksumValue "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"^^xsd:hexBinary .

<report/textiles/2020-H2/ingestion> a prov:Activity ;
    prov:used <report/textiles/2020-H2/source> ;
    prov:startedAtTime "2024-05-01T12:00:00+00:00"^^xsd:dateTime ;
    prov:endedAtTime "2024-05-01T12:00:00+00:00"^^xsd:dateTime ;
    prov:wasAssociatedWith <agent/s3graph> .

<agent/s3graph> a prov:SoftwareAgent ;
    rdfs:label "s3graph" ;
    schema:softwareVersion "0.1.0" .
"""  # noqa: E501


def assert_same_graph(actual: Graph, expected: Graph) -> None:
    """Fail listing the missing and extra triples (N-Triples) when the graphs differ."""
    if isomorphic(actual, expected):
        return
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = ["graphs differ"]
    for title, diff in (("missing (expected, not produced)", missing), ("extra (produced)", extra)):
        if len(diff):
            lines += [f"--- {title}: {len(diff)} triples", *sorted(f"  {t}" for t in _nt(diff))]
    pytest.fail("\n".join(lines))


def _nt(graph: Graph) -> list[str]:
    return [line for line in graph.serialize(format="nt").splitlines() if line.strip()]


def small_graph() -> Graph:
    return to_graph(small_report(), ingested_at=INGESTED, partnership_slug="textiles")


def mining_graph(ingested_at: datetime = INGESTED) -> Graph:
    return to_graph(mining_report(), ingested_at=ingested_at)


def test_small_report_graph_is_the_expected_graph() -> None:
    expected = Graph().parse(data=SMALL_EXPECTED, format="turtle")
    assert_same_graph(small_graph(), expected)


def test_graph_is_named_by_the_report_iri() -> None:
    assert small_graph().identifier == SMALL_IRI
    assert mining_graph().identifier == MINING_IRI
    assert report_iri(mining_report()) == MINING_IRI
    assert report_iri(small_report(), DEFAULT_BASE, "textiles") == SMALL_IRI
    assert (MINING_IRI, ns.RDF.type, S3G.MonitoringReport) in mining_graph()


@pytest.mark.parametrize("build", [small_graph, mining_graph])
def test_no_blank_nodes(build: object) -> None:
    graph = build()  # type: ignore[operator]
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


@pytest.mark.parametrize("build", [small_graph, mining_graph])
def test_every_iri_is_valid(build: object) -> None:
    graph = build()  # type: ignore[operator]
    iris = {term for triple in graph for term in triple if isinstance(term, URIRef)}
    for iri in iris:
        assert pyoxigraph.NamedNode(str(iri)).value == str(iri)


@pytest.mark.parametrize("build", [small_graph, mining_graph])
def test_literals_are_plain_strings_dates_integers_or_times(build: object) -> None:
    graph = build()  # type: ignore[operator]
    allowed = {
        None,
        ns.XSD.string,
        ns.XSD.date,
        ns.XSD.integer,
        ns.XSD.dateTime,
        ns.XSD.nonNegativeInteger,
        ns.XSD.hexBinary,  # the source file's checksum, as SPDX types it (issue 12)
    }
    for _, _, obj in graph:
        if isinstance(obj, Literal):
            assert obj.language is None, obj
            assert obj.datatype in allowed, obj
            assert obj.datatype != ns.XSD.dateTime or obj.value.tzinfo is not None, obj


def test_graph_loads_into_oxigraph() -> None:
    graph = mining_graph()
    data = graph.serialize(format="nt", encoding="utf-8")
    quads = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(quads) == len(graph)


def test_leading_regions_are_the_participating_regions_of_the_same_name() -> None:
    graph = mining_graph()
    fi1d7 = URIRef("https://w3id.org/s3graph/region/FI1D7")
    for n in (1, 2):  # North Karelia and Lapland, both stated with code FI1D7 in this report
        membership = URIRef(f"{MINING_IRI}/membership/leading/{n}")
        assert graph.value(membership, ns.ORG.member) == fi1d7
        assert graph.value(membership, ns.ORG.role) == S3G.leading
    by_name = URIRef("https://w3id.org/s3graph/region/name/north-karelia")
    assert (by_name, None, None) not in graph


def test_leading_region_matching_ignores_case_and_accents() -> None:
    graph = small_graph()
    leading = URIRef(f"{SMALL_IRI}/membership/leading/1")
    participating = URIRef(f"{SMALL_IRI}/membership/participating/1")
    assert graph.value(leading, ns.ORG.member) == graph.value(participating, ns.ORG.member)


def test_same_input_gives_same_triples_except_the_ingestion_time() -> None:
    first = mining_graph(INGESTED)
    later = INGESTED.astimezone(timezone(timedelta(hours=2))) + timedelta(days=3)
    second = mining_graph(later)
    time_predicates = {ns.PROV.startedAtTime, ns.PROV.endedAtTime}
    assert {t for t in first if t[1] not in time_predicates} == {
        t for t in second if t[1] not in time_predicates
    }
    assert set(first) != set(second)
    assert set(mining_graph(INGESTED)) == set(first)


def test_each_call_returns_a_fresh_graph() -> None:
    first, second = mining_graph(), mining_graph()
    assert first is not second
    first.remove((None, None, None))
    assert len(second) > 0


def test_custom_base_holds_every_data_iri() -> None:
    base = "http://example.org/kg#"
    graph = to_graph(mining_report(), base=base, ingested_at=INGESTED)
    assert graph.identifier == URIRef(base + "report/mining-industry/2020-H1")
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    assert subjects and all(str(s).startswith(base) for s in subjects)


def test_exact_dates_only_for_exact_days() -> None:
    graph = mining_graph()
    past = URIRef(f"{MINING_IRI}/event/past/1")
    planned = URIRef(f"{MINING_IRI}/event/planned/1")
    assert graph.value(past, ns.SCHEMA.startDate) == Literal("2020-02-12", datatype=ns.XSD.date)
    assert graph.value(past, ns.SCHEMA.endDate) == Literal("2020-02-13", datatype=ns.XSD.date)
    assert graph.value(planned, S3G.dateText) == Literal("September")
    assert graph.value(planned, ns.SCHEMA.startDate) is None
    assert graph.value(planned, ns.SCHEMA.endDate) is None


def test_an_answer_without_text_is_a_node_without_value() -> None:
    graph = mining_graph()
    answers = set(graph.objects(MINING_IRI, S3G.answer))
    empty = URIRef(f"{MINING_IRI}/answer/eu13_involvement")
    assert empty in answers
    assert graph.value(empty, ns.RDF.value) is None
    assert graph.value(empty, S3G.sourceLine) is not None
    with_value = {a for a in answers if graph.value(a, ns.RDF.value) is not None}
    assert len(with_value) == sum(1 for a in mining_report().answers if a.text is not None)


def test_period_and_file_provenance() -> None:
    graph = mining_graph()
    period = URIRef("https://w3id.org/s3graph/period/2020-H1")
    assert graph.value(period, ns.DCAT.startDate) == Literal("2020-01-01", datatype=ns.XSD.date)
    source = URIRef(f"{MINING_IRI}/source")
    assert str(graph.value(source, URIRef("http://purl.org/dc/terms/title"))) == (
        "mining-industry-2020-h1.txt"
    )
    assert not any(MINING_FOLDER in str(o) for o in graph.objects())


@pytest.mark.parametrize("webpage", ["s3platform.jrc.ec.europa.eu/sport", "see the platform"])
def test_webpage_that_is_not_a_web_address_gives_no_homepage(webpage: str) -> None:
    graph = to_graph(replace(mining_report(), webpage=webpage), ingested_at=INGESTED)
    assert not list(graph.objects(None, ns.FOAF.homepage))


def test_webpage_in_angle_brackets_is_a_homepage() -> None:
    report = replace(mining_report(), webpage="<https://example.org/mining>")
    graph = to_graph(report, ingested_at=INGESTED)
    assert list(graph.objects(None, ns.FOAF.homepage)) == [URIRef("https://example.org/mining")]


def test_report_without_partnership_is_refused_with_its_line() -> None:
    report = replace(without_partnership(mining_report()), source=mining_report().source)
    with pytest.raises(ReportError) as caught:
        to_graph(report, ingested_at=INGESTED)
    assert caught.value.line == 28  # the question, since the answer is missing
    assert "name of the partnership" in str(caught.value)
    assert str(caught.value).startswith(f"{MINING_FOLDER}mining-industry-2020-h1.txt:28:")


def test_partnership_slug_does_not_replace_the_partnership_name() -> None:
    with pytest.raises(ReportError, match="name of the partnership"):
        to_graph(
            without_partnership(mining_report()), ingested_at=INGESTED, partnership_slug="mining"
        )


def test_code_that_is_not_a_nuts_code_gets_no_nuts_link() -> None:
    mention = replace(mining_report().participating_regions[0], code="FI 1D7?")
    report = replace(mining_report(), participating_regions=(mention,), leading_regions=())
    graph = to_graph(report, ingested_at=INGESTED)
    region = URIRef("https://w3id.org/s3graph/region/FI%201D7%3F")
    assert graph.value(region, ns.SKOS.notation) == Literal("FI 1D7?")
    assert graph.value(region, S3G.nutsRegion) is None


def test_report_without_period_is_refused() -> None:
    with pytest.raises(ReportError, match="reporting period like"):
        report_iri(without_period(mining_report()))
    bare = replace(without_period(mining_report()), answers=())
    with pytest.raises(ReportError) as caught:
        to_graph(bare, ingested_at=INGESTED)
    assert caught.value.line == 1


def test_unknown_sdg_rating_is_a_report_error() -> None:
    report = replace(mining_report(), sdg=(SdgAnswer(3, "Goal 3", ("Maybe",), 185),))
    with pytest.raises(ReportError, match="SDG rating") as caught:
        to_graph(report, ingested_at=INGESTED)
    assert caught.value.line == 185


def test_naive_ingestion_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        to_graph(mining_report(), ingested_at=datetime(2024, 5, 1, 12, 0))


def test_interested_entities_without_answer_give_no_membership() -> None:
    report: Report = replace(small_report(), answers=(Answer("outreach", "x", "y", 1, 2),))
    graph = to_graph(report, ingested_at=INGESTED)
    assert not list(graph.subjects(ns.ORG.role, S3G.interested))


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("EIT InnoEnergy, Batteries Europe", ["EIT InnoEnergy", "Batteries Europe"]),
        (
            "Batteries Europe (the European Technology and Innovation Platform on batteries), "
            "CIC energiGUNE",
            [
                "Batteries Europe (the European Technology and Innovation Platform on batteries)",
                "CIC energiGUNE",
            ],
        ),
        ("A; B\nC", ["A", "B", "C"]),
        ("- LEITAT\n- AITEX.\n\n", ["LEITAT", "AITEX"]),
        (
            "textile centres (LEITAT, AITEX; CITEVE), EURATEX",
            ["textile centres (LEITAT, AITEX; CITEVE)", "EURATEX"],
        ),
        ("stray ) parenthesis, B", ["stray ) parenthesis", "B"]),
        (" , ; ", []),
        ("Communication with MIREU partner regions", ["Communication with MIREU partner regions"]),
    ],
)
def test_split_entities(text: str, entities: list[str]) -> None:
    assert split_entities(text) == entities
