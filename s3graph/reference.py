"""What a report was judged against: the reference data behind its links and validation.

A report's judgements (its regions against NUTS, its partnership against the registry, its
mentions of other partnerships) are a function of its text and of this reference data alone. A
:class:`ReferenceStamp` names that data (the NUTS versions and where each came from) and holds a
digest of all of it, so that a stored judgement can be told apart from one the current reference
data would give: the validation graph of every report carries the stamp
(:meth:`ReferenceStamp.triples`), and ``s3graph stats`` compares the stored digests with the
current one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from s3graph.rdf.namespaces import S3G
from s3graph.vocab.nuts_index import NutsIndex
from s3graph.vocab.nuts_rdf import scheme_iri
from s3graph.vocab.registry import REGISTRY_GRAPH


@dataclass(frozen=True, slots=True)
class ReferenceStamp:
    """The reference data of a run: NUTS versions with their source, and a digest of it all.

    ``nuts`` pairs each NUTS version with where it came from (``snapshot`` for the classification
    packaged with s3graph, ``loaded`` for one put into the store with ``s3graph vocab`` or read
    from ``--nuts DIR``); ``digest`` is the SHA-256 of the NUTS regions and changes, the
    partnership registry and the English region names, in a canonical order.
    """

    nuts: tuple[tuple[int, str], ...]
    digest: str

    def nuts_source(self) -> str:
        """The NUTS versions and their sources in words: ``2010-2024 snapshot; 2021 loaded``."""
        if not self.nuts:
            return "none"
        by_source: dict[str, list[int]] = {}
        for version, source in self.nuts:
            by_source.setdefault(source, []).append(version)
        return "; ".join(
            f"{' '.join(map(str, versions))} {source}" for source, versions in by_source.items()
        )

    def triples(self, subject: URIRef) -> list[tuple[URIRef, URIRef, Node]]:
        """The stamp said of ``subject`` (a validation report): versions, sources, digest."""
        said: list[tuple[URIRef, URIRef, Node]] = [
            (subject, S3G.judgedAgainst, scheme_iri(version)) for version, _ in self.nuts
        ]
        said.append((subject, S3G.judgedAgainst, URIRef(REGISTRY_GRAPH)))
        said.append((subject, S3G.nutsSource, Literal(self.nuts_source())))
        said.append((subject, S3G.referenceDigest, Literal(self.digest)))
        return said


def stamp_of(
    index: NutsIndex | None, registry_text: str, names: Mapping[str, Sequence[str]]
) -> ReferenceStamp:
    """The stamp of a linker's reference data: the NUTS ``index`` (each version with its source),
    the registry's Turtle text and the extra English region names."""
    sources = index.sources if index is not None else {}
    digest = hashlib.sha256()
    for line in _canonical_lines(index, sources, registry_text, names):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    versions = index.versions if index is not None else ()
    nuts = tuple((v, sources.get(v, "loaded")) for v in sorted(versions))
    return ReferenceStamp(nuts, digest.hexdigest())


def _canonical_lines(
    index: NutsIndex | None,
    sources: Mapping[int, str],
    registry_text: str,
    names: Mapping[str, Sequence[str]],
) -> Iterable[str]:
    """Everything a judgement depends on, as lines in an order that does not depend on history."""
    yield "registry"
    yield registry_text
    yield "names"
    for code in sorted(names):
        yield "\t".join([code, *sorted(names[code])])
    if index is None:
        return
    for version in sorted(index.versions):
        yield f"nuts {version} {sources.get(version, 'loaded')}"
        for r in sorted(index.regions(version), key=lambda r: r.code):
            fields = (r.code, str(r.level), r.country, r.label, r.label_latin, r.parent or "")
            yield "\t".join(fields)
    yield "changes"
    for c in sorted(index.changes, key=repr):
        yield repr(c)


__all__ = ["ReferenceStamp", "stamp_of"]
