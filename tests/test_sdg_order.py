"""The SDG rating order is defined once (``s3graph.model.SDG_RATINGS``): the declarative copies
that cannot read it (the ontology's notations, ``sdg-profile.rq``) must agree with it."""

from __future__ import annotations

import re

from rdflib import Graph, Literal

from s3graph import namespaces as ns
from s3graph.api.svg import RATINGS
from s3graph.mapping.iris import rating_term
from s3graph.model import SDG_RATINGS
from s3graph.resources import resource_dir


def test_sdg_profile_query_ranks_follow_the_model() -> None:
    text = (resource_dir("queries") / "sdg-profile.rq").read_text(encoding="utf-8")
    values = re.search(r"VALUES \(\?rating \?rank\) \{(.*?)\}", text, re.DOTALL)
    assert values is not None
    pairs = re.findall(r"\(s3g:([a-z-]+) (\d+)\)", values.group(1))
    ranked = [name for name, rank in sorted(pairs, key=lambda p: int(p[1]))]
    assert [int(rank) for _, rank in pairs] == list(range(1, len(SDG_RATINGS) + 1))
    assert [ns.S3G[name] for name in ranked] == [rating_term(label) for label in SDG_RATINGS]


def test_ontology_notations_follow_the_model() -> None:
    ontology = Graph().parse(resource_dir("ontology") / "s3graph.ttl")
    for position, label in enumerate(SDG_RATINGS, start=1):
        concept = rating_term(label)
        assert ontology.value(concept, ns.SKOS.notation) == Literal(position)
        assert (concept, ns.SKOS.inScheme, ns.S3G.SdgRatingScheme) in ontology
    assert len(set(ontology.subjects(ns.SKOS.inScheme, ns.S3G.SdgRatingScheme))) == len(
        SDG_RATINGS
    )


def test_svg_chart_draws_ratings_in_the_model_order() -> None:
    drawn = [ns.S3G[name] for name, _, _ in RATINGS]
    assert drawn == [rating_term(label) for label in SDG_RATINGS]
