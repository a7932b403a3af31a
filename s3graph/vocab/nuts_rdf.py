"""NUTS regions as SKOS: one named graph per NUTS version (the reader is :mod:`.nuts_skos`).

IRIs are those of the EU Publications Office: ``http://data.europa.eu/nuts/code/{CODE}`` for a
region (one IRI per code, shared by every version that has the code) and
``http://data.europa.eu/nuts/scheme/{YEAR}`` for a version. Each version's triples go to the
named graph of its scheme, so a concept has one ``skos:prefLabel`` per graph even where the
label changed between versions.

Level: ``s3g:nutsLevel`` with an ``xsd:integer``. The Publications Office's
``http://data.europa.eu/nuts/level`` is queried with a plain string (``"0"``) in public code,
and other users give it IRI values; reusing it with integers would put two differently typed
values on one property in a store holding both, where ``FILTER(?level = 0)`` and ``"0"`` each
miss half. :func:`s3graph.vocab.nuts_skos.read_nuts_skos` accepts either property.

Labels: the native label is ``skos:prefLabel``, language-tagged only where the language is
certain (see :func:`label_language`); the Latin-script label is ``skos:altLabel`` when it differs,
tagged ``el-Latn``, ``bg-Latn`` or ``mk-Latn`` for the transliterations Eurostat publishes.

Changes between versions (:class:`NutsChange`) become direct ``dcterms:isReplacedBy`` /
``dcterms:replaces`` links when the code changed and the old code is gone from the new version,
plus one ``s3g:NutsChange`` node per relation carrying its kind (no blank nodes).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from s3graph.namespaces import DEFAULT_BASE, NUTS_CODE, S3G
from s3graph.rdf.namespaces import NUTS as NUTS_NS
from s3graph.vocab.nuts_index import NutsChange, NutsRegion

#: The Publications Office's NUTS concept scheme (all versions).
NUTS = URIRef(NUTS_NS.rstrip("/"))
#: Prefix of the per-version scheme IRIs.
NUTS_SCHEME_PREFIX = NUTS_NS.iri("scheme/")
#: The Publications Office's level property (read, not written; see the module docstring).
PO_NUTS_LEVEL = NUTS_NS.level
#: Prefix of the change nodes.
NUTS_CHANGE_PREFIX = f"{DEFAULT_BASE}nuts-change/"

# Countries whose Latin-script NUTS labels are all in one language. Left out on purpose:
# BE, CH, FI, LU, MT (bilingual labels), ES (Catalan, Valencian, Basque, Galician names),
# IE (Irish/English), UK (Gaelic and Welsh names), NO (Sámi and Kven names), XK, ME, RS, and
# Latin labels of EL/CY/BG/MK. Labels holding a "/" (two names) are never tagged.
_LATIN_LANGUAGE: dict[str, str] = {
    "AL": "sq", "AT": "de", "CZ": "cs", "DE": "de", "DK": "da", "EE": "et", "FR": "fr",
    "HR": "hr", "HU": "hu", "IS": "is", "IT": "it", "LI": "de", "LT": "lt", "LV": "lv",
    "NL": "nl", "PL": "pl", "PT": "pt", "RO": "ro", "SE": "sv", "SI": "sl", "SK": "sk",
    "TR": "tr",
}  # fmt: skip
_GREEK_LANGUAGE: dict[str, str] = {"EL": "el", "CY": "el"}
# ME (Montenegrin or Serbian?) and RS (whose "Latin" labels are partly English) stay untagged.
_CYRILLIC_LANGUAGE: dict[str, str] = {"BG": "bg", "MK": "mk"}


def scheme_iri(version: int) -> URIRef:
    """The Publications Office scheme IRI of a NUTS version (also our named graph)."""
    return URIRef(f"{NUTS_SCHEME_PREFIX}{version}")


def concept_iri(code: str) -> URIRef:
    """The Publications Office concept IRI of a NUTS code."""
    return NUTS_CODE[code]


def change_iri(change: NutsChange) -> URIRef:
    """``{base}nuts-change/{from_version}-{from_code}-{to_version}-{to_code}`` (``none`` if absent).

    NUTS codes are upper case, so the lower-case ``none`` never clashes with a code.
    """
    parts = (change.from_version, change.from_code, change.to_version, change.to_code)
    return URIRef(
        NUTS_CHANGE_PREFIX + "-".join("none" if p in (None, "") else str(p) for p in parts)
    )


def label_script(text: str) -> str:
    """``greek``, ``cyrillic``, ``mixed`` (both) or ``latin`` (neither)."""
    greek = any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in text)
    cyrillic = any("\u0400" <= ch <= "\u052f" for ch in text)
    if greek and cyrillic:
        return "mixed"
    return "greek" if greek else "cyrillic" if cyrillic else "latin"


def _is_extra_regio(label: str) -> bool:
    return "extra-regio" in label.lower()


def label_language(country: str, label: str) -> str | None:
    """The language tag of a native NUTS label, or None when it is not certain.

    Greek-script labels of EL and CY are ``el``; Cyrillic labels of BG and MK are ``bg``/``mk``;
    Latin-script labels are tagged only for countries in a fixed list of one-language countries,
    and never when the label holds two names (``/``) or is an "Extra-Regio" label.
    """
    if _is_extra_regio(label):
        return None
    script = label_script(label)
    if script == "greek":
        return _GREEK_LANGUAGE.get(country)
    if script == "cyrillic":
        return _CYRILLIC_LANGUAGE.get(country)
    if script == "latin" and "/" not in label:
        return _LATIN_LANGUAGE.get(country)
    return None


def label_languages(country: str) -> set[str]:
    """Every language tag a native label of ``country`` may carry (one per script at most)."""
    tags = (
        _LATIN_LANGUAGE.get(country),
        _GREEK_LANGUAGE.get(country),
        _CYRILLIC_LANGUAGE.get(country),
    )
    return {tag for tag in tags if tag is not None}


def latin_label_language(country: str, label: str) -> str | None:
    """The tag of the Latin-script label of a Greek or Cyrillic one (``el-Latn``...), or None."""
    native = label_language(country, label)
    if native is not None and label_script(label) in ("greek", "cyrillic"):
        return f"{native}-Latn"
    return None


def _literal(text: str, lang: str | None) -> Literal:
    return Literal(text, lang=lang) if lang else Literal(text)


def _new_graph(version: int) -> Graph:
    graph = Graph(identifier=scheme_iri(version))
    for prefix, namespace in (
        ("skos", SKOS),
        ("dcterms", DCTERMS),
        ("owl", OWL),
        ("s3g", S3G),
        ("nuts", NUTS_CODE),
    ):
        graph.bind(prefix, namespace)
    return graph


def _add_region(graph: Graph, region: NutsRegion, scheme: URIRef) -> None:
    concept = concept_iri(region.code)
    label = region.label.strip()
    latin = (region.label_latin or "").strip()
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, scheme))
    graph.add((concept, SKOS.notation, Literal(region.code)))
    graph.add((concept, SKOS.prefLabel, _literal(label, label_language(region.country, label))))
    if latin and latin != label:
        graph.add(
            (concept, SKOS.altLabel, _literal(latin, latin_label_language(region.country, label)))
        )
    graph.add((concept, S3G.nutsLevel, Literal(region.level, datatype=XSD.integer)))
    graph.add((concept, S3G.country, Literal(region.country)))
    if region.parent:
        parent = concept_iri(region.parent)
        graph.add((concept, SKOS.broader, parent))
        graph.add((parent, SKOS.narrower, concept))
    if region.level == 0:
        graph.add((concept, SKOS.topConceptOf, scheme))
        graph.add((scheme, SKOS.hasTopConcept, concept))


def _add_change(graph: Graph, change: NutsChange, current_codes: set[str]) -> None:
    node = change_iri(change)
    graph.add((node, RDF.type, S3G.NutsChange))
    graph.add((node, S3G.changeKind, Literal(change.change)))
    old = concept_iri(change.from_code) if change.from_code else None
    new = concept_iri(change.to_code) if change.to_code else None
    if old is not None:
        graph.add((node, S3G.fromRegion, old))
    if new is not None:
        graph.add((node, S3G.toRegion, new))
    if change.from_version is not None:
        graph.add((node, S3G.fromScheme, scheme_iri(change.from_version)))
    if change.to_version is not None:
        graph.add((node, S3G.toScheme, scheme_iri(change.to_version)))
    graph.add(
        (
            node,
            RDFS.label,
            Literal(
                f"{change.from_code or '-'} ({change.from_version}) -> "
                f"{change.to_code or '-'} ({change.to_version}): {change.change}"
            ),
        )
    )
    if (
        old is not None
        and new is not None
        and change.from_code != change.to_code
        and change.from_code not in current_codes
    ):
        graph.add((old, DCTERMS.isReplacedBy, new))
        graph.add((new, DCTERMS.replaces, old))


def _change_version(change: NutsChange) -> int | None:
    return change.to_version if change.to_version is not None else change.from_version


def nuts_graph(
    regions: Iterable[NutsRegion], version: int, changes: Iterable[NutsChange] = ()
) -> Graph:
    """The SKOS graph of one NUTS version, identified by its scheme IRI.

    ``changes`` may hold every transition: only those leading into ``version`` are used (the
    change 2010 -> 2013 belongs to the NUTS 2013 graph). Raises ValueError when a region is of
    another version or a code is repeated.
    """
    scheme = scheme_iri(version)
    graph = _new_graph(version)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, Literal(f"NUTS {version}", lang="en")))
    graph.add((scheme, RDFS.label, Literal(f"NUTS {version}", lang="en")))
    graph.add((scheme, OWL.versionInfo, Literal(str(version))))
    graph.add((scheme, DCTERMS.isVersionOf, NUTS))
    codes: set[str] = set()
    for region in regions:
        if region.version != version:
            raise ValueError(f"{region.code} is a NUTS {region.version} region, not {version}")
        if region.code in codes:
            raise ValueError(f"NUTS {version} lists {region.code} twice")
        codes.add(region.code)
        _add_region(graph, region, scheme)
    for change in changes:
        if _change_version(change) == version:
            _add_change(graph, change, codes)
    return graph


#: The named graph holding the change table when it is loaded on its own (``nuts-changes.csv``).
NUTS_CHANGES_GRAPH = NUTS_NS.changes


def nuts_changes_graph(
    changes: Iterable[NutsChange], codes_by_version: Mapping[int, Collection[str]]
) -> Graph:
    """The ``s3g:NutsChange`` nodes of every change, in the graph :data:`NUTS_CHANGES_GRAPH`.

    ``codes_by_version`` holds the codes of each version (the versions loaded, or what is known
    of them): ``dcterms:isReplacedBy`` / ``dcterms:replaces`` links are made, as in
    :func:`nuts_graph`, only when the old code is gone from the version the change leads to.
    """
    graph = Graph(identifier=NUTS_CHANGES_GRAPH)
    for prefix, namespace in (("dcterms", DCTERMS), ("s3g", S3G), ("nuts", NUTS_CODE)):
        graph.bind(prefix, namespace)
    for change in changes:
        version = _change_version(change)
        current = codes_by_version.get(version, ()) if version is not None else ()
        _add_change(graph, change, set(current))
    return graph


__all__ = [
    "NUTS",
    "NUTS_CHANGES_GRAPH",
    "NUTS_CHANGE_PREFIX",
    "NUTS_SCHEME_PREFIX",
    "PO_NUTS_LEVEL",
    "change_iri",
    "concept_iri",
    "label_language",
    "label_languages",
    "label_script",
    "latin_label_language",
    "nuts_changes_graph",
    "nuts_graph",
    "scheme_iri",
]
