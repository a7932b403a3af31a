"""The partnership registry: canonical names, slugs, IRIs, platforms, lookups and unknown names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from s3graph.mapping.iris import slugify as mapping_slugify
from s3graph.vocab.registry import (
    PARTNERSHIP_BASE,
    SLUG_PATTERN,
    NotAPartnership,
    PartnershipEntry,
    Registry,
    name_key,
    slugify,
)

S3G = "https://w3id.org/s3graph/def#"
PLATFORMS = {
    S3G + "AgriFoodPlatform": "Agri-Food",
    S3G + "EnergyPlatform": "Energy",
    S3G + "IndustrialModernisationPlatform": "Industrial Modernisation",
}

#: The corpus README's "Canonical partnership names used in `collaborations`" (checked below).
CANONICAL = (
    "Advanced Materials for Batteries",
    "Artificial Intelligence and Human Machine Interface",
    "Bioeconomy",
    "Bioenergy",
    "Chemicals",
    "Cybersecurity",
    "Digitalisation and Safety for Tourism",
    "High Performance Production through 3D-printing",
    "High Tech Farming",
    "Hydrogen Valleys",
    "Marine Renewable Energy",
    "Medical Technology",
    "Mining Industry",
    "New Nano-Enabled Products",
    "Smart Grids",
    "Smart Regional Investment in Textile Innovation",
    "Social Economy",
    "Solar Energy",
    "Sport",
    "Sustainable Buildings",
    "Traceability and Big Data",
    "Water Smart Territories",
)

#: The partnership as selected in each corpus report, and the slug it must resolve to.
SELECTED = {
    "Mining industry": "mining-industry",
    "Advanced materials for batteries": "advanced-materials-for-batteries",
    "Cybersecurity": "cybersecurity",
    "High tech farming": "high-tech-farming",
    "Hydrogen valleys": "hydrogen-valleys",
    "Smart regional investment in textile innovation": (
        "smart-regional-investment-in-textile-innovation"
    ),
}

ALIASES = {
    "S3P Batteries": "advanced-materials-for-batteries",
    "Batteries partnership": "advanced-materials-for-batteries",
    "the batteries partnership": "advanced-materials-for-batteries",
    "AI & HMI": "artificial-intelligence-and-human-machine-interface",
    "AI and HMI": "artificial-intelligence-and-human-machine-interface",
    "ai & hmi partnership": "artificial-intelligence-and-human-machine-interface",
    "3D printing partnership": "high-performance-production-through-3d-printing",
    "3D-printing": "high-performance-production-through-3d-printing",
    "3DP": "high-performance-production-through-3d-printing",
    "High performance production through 3D printing": (
        "high-performance-production-through-3d-printing"
    ),
    "Digitalisation & Safety for Tourism": "digitalisation-and-safety-for-tourism",
    "Digitalization and safety for tourism": "digitalisation-and-safety-for-tourism",
    "Textile": "smart-regional-investment-in-textile-innovation",
    "Hydrogen": "hydrogen-valleys",
    "Hydrogen Valley": "hydrogen-valleys",
    "Big data and traceability": "traceability-and-big-data",
    "Traceability & Big Data": "traceability-and-big-data",
    "Smart grid": "smart-grids",
    "Sports": "sport",
    "Bio-energy": "bioenergy",
    "Cyber-security": "cybersecurity",
    "  MINING   INDUSTRY ": "mining-industry",
    "Nano-enabled products": "new-nano-enabled-products",
}

NOT_PARTNERSHIPS = (
    "CoMMER",
    "MIREU",
    "REMIX",
    "Vanguard Initiative",
    "European Battery Alliance",
    "Batteries Europe",
    "European Clean Hydrogen Alliance",
    "Hydrogen Europe",
    "FCH JU",
    "Fuel Cells and Hydrogen Joint Undertaking",
    "EIT InnoEnergy",
    "EIT RawMaterials",
    "EIT Raw Materials",
    "Agri-Food",
    "Energy",
    "Industrial Modernisation",
    "Industrial Modernisation platform",
)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def test_every_canonical_name_is_a_pref_label(registry: Registry) -> None:
    names = {e.name for e in registry.entries}
    assert set(CANONICAL) <= names, sorted(set(CANONICAL) - names)
    for name in CANONICAL:
        entry = registry.lookup(name)
        assert entry is not None and entry.name == name


def test_canonical_list_matches_the_corpus_readme(shared_dir: Path) -> None:
    readme = (shared_dir / "corpus" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Canonical partnership names", 1)[1]
    paragraph = section.split("\n\n")[1]
    names = [n.strip() for n in " ".join(paragraph.split()).rstrip(".").split(";")]
    assert sorted(names) == sorted(CANONICAL)


def test_slugs_are_unique_valid_and_agree_with_the_mapping(registry: Registry) -> None:
    slugs = [e.slug for e in registry.entries]
    assert len(slugs) == len(set(slugs))
    for entry in registry.entries:
        assert SLUG_PATTERN.match(entry.slug), entry.slug
        assert entry.slug == slugify(entry.name) == mapping_slugify(entry.name)
        assert entry.iri == PARTNERSHIP_BASE + entry.slug
        assert entry.curated
        assert registry.by_slug(entry.slug) is entry
    assert registry.by_slug("mining-industry") is not None
    assert registry.by_slug("high-performance-production-through-3d-printing") is not None
    assert registry.by_slug("no-such-partnership") is None


def test_platforms(registry: Registry) -> None:
    assert {p.iri: p.name for p in registry.platforms} == PLATFORMS
    for entry in registry.entries:
        assert entry.platform is None or entry.platform in PLATFORMS, entry
    assert registry.by_slug("high-tech-farming").platform == S3G + "AgriFoodPlatform"  # type: ignore[union-attr]
    assert registry.by_slug("smart-grids").platform == S3G + "EnergyPlatform"  # type: ignore[union-attr]
    assert (
        registry.by_slug("cybersecurity").platform  # type: ignore[union-attr]
        == S3G + "IndustrialModernisationPlatform"
    )
    with_platform = [n for n in CANONICAL if registry.lookup(n).platform]  # type: ignore[union-attr]
    assert len(with_platform) >= len(CANONICAL) - 1  # Water Smart Territories is uncertain


@pytest.mark.parametrize(("name", "slug"), sorted(SELECTED.items()))
def test_lookup_of_the_names_selected_in_the_corpus(
    registry: Registry, name: str, slug: str
) -> None:
    entry = registry.lookup(name)
    assert entry is not None and entry.slug == slug


def test_lookup_of_every_corpus_report(registry: Registry, corpus_case) -> None:
    selected = corpus_case.expected()["partnership"]
    entry = registry.lookup(selected)
    assert entry is not None, selected
    assert entry.slug == slugify(selected)


@pytest.mark.parametrize(("name", "slug"), sorted(ALIASES.items()))
def test_lookup_of_aliases(registry: Registry, name: str, slug: str) -> None:
    entry = registry.lookup(name)
    assert entry is not None, name
    assert entry.slug == slug


@pytest.mark.parametrize("name", NOT_PARTNERSHIPS)
def test_bodies_that_are_not_partnerships(registry: Registry, name: str) -> None:
    assert registry.lookup(name) is None
    assert registry.is_not_a_partnership(name)


@pytest.mark.parametrize("name", ["", "   ", "Blue Economy", "Partnership", "transport"])
def test_lookup_of_unknown_names(registry: Registry, name: str) -> None:
    assert registry.lookup(name) is None


def test_no_label_is_both_a_partnership_and_another_body(registry: Registry) -> None:
    partnership_keys = {name_key(label) for e in registry.entries for label in e.labels}
    assert registry.other_labels()
    for label in registry.other_labels():
        assert name_key(label) not in partnership_keys, label


def test_unknown_partnership(registry: Registry) -> None:
    entry = registry.unknown("  Blue   Économie & Ports ")
    assert entry == PartnershipEntry(
        slug="blue-economie-and-ports",
        name="Blue Économie & Ports",
        platform=None,
        aliases=(),
        iri=PARTNERSHIP_BASE + "blue-economie-and-ports",
        curated=False,
    )
    assert registry.resolve("Blue Économie & Ports") == entry
    assert registry.resolve("mining industry") is registry.by_slug("mining-industry")
    with pytest.raises(ValueError, match="slug"):
        registry.unknown("?!")


def test_registry_refuses_ambiguous_names() -> None:
    a = PartnershipEntry("a-one", "A One", None, ("Shared",), PARTNERSHIP_BASE + "a-one")
    b = PartnershipEntry(
        "b-two", "B Two", None, ("shared partnership",), PARTNERSHIP_BASE + "b-two"
    )
    with pytest.raises(ValueError, match=r"(?i)shared"):
        Registry([a, b])
    with pytest.raises(ValueError, match="slug"):
        Registry([a, PartnershipEntry("a-one", "Other", None, (), PARTNERSHIP_BASE + "a-one")])
    with pytest.raises(ValueError, match="invalid slug"):
        Registry([PartnershipEntry("Bad Slug", "Bad", None, (), PARTNERSHIP_BASE + "x")])


def test_load_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "mini.ttl"
    path.write_text(
        """@prefix s3g: <https://w3id.org/s3graph/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
