"""The DCAT-AP 3 description of an export (``dataset.ttl`` and ``dataset.jsonld``), with VoID.

The fixed part (catalogue, publisher, contact point, licence, attribution, themes) is Turtle in
``templates/dataset.ttl``, its relative IRIs resolved against the export's base. Added here from
what was exported and measured: one ``dcat:Distribution`` per file with its download URL, media
type, format, byte size, SHA-256 checksum, a description and a stable planned availability (the
DCAT-AP recommended properties); temporal coverage from the reporting periods; spatial coverage
from the countries of the regions; issue and modification times from the ingestions (the
earliest also the catalogue's release date); the partnerships as keywords; VoID statistics and
one linkset per external vocabulary. Every node is an IRI and the output is sorted, so the same
store and files give the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from s3graph.export.jsonld import JsonLdWriter
from s3graph.export.views import Statistics, Syntax
from s3graph.rdf.formats import FORMATS, Format, by_suffix
from s3graph.rdf.namespaces import (
    DCAT,
    DCATAP,
    DCTERMS,
    FOAF,
    IANA_MEDIA_TYPES,
    NUTS,
    PLANNED_AVAILABILITY,
    RDF,
    S3G,
    SDG_KOS,
    SPDX,
    VCARD,
    VOID,
    XSD,
)
from s3graph.sparql import load_description_query, select
from s3graph.store import GraphStore

__all__ = [
    "DESCRIPTION_STEM",
    "EXPORT_FORMATS",
    "Description",
    "FileFacts",
    "contact_link",
    "describe",
    "file_facts",
]

#: File name (without extension) of the description.
DESCRIPTION_STEM = "dataset"

_TEMPLATE = Path(__file__).with_name("templates") / "dataset.ttl"

_DCAT = str(DCAT)
_DCT = str(DCTERMS)
_RDF_TYPE = RDF.iri("type")
_SPDX = str(SPDX)
_VOID = str(VOID)
_XSD = str(XSD)
_DCATAP = str(DCATAP)
_IANA = str(IANA_MEDIA_TYPES)
_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
_STABLE = PLANNED_AVAILABILITY.iri("STABLE")

#: The formats of the exported files (before any ``.gz``).
EXPORT_FORMATS: tuple[Format, ...] = tuple(
    FORMATS[media]
    for media in (
        "application/n-quads",
        "application/n-triples",
        "text/turtle",
        "application/ld+json",
        "text/csv",
        "application/csvm+json",
    )
)

#: Link predicate -> (the vocabulary linked to, linkset name, title).
LINKSETS: Mapping[str, tuple[str, str, str]] = {
    S3G.iri("nutsRegion"): (NUTS.rstrip("/"), "links-nuts", "Regions linked to NUTS"),
    S3G.iri("goal"): (
        SDG_KOS,
        "links-sdg",
        "SDG assessments linked to the UN SDGs",
    ),
}


@dataclass(frozen=True, slots=True)
class FileFacts:
    """One exported file: its path under the export folder, size and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Description:
    """Where the description's IRIs and links point."""

    base: str
    download_base: str
    publisher: str | None = None
    #: An e-mail or web address to contact the publisher at (else the site's home page).
    contact: str | None = None

    @property
    def dataset(self) -> str:
        return f"{self.base}{DESCRIPTION_STEM}"

    @property
    def catalog(self) -> str:
        return f"{self.dataset}#catalog"


