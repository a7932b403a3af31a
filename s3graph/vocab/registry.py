"""The registry of S3 thematic partnerships: canonical names, aliases, platforms and IRIs.

The registry is curated by the project in ``partnerships.ttl`` (next to this module, SKOS labels
in Turtle). It answers two questions:

* which partnership does a name stand for? (:meth:`Registry.lookup`, used for the partnership a
  report selects and by the collaboration finder), and
* which names belong to bodies that are *not* partnerships (projects, alliances, EIT bodies, the
  platforms themselves), so that they never count as one (:attr:`Registry.non_partnerships`).

A partnership that is not in the registry still gets an entry from :meth:`Registry.unknown`
(``curated=False``), so that its report ingests and can be flagged for curation.

Names are compared after :func:`name_key` folding: case, accents, punctuation, ``&``/``and``,
hyphens, a leading ``the`` or ``S3P`` and a trailing ``partnership`` do not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from s3graph.folding import ascii_fold, collapse_space, fold_words
from s3graph.slug import SLUG_PATTERN, slugify

#: Where registry partnerships live (the default data base of ``docs/architecture.md``).
PARTNERSHIP_BASE = "https://w3id.org/s3graph/partnership/"
#: The packaged registry file.
REGISTRY_FILE = "partnerships.ttl"
#: The named graph the registry is stored as (and that judgements say they were made against).
REGISTRY_GRAPH = "https://w3id.org/s3graph/graph/registry"


# Words around a name that say "this is a partnership" but are not part of the name.
# Matched at a position (``match(text, pos)``) and within the last few characters (``search``
# with ``pos`` near ``endpos``): stripping them one after the other never copies the text.
_LEADING = re.compile(r"(?:the )?(?:s3p |s3 (?:thematic )?partnership (?:on |for )?)?")
_TRAILING = re.compile(r"(?: s3)?(?: thematic)?(?: partnership| s3p)$")
_TRAILING_SPAN = len(" s3 thematic partnership")


def name_key(name: str) -> str:
    """The comparison key of a partnership name.

    ``"S3P Batteries"``, ``"the Batteries partnership"`` and ``"batteries"`` share one key; so do
    ``"AI & HMI"`` and ``"ai and hmi"``, ``"3D-printing"`` and ``"3D printing"``.
    """
    words = " ".join(fold_words(name))
    start, end = 0, len(words)
    while True:  # "the S3P Batteries partnership" -> "batteries"
        lead = _LEADING.match(words, start, end)
        after = lead.end() if lead else start
        trail = _TRAILING.search(words, max(after, end - _TRAILING_SPAN), end)
        before = trail.start() if trail else end
        if (after, before) == (start, end) or after >= before:
            return words[start:end]
        start, end = after, before


def _singular_key(key: str) -> str:
    """A looser key: every word in the singular (``batteries`` -> ``battery``)."""
    out = []
    for word in key.split():
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return " ".join(out)


@dataclass(frozen=True)
class PartnershipEntry:
    """One S3 thematic partnership.

    ``name`` is the canonical name, ``platform`` the IRI of its platform concept (``None`` when the
    registry does not record it), ``aliases`` the other spellings, ``iri`` the partnership's IRI
    under the default base. ``curated`` is ``False`` for entries made up by
    :meth:`Registry.unknown` for a name the registry does not know.
    """

    slug: str
    name: str
    platform: str | None
    aliases: tuple[str, ...]
    iri: str
    curated: bool = True

    @property
    def labels(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class NotAPartnership:
    """A body often named next to partnerships that is not one (project, alliance, platform...)."""

    name: str
    aliases: tuple[str, ...]
    iri: str

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Platform:
    """An S3 thematic platform (a concept of ``s3g:PlatformScheme``)."""

    iri: str
    name: str
    aliases: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def registry_text() -> str:
    """The Turtle text of the packaged registry (``s3graph/vocab/partnerships.ttl``)."""
    return resources.files(__package__).joinpath(REGISTRY_FILE).read_text(encoding="utf-8")


class Registry:
    """The curated partnerships, the bodies that are not partnerships, and the platforms.

    Build it with :meth:`load`. Slugs and name keys must be unique: a registry in which one name
    would stand for two partnerships is refused with :class:`ValueError`.
    """

    def __init__(
        self,
        entries: Iterable[PartnershipEntry],
        non_partnerships: Iterable[NotAPartnership] = (),
        platforms: Iterable[Platform] = (),
    ) -> None:
        self._entries = tuple(sorted(entries, key=lambda e: e.slug))
        self._non_partnerships = tuple(non_partnerships)
        self._platforms = tuple(platforms)
        self._by_slug: dict[str, PartnershipEntry] = {}
        self._by_key: dict[str, PartnershipEntry] = {}
        self._by_loose_key: dict[str, PartnershipEntry] = {}
        for entry in self._entries:
            if not SLUG_PATTERN.match(entry.slug):
                raise ValueError(f"partnership {entry.name!r}: invalid slug {entry.slug!r}")
            if entry.slug in self._by_slug:
                raise ValueError(f"two partnerships have the slug {entry.slug!r}")
            self._by_slug[entry.slug] = entry
            for label in entry.labels:
                self._index(self._by_key, name_key(label), entry, label)
        for entry in self._entries:
            for label in entry.labels:
                loose = _singular_key(name_key(label))
                self._by_loose_key.setdefault(loose, entry)

    @staticmethod
    def _index(
        index: dict[str, PartnershipEntry], key: str, entry: PartnershipEntry, label: str
    ) -> None:
        other = index.setdefault(key, entry)
        if other is not entry:
            raise ValueError(
                f"the name {label!r} would stand for both {other.name!r} and {entry.name!r}"
            )

    # Loading

    @classmethod
    def load(cls, path: str | Path | None = None) -> Registry:
        """Read a registry from Turtle: ``path``, or the packaged ``partnerships.ttl``.

        Raises :class:`ValueError` naming the file and the resource when an entry is malformed.
        """
        # imported here: only loading needs rdflib
        from rdflib import Graph, URIRef

        from s3graph.rdf.namespaces import RDF, S3G, SKOS

        graph = Graph()
        if path is None:
            where = f"s3graph/vocab/{REGISTRY_FILE}"
            graph.parse(data=registry_text(), format="turtle")
        else:
            where = str(path)
            graph.parse(str(path), format="turtle")

        def labels(subject: URIRef, prop: str) -> list[str]:
            return sorted(str(o) for o in graph.objects(subject, SKOS[prop]))

        def instances(cls_name: str) -> Iterator[URIRef]:
            found = graph.subjects(RDF.type, S3G[cls_name])
            yield from sorted((s for s in found if isinstance(s, URIRef)), key=str)

        def pref_label(subject: URIRef) -> str:
            found = labels(subject, "prefLabel")
            if len(found) != 1:
                raise ValueError(f"{where}: <{subject}> needs exactly one skos:prefLabel: {found}")
            return found[0]

        platforms = []
        for concept in graph.subjects(
            SKOS.inScheme, S3G.PlatformScheme
        ):
            if isinstance(concept, URIRef):
                platforms.append(
                    Platform(str(concept), pref_label(concept), tuple(labels(concept, "altLabel")))
                )
        platform_iris = {p.iri for p in platforms}

        entries = []
        for subject in instances("Partnership"):
            iri = str(subject)
            if not iri.startswith(PARTNERSHIP_BASE):
                raise ValueError(f"{where}: <{iri}> is not under {PARTNERSHIP_BASE}")
            name = pref_label(subject)
            found_platforms = [str(o) for o in graph.objects(subject, S3G.platform)]
            if len(found_platforms) > 1 or not set(found_platforms) <= platform_iris:
                raise ValueError(f"{where}: <{iri}> has an unknown or second s3g:platform")
            entries.append(
                PartnershipEntry(
                    slug=iri[len(PARTNERSHIP_BASE) :],
                    name=name,
                    platform=found_platforms[0] if found_platforms else None,
                    aliases=tuple(labels(subject, "altLabel")),
                    iri=iri,
                )
            )
        others = [
            NotAPartnership(pref_label(s), tuple(labels(s, "altLabel")), str(s))
            for s in instances("NotAPartnership")
        ]
        return cls(entries, others, sorted(platforms, key=lambda p: p.iri))

    # Queries

    @property
    def entries(self) -> tuple[PartnershipEntry, ...]:
        """The curated partnerships, sorted by slug."""
        return self._entries

    @property
    def non_partnerships(self) -> tuple[NotAPartnership, ...]:
        """Bodies that must never count as a partnership."""
        return self._non_partnerships

    @property
    def platforms(self) -> tuple[Platform, ...]:
        """The S3 thematic platforms."""
        return self._platforms

    def by_slug(self, slug: str) -> PartnershipEntry | None:
        """The curated partnership with this slug, if any."""
        return self._by_slug.get(slug)

    def lookup(self, name: str | None) -> PartnershipEntry | None:
        """The partnership a name stands for (canonical name or alias), or ``None``.

        Case, accents, punctuation, ``&``/``and``, a singular or plural word, a leading ``the`` or
        ``S3P`` and a trailing ``partnership`` do not matter: ``"Mining industry"``,
        ``"S3P Batteries"`` and ``"the AI and HMI partnership"`` are all found.
        """
        if not name or not name.strip():
            return None
        key = name_key(name)
        return self._by_key.get(key) or self._by_loose_key.get(_singular_key(key))

    def resolve(self, name: str) -> PartnershipEntry:
        """:meth:`lookup`, or an uncurated :meth:`unknown` entry when the name is not known."""
        return self.lookup(name) or self.unknown(name)

    def unknown(self, name: str) -> PartnershipEntry:
        """An entry for a partnership the registry does not know (``curated=False``).

        Its slug is the name folded by :func:`slugify`, its IRI under :data:`PARTNERSHIP_BASE`,
        its platform unknown. Raises :class:`ValueError` for a name without any letter or digit.
        """
        cleaned = collapse_space(name)
        if not re.search(r"[a-z0-9]", ascii_fold(cleaned)):
            raise ValueError(f"cannot make a partnership slug from {name!r}")
        slug = slugify(cleaned)
        return PartnershipEntry(
            slug=slug,
            name=cleaned,
            platform=None,
            aliases=(),
            iri=PARTNERSHIP_BASE + slug,
            curated=False,
        )

    def other_labels(self) -> tuple[str, ...]:
        """Every label of the bodies that are not partnerships and of the platforms."""
        bodies: tuple[NotAPartnership | Platform, ...] = (*self._non_partnerships, *self._platforms)
        return tuple(label for body in bodies for label in body.labels)

    def is_not_a_partnership(self, name: str) -> bool:
        """True when ``name`` is a body listed as not a partnership, or a platform."""
        key = name_key(name)
        return any(name_key(label) == key for label in self.other_labels())

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return (
            f"Registry({len(self._entries)} partnerships, "
            f"{len(self._non_partnerships)} other bodies, {len(self._platforms)} platforms)"
        )