s3g:EnergyPlatform a skos:Concept ; skos:inScheme s3g:PlatformScheme ; skos:prefLabel "Energy" .
<https://w3id.org/s3graph/partnership/tidal-power> a s3g:Partnership ;
    skos:prefLabel "Tidal Power"@en ; skos:altLabel "Tides"@en ; s3g:platform s3g:EnergyPlatform .
<https://w3id.org/s3graph/entity/tide-club> a s3g:NotAPartnership ; skos:prefLabel "Tide Club" .
""",
        encoding="utf-8",
    )
    registry = Registry.load(path)
    assert [e.slug for e in registry.entries] == ["tidal-power"]
    assert registry.lookup("tides").name == "Tidal Power"  # type: ignore[union-attr]
    assert registry.non_partnerships == (
        NotAPartnership("Tide Club", (), "https://w3id.org/s3graph/entity/tide-club"),
    )


def test_load_refuses_a_partnership_without_one_pref_label(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(
        """@prefix s3g: <https://w3id.org/s3graph/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/s3graph/partnership/x> a s3g:Partnership ;
    skos:prefLabel "X" , "Y" .
""",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=re.escape(str(path))):
        Registry.load(path)


_REGISTRY = Registry.load()
_LABELS = [(label, e.slug) for e in _REGISTRY.entries for label in e.labels]


@given(
    st.sampled_from(_LABELS),
    st.lists(st.booleans(), min_size=80, max_size=80),
    st.sampled_from(["", "the ", "S3P ", "  "]),
    st.sampled_from(["", " partnership", " Partnership.", " "]),
)
def test_lookup_ignores_case_and_context_words(
    labelled: tuple[str, str], flips: list[bool], before: str, after: str
) -> None:
    label, slug = labelled
    spelled = "".join(c.swapcase() if f else c for c, f in zip(label, flips, strict=False))
    spelled += label[len(flips) :]
    entry = _REGISTRY.lookup(before + spelled.replace(" and ", " & ") + after)
    assert entry is not None and entry.slug == slug