def file_facts(folder: Path, path: Path) -> FileFacts:
    """Size and SHA-256 of ``path`` (a file under ``folder``), read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return FileFacts(path.relative_to(folder).as_posix(), path.stat().st_size, digest.hexdigest())


def describe(
    store: GraphStore,
    files: Iterable[FileFacts],
    statistics: Statistics,
    settings: Description,
    *,
    partnerships: Mapping[str, str],
    titles: Mapping[str, str],
) -> list[ox.Triple]:
    """The description's triples, sorted.

    ``partnerships`` maps the partnerships with reports to their names (see
    :func:`partnership_titles`), which become keywords; ``titles`` gives a title per file path
    (else one is made up).
    """
    triples = list(_template(settings))
    add = _Adder(triples)
    dataset = settings.dataset
    _coverage(add, store, settings)
    for name in partnerships.values():
        add(dataset, f"{_DCAT}keyword", ox.Literal(name, language="en"))
    for row in _query(store, "countries"):
        add(dataset, f"{_DCT}spatial", row["country"])
    for facts in sorted(files, key=lambda f: f.path):
        _distribution(add, settings, facts, titles.get(facts.path))
    _void(add, store, settings, statistics)
    return sorted_triples(triples)


def partnership_titles(store: GraphStore) -> dict[str, str]:
    """Partnership IRI -> its name, for every partnership with reports."""
    return {row["partnership"].value: row["keyword"].value for row in _query(store, "keywords")}


def write_description(triples: list[ox.Triple], folder: Path, syntax: Syntax) -> list[Path]:
    """``dataset.ttl`` and ``dataset.jsonld`` in ``folder``."""
    ttl = folder / f"{DESCRIPTION_STEM}.ttl"
    jsonld = folder / f"{DESCRIPTION_STEM}.jsonld"
    ox.serialize(triples, str(ttl), ox.RdfFormat.TURTLE, prefixes=syntax.prefixes)
    with jsonld.open("wb") as output:
        writer = JsonLdWriter(output, syntax.context)
        for triple in triples:
            writer.add(triple)
        writer.close()
    return [ttl, jsonld]


def sorted_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """``triples`` without repeats, in the order of their canonical N-Triples lines."""
    data = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # no output given: pyoxigraph returns the bytes
    lines = sorted(set(data.splitlines(keepends=True)))
    parsed = ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES)
    return [ox.Triple(q.subject, q.predicate, q.object) for q in parsed]


class _Adder:
    """Appends triples given as IRIs (strings) and terms."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.triples = triples

    def __call__(
        self, subject: str, predicate: str, value: str | ox.NamedNode | ox.Literal
    ) -> None:
        node = ox.NamedNode(value) if isinstance(value, str) else value
        self.triples.append(ox.Triple(ox.NamedNode(subject), ox.NamedNode(predicate), node))


def contact_link(contact: str) -> tuple[str, str]:
    """The vCard property and IRI of a contact given as an e-mail address (``name@host``, or a
    ``mailto:`` IRI) or a web address (``http(s)://``); raises ValueError for anything else,
    since DCAT-AP wants a contact point one can actually reach."""
    text = contact.strip()
    address = text.removeprefix("mailto:")
    local, _, host = address.partition("@")
    link = None
    if text.startswith(("http://", "https://")):
        link = VCARD.iri("hasURL"), text
    elif local and "." in host and "/" not in address:
        link = VCARD.iri("hasEmail"), f"mailto:{address}"
    try:
        if link is not None and " " not in text:
            ox.NamedNode(link[1])  # refuses what is not an IRI
            return link
    except ValueError:
        pass
    raise ValueError(f"contact {contact!r} is neither an e-mail address nor an http(s) URL")


def _template(settings: Description) -> Iterable[ox.Triple]:
    contact = ox.NamedNode(f"{settings.dataset}#contact")
    # The publisher's name is said twice: as the agent's name and as the contact point's.
    names = {
        (ox.NamedNode(f"{settings.dataset}#publisher"), FOAF.node("name")),
        (contact, VCARD.node("fn")),
    }
    for quad in ox.parse(path=_TEMPLATE, format=ox.RdfFormat.TURTLE, base_iri=settings.base):
        predicate, value = quad.predicate, quad.object
        if settings.publisher and (quad.subject, predicate) in names:
            value = ox.Literal(settings.publisher)
        if settings.contact and (quad.subject, predicate) == (contact, VCARD.node("hasURL")):
            link, iri = contact_link(settings.contact)
            predicate, value = ox.NamedNode(link), ox.NamedNode(iri)
        yield ox.Triple(quad.subject, predicate, value)


def _query(store: GraphStore, name: str) -> list[ox.QuerySolution]:
    """The solutions of the description query ``queries/dumps/{name}.rq``."""
    query = load_description_query(name)
    return list(select(store, query.text, query.path, kind="description query"))


def _coverage(add: _Adder, store: GraphStore, settings: Description) -> None:
    dataset = settings.dataset
    row = _query(store, "coverage")[0]
    if row["startDate"] is not None and row["endDate"] is not None:
        temporal = f"{dataset}#temporal"
        add(dataset, f"{_DCT}temporal", temporal)
        add(temporal, _RDF_TYPE, f"{_DCT}PeriodOfTime")
        add(temporal, f"{_DCAT}startDate", row["startDate"])
        add(temporal, f"{_DCAT}endDate", row["endDate"])
    if row["issued"] is not None and row["modified"] is not None:
        add(dataset, f"{_DCT}issued", row["issued"])
        add(settings.catalog, f"{_DCT}issued", row["issued"])
        add(dataset, f"{_DCT}modified", row["modified"])
        # The version is the day of the latest ingestion (calendar versioning: 2026.11.27).
        add(dataset, f"{_DCAT}version", ox.Literal(row["modified"].value[:10].replace("-", ".")))


