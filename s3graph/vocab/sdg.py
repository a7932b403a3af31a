"""The UN Sustainable Development Goals as SKOS.

The 17 goals (IRI, notation, short English title) are always available offline from
``sdg-goals.ttl``, a file written by the s3graph authors. The UN's full SKOS file (targets,
indicators, titles in several languages) is loaded with :func:`load_sdg_kos` once fetched from
:func:`s3graph.vocab.sources.urls.sdg_kos_url` or given by the user.

The UN's IRIs are ``http://``; some consumers write ``https://metadata.un.org/sdg/7`` or add a
trailing slash. :func:`normalise_sdg_iri` maps those to the stored form.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from s3graph.errors import ReportError
from s3graph.rdf.namespaces import SDG, SDG_KOS
from s3graph.vocab.rdf_files import VocabFileError, parse_rdf_file

#: The UN SDG concept scheme, also the identifier of the SDG graph.
SDG_SCHEME = URIRef(SDG_KOS)
#: The UN SDG ontology (``sdgo:Goal``, ``sdgo:Target``, ``sdgo:Indicator``...).
SDGO = SDG.iri("ontology#")
#: Number of goals.
GOAL_COUNT = 17

_GOALS_FILE = "sdg-goals.ttl"
_SDG_IRI_RE = re.compile(
    r"^https?://metadata\.un\.org/sdg(?:/(?P<local>[^?#]*))?(?:[?#].*)?$", re.IGNORECASE
)


def goal_iri(number: int) -> URIRef:
    """``http://metadata.un.org/sdg/{n}`` for goal ``n`` (1-17)."""
    if not 1 <= number <= GOAL_COUNT:
        raise ValueError(f"there is no SDG {number}: goals are numbered 1 to {GOAL_COUNT}")
    return SDG[str(number)]


def normalise_sdg_iri(iri: str) -> str:
    """The stored form of a UN SDG IRI: ``http://``, no trailing slash, no query or fragment.

    >>> normalise_sdg_iri("https://metadata.un.org/sdg/7/")
    'http://metadata.un.org/sdg/7'
    >>> normalise_sdg_iri("https://metadata.un.org/sdg/?lang=en")
    'http://metadata.un.org/sdg'

    Raises ValueError for an IRI outside ``metadata.un.org/sdg``.
    """
    text = iri.strip().strip("<>")
    match = _SDG_IRI_RE.match(text)
    if match is None:
        raise ValueError(f"not a UN SDG IRI (http://metadata.un.org/sdg/...): {iri!r}")
    local = (match.group("local") or "").strip("/")
    return f"{SDG_SCHEME}/{local}" if local else str(SDG_SCHEME)


def _new_graph(identifier: URIRef = SDG_SCHEME) -> Graph:
    graph = Graph(identifier=identifier)
    graph.bind("sdg", SDG)
    graph.bind("sdgo", SDGO)
    graph.bind("skos", SKOS)
    return graph


def sdg_graph() -> Graph:
    """A fresh graph of the 17 goals (identifier ``http://metadata.un.org/sdg``), no network."""
    graph = _new_graph()
    text = resources.files(__package__).joinpath(_GOALS_FILE).read_text(encoding="utf-8")
    graph.parse(data=text, format="turtle")
    return graph


def load_sdg_kos(path: str | Path) -> Graph:
    """The UN SDG KOS file (``sdg-kos-goals-targets-indicators.ttl`` or similar) as a graph.

    The graph has the identifier ``http://metadata.un.org/sdg``, like :func:`sdg_graph`, so it
    replaces the offline goals in a store. Raises :class:`VocabFileError` when the file cannot
    be parsed or holds no ``sdgo:Goal`` (not the UN file).
    """
    source = Path(path)
    graph = _new_graph()
    parse_rdf_file(
        source,
        lambda file, fmt: graph.parse(source=str(file), format=fmt),
        missing="an existing UN SDG SKOS file",
        expected="the UN SDG SKOS file",
    )
    goals = set(graph.subjects(RDF.type, URIRef(SDGO + "Goal")))
    if not goals:
        raise VocabFileError(
            source, f"the UN SDG SKOS file, with goals typed <{SDGO}Goal>; found no goal"
        )
    return graph


