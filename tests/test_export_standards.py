"""An export of the bundled examples, judged by the standards it claims: DCAT-AP 3 for its
description, CSVW for its tables, SKOS labels for every code its graphs use.

DCAT-AP: ``shapes/dcat/dcat-ap.ttl`` are s3graph's own shapes, written from the DCAT-AP 3.0.1
specification (the official SHACL files are not shipped by any package we can install); they must
find no Violation and no Warning. The official shapes also check, with ``sh:class``, the class of
every linked node: that can only pass when the node's type is in the same graph, a closed-world
reading. :data:`RANGES` restates those range classes for the properties a description may use, and
the test allows a missing type only for the nodes of the controlled vocabularies that DCAT-AP tells
us to use, whose classes their publishers state (:data:`CLOSED_WORLD`); every other linked node is
typed in the description itself.

CSVW: the ``csvw`` package validates the tables against ``csv-metadata.json`` (datatypes, required
values, keys), but it accepts a header that matches a column's ``name`` when the column has
``titles`` that differ; :func:`header_problems` checks that rule of the CSVW tabular data model
itself: each header cell is one of the column's titles, or equals its name when it has none.
"""

from __future__ import annotations

import csv
import json
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

from s3graph.cli import main
from s3graph.export.run import ExportSettings, export
from s3graph.store import Store
from s3graph.validate.dcat import validate_description

RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
ORG = Namespace("http://www.w3.org/ns/org#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
S3G = Namespace("https://w3id.org/s3graph/def#")

#: DCAT-AP 3.0.1: class of the subject -> property -> class its values must have (sh:class).
RANGES: dict[URIRef, dict[URIRef, URIRef]] = {
    DCAT.Catalog: {
        DCT.language: DCT.LinguisticSystem, FOAF.homepage: FOAF.Document,
        DCT.license: DCT.LicenseDocument, DCT.publisher: FOAF.Agent, DCT.creator: FOAF.Agent,
        DCAT.dataset: DCAT.Dataset, DCT.rights: DCT.RightsStatement, DCT.spatial: DCT.Location,
        DCT.temporal: DCT.PeriodOfTime, DCAT.themeTaxonomy: SKOS.ConceptScheme,
        DCAT.service: DCAT.DataService, DCAT.catalog: DCAT.Catalog, DCT.hasPart: DCAT.Catalog,
        DCAT.record: DCAT.CatalogRecord,
    },
    DCAT.Dataset: {
        DCT.spatial: DCT.Location, DCT.language: DCT.LinguisticSystem, DCAT.theme: SKOS.Concept,
        DCAT.contactPoint: VCARD.Kind, DCT.publisher: FOAF.Agent, DCT.creator: FOAF.Agent,
        DCT.temporal: DCT.PeriodOfTime, DCAT.distribution: DCAT.Distribution,
        DCT.source: DCAT.Dataset, DCT.type: SKOS.Concept, DCT.accrualPeriodicity: DCT.Frequency,
        DCT.accessRights: DCT.RightsStatement, DCT.conformsTo: DCT.Standard,
        DCAT.landingPage: FOAF.Document, FOAF.page: FOAF.Document,
        DCT.provenance: DCT.ProvenanceStatement, DCAT.hasVersion: DCAT.Dataset,
        DCAT.inSeries: DCAT.DatasetSeries, ADMS.sample: DCAT.Distribution,
        ADMS.identifier: ADMS.Identifier, PROV.wasGeneratedBy: PROV.Activity,
        DCAT.qualifiedRelation: DCAT.Relationship, PROV.qualifiedAttribution: PROV.Attribution,
    },
    DCAT.Distribution: {
        DCT["format"]: DCT.MediaTypeOrExtent, DCAT.mediaType: DCT.MediaType,
        DCAT.compressFormat: DCT.MediaType, DCAT.packageFormat: DCT.MediaType,
        DCT.license: DCT.LicenseDocument, DCT.rights: DCT.RightsStatement,
        SPDX.checksum: SPDX.Checksum, DCATAP.availability: SKOS.Concept,
        DCT.language: DCT.LinguisticSystem, FOAF.page: FOAF.Document,
        DCT.conformsTo: DCT.Standard, ADMS.status: SKOS.Concept,
        DCAT.accessService: DCAT.DataService, ODRL.hasPolicy: ODRL.Policy,
    },
    SPDX.Checksum: {SPDX.algorithm: SPDX.ChecksumAlgorithm},
    DCT.LicenseDocument: {DCT.type: SKOS.Concept},
    FOAF.Agent: {DCT.type: SKOS.Concept},
    DCT.PeriodOfTime: {TIME.hasBeginning: TIME.Instant, TIME.hasEnd: TIME.Instant},
}  # fmt: skip

#: The closed-world artefacts: property -> the namespace of the controlled vocabulary DCAT-AP
#: asks for, whose nodes the description links to without restating their class (it is stated
#: by the vocabulary's publisher, and a validator sees it only with that vocabulary loaded):
#: dct:language       a dct:LinguisticSystem: the EU Publications Office language table (ENG)
#: dct:spatial        a dct:Location: the EU continent table (EUROPE) and the Eurostat NUTS
#:                    countries the reports cover
#: dcat:theme         a skos:Concept: the EU data-theme table (REGI, ECON)
#: dct:format         a dct:MediaTypeOrExtent: the EU file-type table (CSV, JSON, RDF_N_QUADS...)
#: dcat:mediaType     a dct:MediaType: IANA's media types (text/csv, application/n-quads...)
#: dcat:compressFormat a dct:MediaType: IANA's application/gzip (gzip exports)
#: spdx:algorithm     a spdx:ChecksumAlgorithm: SPDX's checksumAlgorithm_sha256
#: dct:type           a skos:Concept: the ADMS licence type of CC BY 4.0 (Attribution)
CLOSED_WORLD: dict[URIRef, tuple[str, ...]] = {
    DCT.language: ("http://publications.europa.eu/resource/authority/language/",),
    DCT.spatial: (
        "http://publications.europa.eu/resource/authority/continent/",
        "http://data.europa.eu/nuts/",
    ),
    DCAT.theme: ("http://publications.europa.eu/resource/authority/data-theme/",),
    DCT["format"]: ("http://publications.europa.eu/resource/authority/file-type/",),
    DCAT.mediaType: ("https://www.iana.org/assignments/media-types/",),
    DCAT.compressFormat: ("https://www.iana.org/assignments/media-types/",),
    SPDX.algorithm: ("http://spdx.org/rdf/terms#checksumAlgorithm_",),
    DCT.type: ("http://purl.org/adms/licencetype/",),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled examples, ingested by the CLI and exported in every format."""
    folder = tmp_path_factory.mktemp("standards")
    store_path = folder / "store"
    done = CliRunner().invoke(main, ["--store", str(store_path), "ingest", "--examples"])
    assert done.exit_code == 0, done.output
    with Store.open(store_path, read_only=True) as store:
        return export(store, folder / "out", ExportSettings()).folder


@pytest.fixture(scope="module")
def description(exported: Path) -> Graph:
    return Graph().parse(exported / "dataset.ttl", format="turtle")


# -- DCAT-AP 3 ------------------------------------------------------------------------------------


def test_the_description_has_no_dcat_ap_violation(description: Graph) -> None:
    problems = validate_description(description)
    assert [p for p in problems if p.severity == "Violation"] == []
    assert problems == []


def untyped_links(description: Graph) -> set[tuple[URIRef, Node, URIRef]]:
    """(property, value, class) of each link whose value lacks the class DCAT-AP wants for it."""
    missing = set()
    for subject_class, ranges in RANGES.items():
        for subject in set(description.subjects(RDF.type, subject_class)):
            for prop, value_class in ranges.items():
                for value in description.objects(subject, prop):
                    if (value, RDF.type, value_class) not in description:
                        missing.add((prop, value, value_class))
    return missing


def test_only_controlled_vocabularies_miss_their_dcat_ap_class(description: Graph) -> None:
    missing = untyped_links(description)
    ours = {
        (prop, value) for prop, value, _ in missing
        if not str(value).startswith(CLOSED_WORLD.get(prop, ("(none)",)))
    }  # fmt: skip

    assert ours == set()
    # Every kind listed is met in a full export (compressFormat only in a gzip one).
    assert {prop for prop, _, _ in missing} == set(CLOSED_WORLD) - {DCAT.compressFormat}


def test_a_linked_node_of_ours_must_be_typed(description: Graph) -> None:
    """The check above can fail: the contact point without its type is one of ours untyped."""
    broken = Graph()
    for triple in description:
        broken.add(triple)
    contact = next(description.objects(None, DCAT.contactPoint))
    broken.remove((contact, RDF.type, None))
    assert (DCAT.contactPoint, contact, VCARD.Kind) in untyped_links(broken)


def test_the_dataset_refers_to_nuts_and_sdgs_without_claiming_to_derive_from_them(
    description: Graph,
) -> None:
    (dataset,) = description.subjects(RDF.type, DCAT.Dataset)
    references = set(description.objects(dataset, DCT.references))

    assert {URIRef("http://data.europa.eu/nuts"), URIRef("http://metadata.un.org/sdg")} <= (
        references
    )
    for source in description.objects(dataset, DCT.source):
        assert (source, RDF.type, DCAT.Dataset) in description


# -- the ontology's concepts in the dumps --------------------------------------------------------


def test_every_code_of_ours_the_dumps_use_has_its_label_and_scheme(exported: Path) -> None:
    union = Graph().parse(exported / "s3graph.nt", format="nt")
    codes = {
        o for p in (S3G.rating, S3G.question, ORG.role) for o in union.objects(None, p)
        if str(o).startswith(str(S3G))
    }  # fmt: skip

    assert len(codes) > 10
    for code in codes:
        assert union.value(code, SKOS.prefLabel) is not None, code
        scheme = union.value(code, SKOS.inScheme)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in union, code
    ours = {S3G.RoleScheme, S3G.SdgRatingScheme, S3G.FormQuestionScheme, S3G.PlatformScheme}
    assert ours <= set(union.subjects(RDF.type, SKOS.ConceptScheme))
    for scheme in ours:  # DCAT-AP's shape of a concept scheme wants a dct:title
        assert union.value(scheme, DCT.title) is not None, scheme
    for node in {*codes, *ours}:  # SKOS: one preferred label per language
        labels = union.objects(node, SKOS.prefLabel)
        languages = [getattr(label, "language", None) for label in labels]
        assert len(languages) == len(set(languages)) == 1, node


# -- CSVW -----------------------------------------------------------------------------------------


def titles_of(column: dict[str, Any]) -> set[str]:
    """A column's titles: a string, a list of strings, or a map of language to either."""
    found: set[str] = set()
    titles = column.get("titles")
    for value in titles.values() if isinstance(titles, dict) else [titles]:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list):
            found.update(v for v in value if isinstance(v, str))
    return found


def header_problems(metadata_path: Path) -> list[str]:
    """Tables whose header row does not match their columns: a header cell must be one of the
    column's titles, or its name when the column has no titles; one cell per column that is not
    virtual, in order."""
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    problems = []
    for table in metadata["tables"]:
        columns = [c for c in table["tableSchema"]["columns"] if not c.get("virtual")]
        with (metadata_path.parent / table["url"]).open(encoding="utf-8", newline="") as file:
            header = next(csv.reader(file))
        if len(header) != len(columns):
            problems.append(f"{table['url']}: {len(header)} header cells, {len(columns)} columns")
        for cell, column in zip(header, columns, strict=False):
            allowed = titles_of(column) or {column.get("name")}
            if cell not in allowed:
                problems.append(f"{table['url']}: header {cell!r} is not one of {sorted(allowed)}")
    return problems


def csvw_problems(metadata_path: Path) -> Iterator[str]:
    """What the csvw package finds when it validates the tables strictly against the metadata."""
    from csvw import CSVW

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checked = CSVW(str(metadata_path), validate=True, strict=True)
    yield from (str(w.message) for w in caught)
    if not checked.is_valid:
        yield from (str(w.message) for w in checked.warnings)
        yield "csvw: not valid"


def test_the_tables_pass_the_csvw_validator(exported: Path) -> None:
    assert list(csvw_problems(exported / "csv" / "csv-metadata.json")) == []


def test_every_csv_header_matches_its_columns(exported: Path) -> None:
    assert header_problems(exported / "csv" / "csv-metadata.json") == []


def test_the_header_check_fails_on_titles_the_header_does_not_use(
    exported: Path, tmp_path: Path
) -> None:
    folder = shutil.copytree(exported / "csv", tmp_path / "csv")
    metadata_path = folder / "csv-metadata.json"
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    first = metadata["tables"][0]["tableSchema"]["columns"][0]
    first["titles"] = {"en": [first["name"].capitalize() + " IRI"]}
    metadata_path.write_text(json.dumps(metadata), encoding="utf-8")

    assert len(header_problems(metadata_path)) == 1
    assert list(csvw_problems(metadata_path)) == []  # what the csvw package lets through