def _distribution(add: _Adder, settings: Description, facts: FileFacts, title: str | None) -> None:
    name = facts.path.removesuffix(".gz")
    file_format = by_suffix(Path(name).suffix)
    assert file_format is not None and file_format.file_type is not None, name
    distribution = f"{settings.dataset}/distribution/{facts.path}"
    checksum = f"{distribution}#sha256"
    add(settings.dataset, f"{_DCAT}distribution", distribution)
    add(distribution, _RDF_TYPE, f"{_DCAT}Distribution")
    title = title or _title(name, file_format.label)
    add(distribution, f"{_DCT}title", ox.Literal(title, language="en"))
    add(distribution, f"{_DCT}description", _file_description(facts.path, title))
    add(distribution, f"{_DCATAP}availability", _STABLE)
    add(distribution, f"{_DCAT}accessURL", settings.download_base)
    add(distribution, f"{_DCAT}downloadURL", settings.download_base + facts.path)
    add(distribution, f"{_DCAT}mediaType", _IANA + file_format.media_type)
    add(distribution, f"{_DCT}format", file_format.file_type)
    if facts.path.endswith(".gz"):
        add(distribution, f"{_DCAT}compressFormat", f"{_IANA}application/gzip")
    add(distribution, f"{_DCAT}byteSize", _integer(facts.size, "nonNegativeInteger"))
    add(distribution, f"{_DCT}license", _LICENCE)
    add(distribution, f"{_SPDX}checksum", checksum)
    add(checksum, _RDF_TYPE, f"{_SPDX}Checksum")
    add(checksum, f"{_SPDX}algorithm", f"{_SPDX}checksumAlgorithm_sha256")
    add(
        checksum,
        f"{_SPDX}checksumValue",
        ox.Literal(facts.sha256, datatype=ox.NamedNode(f"{_XSD}hexBinary")),
    )
    whole = "/" not in name and not name.startswith("context")
    if whole and Path(name).suffix in (".nq", ".nt", ".ttl", ".jsonld"):
        add(settings.dataset, f"{_VOID}dataDump", settings.download_base + facts.path)


def _file_description(path: str, title: str) -> ox.Literal:
    return ox.Literal(
        f"{title}: the file {path} of the s3graph export (SHA256SUMS beside it lists its "
        "SHA-256 checksum).",
        language="en",
    )


def _title(name: str, format_name: str) -> str:
    stem = Path(name).stem
    if name.startswith("csv/"):
        return (
            f"Table {stem}, {format_name}"
            if stem != "csv-metadata"
            else "Description of the CSV tables (CSVW)"
        )
    if stem == "context":
        return "The JSON-LD context of the JSON-LD files"
    if name.endswith(".nq"):
        return f"Every named graph (reports, validation results, vocabularies), {format_name}"
    return f"The union of the named graphs, {format_name}"


def _void(add: _Adder, store: GraphStore, settings: Description, statistics: Statistics) -> None:
    dataset = settings.dataset
    add(dataset, f"{_VOID}uriSpace", ox.Literal(settings.base))
    add(dataset, f"{_VOID}sparqlEndpoint", f"{settings.base}sparql")
    add(dataset, f"{_VOID}triples", _integer(statistics.triples))
    add(dataset, f"{_VOID}entities", _integer(statistics.entities))
    add(dataset, f"{_VOID}distinctSubjects", _integer(statistics.distinct_subjects))
    add(dataset, f"{_VOID}classes", _integer(len(statistics.classes)))
    add(dataset, f"{_VOID}properties", _integer(len(statistics.properties)))
    links = {row["predicate"].value: int(row["links"].value) for row in _query(store, "linksets")}
    for predicate, (target, name, title) in LINKSETS.items():
        linkset = f"{dataset}#{name}"
        add(dataset, f"{_VOID}subset", linkset)
        add(linkset, _RDF_TYPE, f"{_VOID}Linkset")
        add(linkset, f"{_DCT}title", ox.Literal(title, language="en"))
        add(linkset, f"{_VOID}subjectsTarget", dataset)
        add(linkset, f"{_VOID}objectsTarget", target)
        add(linkset, f"{_VOID}linkPredicate", predicate)
        add(linkset, f"{_VOID}triples", _integer(links.get(predicate, 0)))


def _integer(value: int, datatype: str = "integer") -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(f"{_XSD}{datatype}"))
