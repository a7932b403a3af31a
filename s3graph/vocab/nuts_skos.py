"""A reader of SKOS NUTS files: the regions of the Publications Office's files, or of ours.

Accepts the NUTS level as ``s3g:nutsLevel`` or the Publications Office's
``http://data.europa.eu/nuts/level``, labels with or without the code in front, and one named
graph per version in TriG/N-Quads (see :mod:`s3graph.vocab.nuts_rdf` for the graphs we write).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from s3graph.namespaces import NUTS_CODE, S3G
from s3graph.vocab.nuts_index import NutsRegion
from s3graph.vocab.nuts_rdf import NUTS_SCHEME_PREFIX, PO_NUTS_LEVEL, label_languages, label_script
from s3graph.vocab.rdf_files import VocabFileError, parse_rdf_file

_SCHEME_RE = re.compile(r"^https?://data\.europa\.eu/nuts/scheme/(\d{4})/?$")
_CODE_RE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def _code_of(node: Node, graph: Graph) -> str | None:
    for notation in graph.objects(node, SKOS.notation):
        if isinstance(notation, Literal) and _CODE_RE.match(str(notation).strip()):
            return str(notation).strip()
    text = str(node)
    if isinstance(node, URIRef) and text.startswith(str(NUTS_CODE)):
        tail = text[len(str(NUTS_CODE)) :].strip("/")
        if _CODE_RE.match(tail):
            return tail
    return None


def _strip_code(label: str, code: str) -> str:
    """``"FI1D7 Lappi"`` -> ``"Lappi"`` (the Publications Office's literal forms carry the code)."""
    text = label.strip()
    for sep in (" - ", " ", "\u00a0"):
        if text.startswith(code + sep) and len(text) > len(code) + len(sep):
            return text[len(code) + len(sep) :].strip()
    return text


def _pick_label(literals: list[Literal], country: str) -> Literal | None:
    preferred = label_languages(country)

    def rank(lit: Literal) -> tuple[int, str, str]:
        lang = (lit.language or "").lower()
        order = 0 if not lang else 1 if lang in preferred else 2
        return (order, lang, str(lit))

    return min(literals, key=rank) if literals else None


def _latin_of(label: str, alt: list[Literal]) -> str:
    tagged = sorted(str(a) for a in alt if (a.language or "").lower().endswith("-latn"))
    if tagged:
        return tagged[0]
    if label_script(label) != "latin":
        latin = sorted(str(a) for a in alt if label_script(str(a)) == "latin")
        if latin:
            return latin[0]
    return label


def _level_of(node: Node, graph: Graph, code: str) -> int:
    for prop in (S3G.nutsLevel, PO_NUTS_LEVEL):
        for value in graph.objects(node, prop):
            match = re.search(r"(\d)/?$", str(value).strip())
            if match:
                return int(match.group(1))
    return len(code) - 2


def _parent_of(node: Node, graph: Graph, code: str) -> str | None:
    codes = [c for c in (_code_of(b, graph) for b in graph.objects(node, SKOS.broader)) if c]
    prefixes = [c for c in codes if code.startswith(c) and c != code]
    if prefixes:
        return max(prefixes, key=len)
    return sorted(codes)[0] if codes else None


def _regions_in(graph: Graph, wanted: int | None) -> Iterator[NutsRegion]:
    for node, scheme in graph.subject_objects(SKOS.inScheme):
        match = _SCHEME_RE.match(str(scheme))
        if not match or (wanted is not None and int(match.group(1)) != wanted):
            continue
        code = _code_of(node, graph)
        if code is None:
            continue
        countries = [str(c) for c in graph.objects(node, S3G.country)]
        country = countries[0] if countries else code[:2]
        label_lit = _pick_label(
            [lit for lit in graph.objects(node, SKOS.prefLabel) if isinstance(lit, Literal)],
            country,
        )
        label = _strip_code(str(label_lit), code) if label_lit is not None else code
        alt = [lit for lit in graph.objects(node, SKOS.altLabel) if isinstance(lit, Literal)]
        level = _level_of(node, graph, code)
        yield NutsRegion(
            code=code,
            level=level,
            country=country,
            label=label,
            label_latin=_strip_code(_latin_of(label, alt), code),
            parent=None if level == 0 else _parent_of(node, graph, code),
            version=int(match.group(1)),
        )


_QUAD_FORMATS = frozenset({"trig", "nquads", "trix"})


def _parse_graphs(source: Path, fmt: str) -> list[Graph]:
    """The graphs of an RDF file: one for triple formats, each named graph for quad formats."""
    if fmt not in _QUAD_FORMATS:
        return [Graph().parse(source=str(source), format=fmt)]
    dataset = Dataset(default_union=False)
    with warnings.catch_warnings():
        # rdflib 7.6's own Dataset.parse and TriG parser use its deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(source=str(source), format=fmt)
    return list(dataset.graphs())


def read_nuts_skos(path: str | Path, version: int | None = None) -> list[NutsRegion]:
    """The NUTS regions of a SKOS file (Turtle, RDF/XML, N-Triples, TriG, N-Quads...).

    A concept is a region of version ``YEAR`` when it is ``skos:inScheme`` the scheme
    ``http://data.europa.eu/nuts/scheme/YEAR``; its code is its ``skos:notation`` (or the end of
    its ``…/nuts/code/`` IRI). In TriG/N-Quads each named graph is read on its own, so files
    holding one graph per version (as :func:`nuts_graph` makes) keep each version's labels.
    Pass ``version`` to keep one version. Returns the regions sorted by version and code.
    """
    source = Path(path)
    graphs = parse_rdf_file(
        source,
        _parse_graphs,
        missing="an existing SKOS file of NUTS regions",
        expected="a SKOS file of NUTS regions",
    )
    found: dict[tuple[int, str], NutsRegion] = {}
    for graph in graphs:
        for region in _regions_in(graph, version):
            found.setdefault((region.version, region.code), region)
    if not found:
        what = f"NUTS {version} concepts" if version is not None else "NUTS concepts"
        raise VocabFileError(
            source, f"{what} (skos:inScheme <{NUTS_SCHEME_PREFIX}YEAR> with a skos:notation)"
        )
    return [found[key] for key in sorted(found)]
