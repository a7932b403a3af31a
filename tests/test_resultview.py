"""The pure parts of the result view: labels chosen, IRIs named and linked, cells sorted right."""

from __future__ import annotations

import pyoxigraph as ox

from s3graph.api.pages import Site
from s3graph.api.resultpage import fields_of, format_links
from s3graph.api.resultview import (
    best_labels,
    cell,
    error_place,
    goal_number,
    iris_of,
    labels_query,
    result_view,
    triples_as_rows,
    values_clause,
)
from s3graph.rdf.graphs import Term
from s3graph.sparql import load_query

BASE = "https://w3id.org/s3graph/"
SITE = Site(BASE)
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
GOAL = "http://metadata.un.org/sdg/7"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def test_a_preferred_label_in_english_wins_whatever_the_order_of_the_rows() -> None:
    rows = [
        (BASE + "p", LABEL, "Mining industry", ""),
        (BASE + "p", PREF, "Mining industry", ""),
        (BASE + "p", PREF, "Mining Industry", "en"),
        (BASE + "p", PREF, "Industrie minière", "fr"),
    ]
    assert best_labels(rows) == {BASE + "p": "Mining Industry"}
    assert best_labels(reversed(rows)) == {BASE + "p": "Mining Industry"}


def test_a_name_in_another_language_is_taken_when_there_is_no_english_one() -> None:
    assert best_labels([("x", PREF, "Cluj", "ro")]) == {"x": "Cluj"}


def test_a_goal_is_named_by_its_short_title_not_its_long_statement() -> None:
    rows = [(GOAL, PREF, "Ensure access to energy", "en"), (GOAL, LABEL, "Goal 7: Energy", "")]
    labels = best_labels(rows)
    assert labels == {GOAL: "Goal 7: Energy"}
    shown = cell(ox.NamedNode(GOAL), labels, SITE)
    assert (shown.text, shown.href, shown.title) == ("Goal 7: Energy", GOAL, GOAL)
    assert shown.numeric and shown.sort == "7"  # goal 10 sorts after goal 9


def test_a_goal_without_a_label_still_says_its_number() -> None:
    assert cell(ox.NamedNode("http://metadata.un.org/sdg/12"), {}, SITE).text == "Goal 12"
    assert goal_number("http://metadata.un.org/sdg/12") == 12
    assert goal_number("http://metadata.un.org/sdg/12/target") is None


def test_a_data_iri_links_to_its_local_page_and_shows_its_label_else_a_prefixed_name() -> None:
    region = BASE + "region/FI1D7"
    named = cell(ox.NamedNode(region), {region: "Lappi"}, SITE)
    assert (named.text, named.href, named.title) == ("Lappi", "/region/FI1D7", region)
    bare = cell(ox.NamedNode(region), {}, SITE)
    assert (bare.text, bare.href) == ("data:region/FI1D7", "/region/FI1D7")


def test_a_nuts_region_shows_its_name_and_code() -> None:
    nuts = "http://data.europa.eu/nuts/code/RO113"
    assert cell(ox.NamedNode(nuts), {nuts: "Cluj"}, SITE).text == "Cluj (RO113)"


def test_values_keep_their_text_numbers_sort_as_numbers_and_languages_are_kept() -> None:
    number = cell(ox.Literal("12", datatype=XSD_INTEGER), {}, SITE)
    assert (number.text, number.numeric, number.sort) == ("12", True, "12")
    text = cell(ox.Literal("Kainuu", language="fi"), {}, SITE)
    assert (text.text, text.lang, text.numeric, text.href) == ("Kainuu", "fi", False, None)
    assert cell(None, {}, SITE).text == ""
    assert cell(ox.BlankNode("b1"), {}, SITE).text == "_:b1"


def test_the_iris_of_a_page_are_each_named_once_in_the_labels_query() -> None:
    a, b = ox.NamedNode(BASE + "a"), ox.NamedNode(BASE + "b")
    rows: list[list[Term | None]] = [[a, ox.Literal("x")], [b, a], [None, b]]
    assert iris_of(rows) == [BASE + "a", BASE + "b"]
    clause = values_clause(iris_of(rows))
    assert clause == f"VALUES ?resource {{ <{BASE}a> <{BASE}b> }}"
    store = ox.Store()
    store.add(ox.Quad(a, ox.NamedNode(PREF), ox.Literal("A", language="en")))
    store.add(ox.Quad(ox.NamedNode(BASE + "c"), ox.NamedNode(PREF), ox.Literal("C")))
    found = store.query(labels_query(load_query("page-labels").text, iris_of(rows)))
    assert isinstance(found, ox.QuerySolutions)
    assert [(s["resource"].value, s["label"].value, s["language"].value) for s in found] == [
        (BASE + "a", "A", "en")
    ]


def test_a_result_view_counts_its_rows_and_says_its_cut() -> None:
    row: list[Term | None] = [ox.NamedNode(GOAL), ox.Literal("3", datatype=XSD_INTEGER)]
    rows = [row] * 4
    view = result_view(["goal", "reports"], rows, {}, SITE, truncated=True, max_rows=4)
    assert view.count == 4 and view.truncated and view.max_rows == 4
    assert view.columns == ("goal", "reports")
    assert [c.text for c in view.rows[0]] == ["Goal 7", "3"]


def test_a_graph_is_a_table_of_subject_predicate_object() -> None:
    triple = ox.Triple(ox.NamedNode(BASE + "s"), ox.NamedNode(PREF), ox.Literal("o"))
    assert triples_as_rows([triple]) == [[triple.subject, triple.predicate, triple.object]]


def test_the_form_of_a_named_query_is_its_header_prefilled() -> None:
    query = load_query("regions-of-partnership")
    (field,) = fields_of(query.parameters, {"partnership": "mining-industry"})
    assert (field.name, field.required, field.value, field.input) == (
        "partnership", True, "mining-industry", "text"
    )
    assert field.description == query.parameters[0].description


def test_the_format_links_keep_the_parameters() -> None:
    csv, json = format_links("/api/queries/x", {"partnership": "a b"}, "x")
    assert csv.href == "/api/queries/x?partnership=a+b&format=csv" and csv.download == "x.csv"
    assert json.href.endswith("&format=json") and json.media_type.endswith("+json")


def test_the_place_a_parser_names_is_the_line_of_the_query_it_points_at() -> None:
    query = "SELECT ?x\nWHERE { ?x ?y }"
    place = error_place("error at 2:15: expected one of LATERAL, SERVICE", query)
    assert place is not None and (place.line, place.column) == (2, 15)
    assert (place.before, place.after) == ("WHERE { ?x ?y ", "}")
    assert error_place("error at 9:1: expected", query) is None  # no such line
    assert error_place("the store refused it", query) is None
    end = error_place("error at 1:99: unexpected end", "ASK {")
    assert end is not None and end.column == 6 and end.after == ""  # just past the end
