"""Minting of slugs and data IRIs: examples and properties."""

from __future__ import annotations

import hashlib
import re

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from s3graph.mapping import Iris, slugify
from s3graph.mapping.iris import question_term, rating_term, role_term
from s3graph.model import SDG_RATINGS
from s3graph.namespaces import DEFAULT_BASE, S3G

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
BASES = (DEFAULT_BASE, "http://example.org/kg#", "https://data.example.eu/s3/v1/")
REPORT = "https://w3id.org/s3graph/report/mining-industry/2020-H1"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Mining industry", "mining-industry"),
        ("Castilla y León", "castilla-y-leon"),
        ("Castilla y'Leon", "castilla-yleon"),
        ("Västerbotten", "vasterbotten"),
        ("  Hauts-de-France ", "hauts-de-france"),
        ("AI & HMI", "ai-and-hmi"),
        (
            "High Performance Production through 3D-printing",
            "high-performance-production-through-3d-printing",
        ),
        ("Straße", "strasse"),
        ("Łódzkie", "lodzkie"),
        ("Sjælland", "sjaelland"),
        ("Jihovýchod", "jihovychod"),
        (
            "Fuel Cells and Hydrogen Joint Undertaking (FCH JU)",
            "fuel-cells-and-hydrogen-joint-undertaking-fch-ju",
        ),
        ("NUTS 2: ES41", "nuts-2-es41"),
    ],
)
def test_slugify_examples(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "  ", "---", "Αττική", "()"])
def test_slugify_falls_back_to_a_short_hash(text: str) -> None:
    expected = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    assert slugify(text) == expected


def test_slugify_tells_apart_texts_without_ascii_letters() -> None:
    assert slugify("Αττική") != slugify("Κρήτη")


def test_iris_of_the_table() -> None:
    iris = Iris(DEFAULT_BASE)
    base = DEFAULT_BASE
    assert str(iris.partnership("mining-industry")) == f"{base}partnership/mining-industry"
    assert str(iris.report("mining-industry", "2020-H1")) == REPORT
    assert str(iris.period("2020-H1")) == f"{base}period/2020-H1"
    assert str(iris.region_code("FI1D7")) == f"{base}region/FI1D7"
    assert str(iris.region_name("Castilla y León")) == f"{base}region/name/castilla-y-leon"
    assert str(iris.entity("EIT InnoEnergy")) == f"{base}entity/eit-innoenergy"
    assert str(iris.agent()) == f"{base}agent/s3graph"
    assert str(iris.membership(REPORT, "leading", 2)) == f"{REPORT}/membership/leading/2"
    assert str(iris.event(REPORT, "planned", 3)) == f"{REPORT}/event/planned/3"
    assert str(iris.working_area(REPORT, 4)) == f"{REPORT}/working-area/4"
    assert str(iris.sdg(REPORT, 17)) == f"{REPORT}/sdg/17"
    assert str(iris.answer(REPORT, "executive_summary")) == f"{REPORT}/answer/executive_summary"
    assert str(iris.source(REPORT)) == f"{REPORT}/source"
    assert str(iris.checksum(REPORT)) == f"{REPORT}/source/checksum"
    assert str(iris.ingestion(REPORT)) == f"{REPORT}/ingestion"
    assert str(iris.warning(REPORT, 1)) == f"{REPORT}/warning/1"
    assert isinstance(iris.partnership("sport"), URIRef)
    assert isinstance(iris.warning(REPORT, 1), URIRef)


def test_hash_base_is_kept_as_given() -> None:
    iris = Iris("http://example.org/kg#")
    assert str(iris.partnership("sport")) == "http://example.org/kg#partnership/sport"


def test_terms_of_the_ontology() -> None:
    assert question_term("outreach") == S3G["question-outreach"]
    assert role_term("interested") == S3G.interested
    assert [rating_term(label) for label in SDG_RATINGS] == [
        S3G["strongly-agree"],
        S3G.agree,
        S3G.neutral,
        S3G.disagree,
        S3G["strongly-disagree"],
        S3G["not-applicable"],
    ]


@pytest.mark.parametrize(
    "base",
    [
        "w3id.org/s3graph/",
        "/s3graph/",
        "ftp://example.org/",
        "https://example.org/s3graph",
        "https:///s3graph/",
        "https://exa mple.org/",
        "urn:s3graph:",
        "",
    ],
)
def test_bad_base_is_refused(base: str) -> None:
    with pytest.raises(ValueError, match="base must be"):
        Iris(base)


def test_bad_parts_are_refused() -> None:
    iris = Iris(DEFAULT_BASE)
    with pytest.raises(ValueError, match="role"):
        iris.membership(REPORT, "observer", 1)
    with pytest.raises(ValueError, match="event kind"):
        iris.event(REPORT, "future", 1)
    with pytest.raises(ValueError, match="not a slug"):
        iris.partnership("Mining industry")
    with pytest.raises(ValueError, match="not negative"):
        iris.working_area(REPORT, -1)


@given(st.text())
def test_slugify_is_a_slug_and_idempotent(text: str) -> None:
    slug = slugify(text)
    assert SLUG.match(slug)
    assert slugify(slug) == slug


@given(st.text())
def test_slugify_is_stable(text: str) -> None:
    assert slugify(text) == slugify(text)


@given(
    base=st.sampled_from(BASES),
    text=st.text(),
    n=st.integers(min_value=0, max_value=10**6),
    role=st.sampled_from(["leading", "participating", "interested"]),
    kind=st.sampled_from(["past", "planned"]),
)
def test_every_minted_iri_is_valid(base: str, text: str, n: int, role: str, kind: str) -> None:
    iris = Iris(base)
    report = iris.report(slugify(text), text)
    minted = [
        iris.partnership(slugify(text)),
        report,
        iris.period(text),
        iris.region_code(text),
        iris.region_name(text),
        iris.entity(text),
        iris.agent(),
        iris.membership(report, role, n),
        iris.event(report, kind, n),
        iris.working_area(report, n),
        iris.sdg(report, n),
        iris.answer(report, text),
        iris.source(report),
        iris.checksum(report),
        iris.ingestion(report),
        iris.warning(report, n),
        question_term(text),
    ]
    for iri in minted:
        assert pyoxigraph.NamedNode(str(iri)).value == str(iri)
        if iri is not minted[-1]:
            assert iri.startswith(base)


@given(st.text(min_size=1), st.text(min_size=1))
def test_region_codes_do_not_collide(a: str, b: str) -> None:
    iris = Iris(DEFAULT_BASE)
    assert (iris.region_code(a) == iris.region_code(b)) == (a == b)
