"""Minting of the data IRIs of the knowledge graph.

Every IRI is built from a configurable base and readable, stable parts (slugs, codes, row numbers),
so the same report always yields the same IRIs. The layout is the table in ``docs/architecture.md``.
Terms of the ontology itself (questions, roles, ratings) are fixed and live under
:data:`s3graph.namespaces.S3G`.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from rdflib import URIRef

from s3graph.namespaces import S3G
from s3graph.slug import SLUG_PATTERN, slugify

_ROLES = ("leading", "participating", "interested")
_EVENT_KINDS = ("past", "planned")


def _segment(value: str) -> str:
    """One path segment, percent-encoded so that it can hold any text."""
    return quote(value, safe="")


def _check_base(base: str) -> str:
    parts = urlsplit(base)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or not base.endswith(("/", "#"))
        or any(c.isspace() or c in '<>"{}|\\^`' for c in base)
    ):
        raise ValueError(
            f"base must be an absolute http(s) IRI ending with '/' or '#', got {base!r}"
        )
    return base


def _check_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _check_slug(slug: str) -> str:
    if not SLUG_PATTERN.match(slug):
        raise ValueError(f"not a slug (lower-case ASCII words joined by '-'): {slug!r}")
    return slug


def _check_number(n: int) -> int:
    if n < 0:
        raise ValueError(f"row and item numbers are not negative, got {n}")
    return n


class Iris:
    """The IRIs of one knowledge graph, all under ``base``."""

    def __init__(self, base: str) -> None:
        self.base = _check_base(base)

    def _iri(self, *segments: str) -> URIRef:
        return URIRef(self.base + "/".join(segments))

    # Shared resources (the same IRI in every report that mentions them).

    def partnership(self, slug: str) -> URIRef:
        return self._iri("partnership", _check_slug(slug))

    def report(self, partnership_slug: str, period_key: str) -> URIRef:
        return self._iri("report", _check_slug(partnership_slug), _segment(period_key))

    def period(self, key: str) -> URIRef:
        return self._iri("period", _segment(key))

    def region_code(self, code: str) -> URIRef:
        return self._iri("region", _segment(code))

    def region_name(self, name: str) -> URIRef:
        return self._iri("region", "name", slugify(name))

    def entity(self, name: str) -> URIRef:
        return self._iri("entity", slugify(name))

    def agent(self) -> URIRef:
        return self._iri("agent", "s3graph")

    # Resources of one report, under the report IRI.

    def membership(self, report_iri: str, role: str, n: int) -> URIRef:
        role = _check_choice(role, _ROLES, "role")
        return URIRef(f"{report_iri}/membership/{role}/{_check_number(n)}")

    def event(self, report_iri: str, kind: str, n: int) -> URIRef:
        kind = _check_choice(kind, _EVENT_KINDS, "event kind")
        return URIRef(f"{report_iri}/event/{kind}/{_check_number(n)}")

    def working_area(self, report_iri: str, n: int) -> URIRef:
        return URIRef(f"{report_iri}/working-area/{_check_number(n)}")

    def sdg(self, report_iri: str, goal: int) -> URIRef:
        return URIRef(f"{report_iri}/sdg/{_check_number(goal)}")

    def answer(self, report_iri: str, key: str) -> URIRef:
        return URIRef(f"{report_iri}/answer/{_segment(key)}")

    def source(self, report_iri: str) -> URIRef:
        return URIRef(f"{report_iri}/source")

    def checksum(self, report_iri: str) -> URIRef:
        return URIRef(f"{report_iri}/source/checksum")

    def ingestion(self, report_iri: str) -> URIRef:
        return URIRef(f"{report_iri}/ingestion")

    def warning(self, report_iri: str, i: int) -> URIRef:
        return URIRef(f"{report_iri}/warning/{_check_number(i)}")


# Terms of the ontology that are chosen by data values.


def question_term(key: str) -> URIRef:
    """The ``skos:Concept`` of the form question with this key (``s3g:question-{key}``)."""
    return S3G[f"question-{_segment(key)}"]


def role_term(role: str) -> URIRef:
    """``s3g:leading``, ``s3g:participating`` or ``s3g:interested``."""
    return S3G[_check_choice(role, _ROLES, "role")]


def rating_term(label: str) -> URIRef:
    """The concept of ``s3g:SdgRatingScheme`` for a column label such as ``"Strongly agree"``."""
    return S3G[slugify(label)]
