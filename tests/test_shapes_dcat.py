"""The DCAT-AP 3 shapes of export descriptions (shapes/dcat/dcat-ap.ttl) and validate_description.

``tests/data/dcat/valid.ttl`` is a complete description of an export: it raises no problem at all.
Each breakage case edits a fresh copy of it (removes, replaces or adds triples) and lists the
problems it must raise, as (severity, focus node, path); the case passes when the problems are
exactly those, no more and no fewer. The shapes themselves are checked too: SHACL Core only,
every shape named and documented, and kept out of the report shapes of ``shapes/*.ttl``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from s3graph.resources import resource_dir
from s3graph.validate import load_shapes
from s3graph.validate.dcat import description_shapes_path, validate_description

VALID = Path(__file__).parent / "data" / "dcat" / "valid.ttl"

# rdflib compares literals of unlike datatypes (sh:lessThanOrEquals on a gYear or an ill-formed
# date) through a NotImplemented in a boolean context: its warning, not ours.
pytestmark = pytest.mark.filterwarnings(
    "ignore:NotImplemented should not be used in a boolean context:DeprecationWarning"
)

# Open namespaces: rdflib's closed DCAT lacks DCAT 3 terms such as dcat:version.
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
S3DCAT = Namespace("https://w3id.org/s3graph/shapes/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
DS = Namespace("https://w3id.org/s3graph/dataset#")

CATALOG = DS.catalog
DATASET = URIRef("https://w3id.org/s3graph/dataset")
PUBLISHER = DS.publisher
PERIOD = DS.temporal
NQUADS = DS.nquads
NQUADS_GZ = DS["nquads-gzip"]
CHECKSUM = DS["nquads-checksum"]
LINKSET = DS["links-nuts"]
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"

V, W = "Violation", "Warning"

Edit = Callable[[Graph], object]  # rdflib's remove/set/add return the graph
Expected = tuple[str, Node, URIRef | None]


def without(s: Node | None, p: URIRef | None, o: Node | None = None) -> Edit:
    """Remove the triples matching the pattern (``None`` matches anything)."""
    return lambda graph: graph.remove((s, p, o))


def replacing(s: Node, p: URIRef, o: Node) -> Edit:
    """Make ``o`` the only value of ``p`` on ``s``."""
    return lambda graph: graph.set((s, p, o))


def adding(s: Node, p: URIRef, o: Node) -> Edit:
    return lambda graph: graph.add((s, p, o))


def date(text: str, datatype: URIRef = XSD.date) -> Literal:
    return Literal(text, datatype=datatype)


SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

CASES: list[tuple[str, list[Edit], list[Expected]]] = [
    # The description as a whole
    ("empty", [without(None, None)], [(V, DCAT.Catalog, None), (V, DCAT.Dataset, None)]),
    ("no-catalog", [without(CATALOG, RDF.type)], [(V, DCAT.Catalog, None)]),
    ("dataset-untyped", [without(DATASET, RDF.type, DCAT.Dataset)],
     [(V, DCAT.Dataset, None), (W, CATALOG, DCAT.dataset)]),
    # Catalogue
    ("catalog-without-title", [without(CATALOG, DCTERMS.title)], [(V, CATALOG, DCTERMS.title)]),
    ("catalog-without-description", [without(CATALOG, DCTERMS.description)],
     [(V, CATALOG, DCTERMS.description)]),
    ("catalog-without-publisher", [without(CATALOG, DCTERMS.publisher)],
     [(V, CATALOG, DCTERMS.publisher)]),
    ("catalog-with-two-publishers",
     [adding(CATALOG, DCTERMS.publisher, DS.other), adding(DS.other, RDF.type, FOAF.Agent),
      adding(DS.other, FOAF.name, Literal("Another publisher"))],
     [(V, CATALOG, DCTERMS.publisher)]),
    ("catalog-without-dataset", [without(CATALOG, DCAT.dataset)], [(W, CATALOG, DCAT.dataset)]),
    ("catalog-without-homepage", [without(CATALOG, FOAF.homepage)],
     [(W, CATALOG, FOAF.homepage)]),
    ("catalog-homepage-literal", [replacing(CATALOG, FOAF.homepage, Literal("s3graph.eu"))],
     [(W, CATALOG, FOAF.homepage)]),
    ("catalog-without-issued", [without(CATALOG, DCTERMS.issued)], [(W, CATALOG, DCTERMS.issued)]),
    ("catalog-without-licence", [without(CATALOG, DCTERMS.license)],
     [(W, CATALOG, DCTERMS.license)]),
    ("catalog-modified-not-a-date", [replacing(CATALOG, DCTERMS.modified, Literal("last week"))],
     [(V, CATALOG, DCTERMS.modified)]),
    # Dataset: DCAT-AP
    ("dataset-without-title", [without(DATASET, DCTERMS.title)], [(V, DATASET, DCTERMS.title)]),
    ("dataset-title-not-a-literal", [replacing(DATASET, DCTERMS.title, DS.title)],
     [(V, DATASET, DCTERMS.title)]),
    ("dataset-without-description", [without(DATASET, DCTERMS.description)],
     [(V, DATASET, DCTERMS.description)]),
    ("dataset-spatial-literal", [replacing(DATASET, DCTERMS.spatial, Literal("Europe"))],
     [(V, DATASET, DCTERMS.spatial)]),
    ("dataset-keyword-not-a-literal", [adding(DATASET, DCAT.keyword, DS.keyword)],
     [(V, DATASET, DCAT.keyword)]),
    ("dataset-issued-not-a-date", [replacing(DATASET, DCTERMS.issued, Literal("2026-01-15"))],
     [(V, DATASET, DCTERMS.issued)]),
    ("dataset-issued-twice", [adding(DATASET, DCTERMS.issued, date("2026-02-01"))],
     [(V, DATASET, DCTERMS.issued)]),
    ("dataset-version-twice", [adding(DATASET, DCAT.version, Literal("1.0.0"))],
     [(V, DATASET, DCAT.version)]),
    # Dataset: s3graph's promises
    ("dataset-without-publisher", [without(DATASET, DCTERMS.publisher)],
     [(W, DATASET, DCTERMS.publisher)]),
    ("dataset-without-temporal", [without(DATASET, DCTERMS.temporal)],
     [(W, DATASET, DCTERMS.temporal)]),
    ("dataset-without-spatial", [without(DATASET, DCTERMS.spatial)],
     [(W, DATASET, DCTERMS.spatial)]),
    ("dataset-without-keywords", [without(DATASET, DCAT.keyword)], [(W, DATASET, DCAT.keyword)]),
    ("dataset-without-issued", [without(DATASET, DCTERMS.issued)], [(W, DATASET, DCTERMS.issued)]),
    ("dataset-without-modified", [without(DATASET, DCTERMS.modified)],
     [(W, DATASET, DCTERMS.modified)]),
    ("dataset-without-version", [without(DATASET, DCAT.version)], [(W, DATASET, DCAT.version)]),
    ("dataset-without-contact-point", [without(DATASET, DCAT.contactPoint)],
     [(W, DATASET, DCAT.contactPoint)]),
    ("dataset-source-a-vocabulary",
     [adding(DATASET, DCTERMS.source, URIRef("http://data.europa.eu/nuts"))],
     [(W, DATASET, DCTERMS.source)]),
    ("dataset-contact-point-untyped", [without(DS.contact, RDF.type)],
     [(W, DATASET, DCAT.contactPoint)]),
    ("distribution-without-description", [without(NQUADS, DCTERMS.description)],
     [(W, NQUADS, DCTERMS.description)]),
    ("distribution-without-availability", [without(NQUADS_GZ, DCATAP.availability)],
     [(W, NQUADS_GZ, DCATAP.availability)]),
    ("distribution-availability-literal",
     [replacing(NQUADS, DCATAP.availability, Literal("stable"))],
     [(W, NQUADS, DCATAP.availability)]),
    ("dataset-without-distributions", [without(DATASET, DCAT.distribution)],
     [(W, DATASET, DCAT.distribution)]),
    ("dataset-issued-year-month-is-a-date",
     [replacing(DATASET, DCTERMS.issued, date("2026-01", XSD.gYearMonth))], []),
    # Licence: the dataset's own, or every distribution's
    ("licence-on-the-distributions-only", [without(DATASET, DCTERMS.license)], []),
    ("no-licence-at-all", [without(None, DCTERMS.license)],
     [(W, DATASET, None), (W, NQUADS, DCTERMS.license), (W, NQUADS_GZ, DCTERMS.license),
      (W, CATALOG, DCTERMS.license)]),
    ("distribution-without-licence", [without(NQUADS, DCTERMS.license)],
     [(W, NQUADS, DCTERMS.license)]),
    ("licence-untyped", [without(CC_BY, RDF.type)],
     [(W, DATASET, DCTERMS.license), (W, NQUADS, DCTERMS.license),
      (W, NQUADS_GZ, DCTERMS.license), (W, CATALOG, DCTERMS.license)]),
    ("licence-type-literal", [replacing(CC_BY, DCTERMS.type, Literal("attribution"))],
     [(V, CC_BY, DCTERMS.type)]),
    # Publisher
    ("agent-without-name", [without(PUBLISHER, FOAF.name)], [(V, PUBLISHER, FOAF.name)]),
    ("agent-name-not-a-literal", [replacing(PUBLISHER, FOAF.name, DS.name)],
     [(V, PUBLISHER, FOAF.name)]),
    ("publisher-not-an-agent", [without(PUBLISHER, RDF.type, FOAF.Agent)],
     [(W, CATALOG, DCTERMS.publisher), (W, DATASET, DCTERMS.publisher)]),
    # Period of time
    ("period-without-start", [without(PERIOD, DCAT.startDate)], [(W, PERIOD, DCAT.startDate)]),
    ("period-without-end", [without(PERIOD, DCAT.endDate)], [(W, PERIOD, DCAT.endDate)]),
    ("period-start-not-a-date", [replacing(PERIOD, DCAT.startDate, Literal("2019-01-01"))],
     [(V, PERIOD, DCAT.startDate), (W, PERIOD, DCAT.startDate)]),  # nor comparable to the end
    ("period-start-ill-formed", [replacing(PERIOD, DCAT.startDate, date("2019-13-01"))],
     [(V, PERIOD, DCAT.startDate)]),
    ("period-ends-before-it-starts", [replacing(PERIOD, DCAT.startDate, date("2030-01-01"))],
     [(W, PERIOD, DCAT.startDate)]),
    ("period-in-years",
     [replacing(PERIOD, DCAT.startDate, date("2019", XSD.gYear)),
      replacing(PERIOD, DCAT.endDate, date("2025", XSD.gYear))], []),
    # Distribution
    ("distribution-without-access-url", [without(NQUADS, DCAT.accessURL)],
     [(V, NQUADS, DCAT.accessURL)]),
    ("access-url-literal",
     [replacing(NQUADS, DCAT.accessURL, Literal("https://w3id.org/s3graph/dump/"))],
     [(V, NQUADS, DCAT.accessURL)]),
    ("distribution-without-download-url", [without(NQUADS, DCAT.downloadURL)],
     [(W, NQUADS, DCAT.downloadURL)]),
    ("distribution-without-media-type", [without(NQUADS, DCAT.mediaType)],
     [(W, NQUADS, DCAT.mediaType)]),
    ("media-type-not-iana",
     [replacing(NQUADS, DCAT.mediaType, URIRef("https://www.w3.org/ns/formats/N-Quads"))],
     [(V, NQUADS, DCAT.mediaType)]),
    ("compression-not-iana",
     [replacing(NQUADS_GZ, DCAT.compressFormat, URIRef(f"{FILE_TYPE}GZIP"))],
     [(V, NQUADS_GZ, DCAT.compressFormat)]),
    ("format-not-an-eu-file-type",
     [replacing(NQUADS, DCTERMS["format"], URIRef("https://www.w3.org/ns/formats/N-Quads"))],
     [(V, NQUADS, DCTERMS["format"])]),
    ("distribution-without-byte-size", [without(NQUADS, DCAT.byteSize)],
     [(W, NQUADS, DCAT.byteSize)]),
    ("byte-size-negative",
     [replacing(NQUADS, DCAT.byteSize, Literal("-5", datatype=XSD.nonNegativeInteger))],
     [(V, NQUADS, DCAT.byteSize)]),
    ("byte-size-string", [replacing(NQUADS, DCAT.byteSize, Literal("187 MB"))],
     [(V, NQUADS, DCAT.byteSize)]),
    ("byte-size-xsd-integer", [replacing(NQUADS, DCAT.byteSize, Literal(187342911))],
     [(V, NQUADS, DCAT.byteSize)]),
    ("distribution-issued-not-a-date", [replacing(NQUADS, DCTERMS.issued, Literal("today"))],
     [(V, NQUADS, DCTERMS.issued)]),
    # Checksum
    ("distribution-without-checksum", [without(NQUADS, SPDX.checksum)],
     [(W, NQUADS, SPDX.checksum)]),
    ("checksum-md5", [replacing(CHECKSUM, SPDX.algorithm, SPDX.checksumAlgorithm_md5)],
     [(W, CHECKSUM, SPDX.algorithm)]),
    ("checksum-algorithm-not-spdx",
     [replacing(CHECKSUM, SPDX.algorithm, URIRef("http://example.org/crc32"))],
     [(V, CHECKSUM, SPDX.algorithm), (W, CHECKSUM, SPDX.algorithm)]),
    ("checksum-without-algorithm", [without(CHECKSUM, SPDX.algorithm)],
     [(V, CHECKSUM, SPDX.algorithm), (W, CHECKSUM, SPDX.algorithm)]),
    ("checksum-without-value", [without(CHECKSUM, SPDX.checksumValue)],
     [(V, CHECKSUM, SPDX.checksumValue)]),
    ("checksum-value-not-64-hex",
     [replacing(CHECKSUM, SPDX.checksumValue, Literal("9f86d081", datatype=XSD.hexBinary))],
     [(W, CHECKSUM, SPDX.checksumValue)]),
    ("checksum-value-not-hex-binary", [replacing(CHECKSUM, SPDX.checksumValue, Literal(SHA256))],
     [(V, CHECKSUM, SPDX.checksumValue)]),
    # VoID
    ("void-triples-negative", [replacing(LINKSET, VOID.triples, Literal(-1))],
     [(W, LINKSET, VOID.triples)]),
    ("void-triples-string", [replacing(DATASET, VOID.triples, Literal("about a million"))],
     [(W, DATASET, VOID.triples)]),
]  # fmt: skip


@pytest.fixture
def description() -> Graph:
    return Graph().parse(VALID, format="turtle")


def found(graph: Graph) -> list[tuple[str, str, str | None]]:
    return sorted((p.severity, p.focus, p.path) for p in validate_description(graph))


def test_the_valid_description_has_no_problem(description: Graph) -> None:
    assert validate_description(description) == []


@pytest.mark.parametrize(("edits", "expected"), [pytest.param(e, x, id=i) for i, e, x in CASES])
def test_a_breakage_raises_exactly_its_problems(
    description: Graph, edits: list[Edit], expected: list[Expected]
) -> None:
    for edit in edits:
        edit(description)

    assert found(description) == sorted(
        (severity, str(focus), str(path) if path is not None else None)
        for severity, focus, path in expected
    )


def test_a_problem_carries_the_shape_and_the_file(description: Graph) -> None:
    description.set((CHECKSUM, SPDX.checksumValue, Literal("9f86d081", datatype=XSD.hexBinary)))
    shapes = Graph().parse(description_shapes_path())

    (problem,) = validate_description(description, file="out/dataset.ttl")

    assert problem.file == "out/dataset.ttl"
    assert problem.line is None and problem.suggestion is None
    assert problem.rule == "checksum-value-sha256"
    assert problem.value == "9f86d081"
    assert problem.message == str(shapes.value(S3DCAT["checksum-value-sha256"], SH.message))


def test_problems_come_violations_first_and_leave_the_graph_alone(description: Graph) -> None:
    description.remove((DATASET, DCAT.version, None))  # a Warning
    description.remove((DATASET, DCTERMS.title, None))  # a Violation
    before = Graph()
    for triple in description:
        before.add(triple)

    problems = validate_description(description)

    assert [p.severity for p in problems] == [V, W]
    assert isomorphic(description, before)


# --------------------------------------------------------------------------------------------------
# The shapes file


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(description_shapes_path(), format="turtle")


def all_shapes(shapes: Graph) -> set[Node]:
    """Every shape: typed as one, attached with sh:property or sh:node, or a branch of sh:or."""
    found: set[Node] = set(shapes.subjects(RDF.type, SH.NodeShape))
    found |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    found |= set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.node))
    for branches in shapes.objects(None, SH["or"]):
        found |= set(shapes.items(branches))
    return found


def test_the_shapes_sit_in_their_subfolder() -> None:
    path = description_shapes_path()

    assert path == resource_dir("shapes") / "dcat" / "dcat-ap.ttl"
    assert path.is_file()


def test_every_shape_is_named_and_documented(shapes: Graph) -> None:
    every = all_shapes(shapes)
    assert len(every) > 50
    for shape in every:
        assert isinstance(shape, URIRef) and shape.startswith(str(S3DCAT)), shape
        assert (shape, RDF.type, None) in shapes, shape
        assert shapes.value(shape, SH.name) is not None, shape
        assert shapes.value(shape, SH.description) is not None, shape


def test_every_reporting_shape_has_a_message_and_a_severity(shapes: Graph) -> None:
    reporting = set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(
        shapes.subjects(SH.severity, None)
    )
    for shape in reporting:
        assert shapes.value(shape, SH.message) is not None, shape
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning), shape


def test_the_shapes_are_shacl_core(shapes: Graph) -> None:
    sparql = {SH.sparql, SH.select, SH.ask, SH.SPARQLConstraint, SH.SPARQLTarget, SH.target}
    used = set(shapes.predicates()) | set(shapes.objects())

    assert not used & sparql


def test_the_shapes_are_well_formed_shacl(shapes: Graph, description: Graph) -> None:
    conforms, _, text = validate(description, shacl_graph=shapes, meta_shacl=True, inference="none")

    assert conforms, text


def test_report_validation_does_not_load_these_shapes() -> None:
    report_shapes = load_shapes()

    assert not any(str(s).startswith(str(S3DCAT)) for s in report_shapes.subjects())
    assert description_shapes_path() not in set(resource_dir("shapes").glob("*.ttl"))