#: The SDG CSV tables (goals, targets, indicators) by their first columns, with the class of
#: their rows, the column of the row's notation and the column of the broader concept's IRI.
SDG_CSV_LAYOUTS: dict[tuple[str, ...], tuple[str, str, str | None]] = {
    ("goal", "short_title", "title", "iri"): ("Goal", "goal", None),
    ("target", "goal", "title", "iri", "goal_iri"): ("Target", "target", "goal_iri"),
    ("indicator", "target", "goal", "title", "iri"): ("Indicator", "indicator", "target"),
}

#: The named graph of each SDG CSV table: beside the SDG graph, so that loading one table never
#: replaces another (nor the goals of the SDG graph).
SDG_TABLE_GRAPH = "https://w3id.org/s3graph/graph/sdg/{kind}"


def sdg_csv_layout(header: list[str]) -> tuple[str, str, str | None] | None:
    """The layout of an SDG CSV header (see :data:`SDG_CSV_LAYOUTS`), or None."""
    for columns, layout in SDG_CSV_LAYOUTS.items():
        if tuple(header[: len(columns)]) == columns:
            return layout
    return None


def sdg_csv_graph(text: str, name: str) -> Graph:
    """The rows of an SDG CSV table (goals, targets or indicators) as SKOS concepts.

    Each row's ``iri`` becomes a ``skos:Concept`` of the UN SDG scheme typed by its kind
    (``sdgo:Goal``...), with its code as ``skos:notation``, its ``title`` as English
    ``skos:prefLabel`` (``title_fr``/``title_es`` in their languages, ``short_title`` as
    ``skos:altLabel``) and ``skos:broader`` the goal of a target or the target of an indicator.
    Raises :class:`~s3graph.errors.ReportError` (file, line, what was expected) for a table of
    another layout or a row without an SDG IRI.
    """
    import csv
    import io

    from rdflib import Literal

    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]] if rows else []
    layout = sdg_csv_layout(header)
    if layout is None:
        expected = " or ".join(",".join(c) for c in SDG_CSV_LAYOUTS)
        raise ReportError(name, 1, f"an SDG CSV header beginning {expected}", ",".join(header))
    kind, code_column, broader_column = layout
    graph = _new_graph(URIRef(SDG_TABLE_GRAPH.format(kind=kind.lower() + "s")))
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row = dict(zip(header, (c.strip() for c in cells), strict=False))
        if not row.get("iri", "").startswith(str(SDG)):
            raise ReportError(name, number, f"an IRI under {SDG} in column iri")
        concept = URIRef(row["iri"])
        graph.add((concept, RDF.type, URIRef(SDGO + kind)))
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.inScheme, SDG_SCHEME))
        graph.add((concept, SKOS.notation, Literal(row[code_column])))
        for column, language in (("title", "en"), ("title_fr", "fr"), ("title_es", "es")):
            if row.get(column):
                graph.add((concept, SKOS.prefLabel, Literal(row[column], lang=language)))
        if row.get("short_title"):
            graph.add((concept, SKOS.altLabel, Literal(row["short_title"], lang="en")))
        if broader_column == "target" and row.get("target"):
            graph.add((concept, SKOS.broader, SDG[row["target"]]))
        elif broader_column and row.get(broader_column):
            graph.add((concept, SKOS.broader, URIRef(row[broader_column])))
    return graph


__all__ = [
    "GOAL_COUNT",
    "SDGO",
    "SDG_SCHEME",
    "goal_iri",
    "load_sdg_kos",
    "normalise_sdg_iri",
    "sdg_csv_graph",
    "sdg_csv_layout",
    "sdg_graph",
]
