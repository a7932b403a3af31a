"""The one negotiator, from a table of Accept cases."""

from __future__ import annotations

import pytest

from s3graph.rdf.formats import HTML, RDF_TYPES, RESULT_TYPES, SUFFIXES, negotiate

RDF = list(RDF_TYPES)
RESULTS = list(RESULT_TYPES)
PAGE = [HTML, *RDF]

CASES = [
    # (Accept, offered, expected)
    ("text/turtle;q=0.9, application/rdf+xml;q=0.5", RDF, "text/turtle"),
    ("application/rdf+xml;q=0.5, text/turtle;q=0.9", RDF, "text/turtle"),
    ("application/rdf+xml, text/turtle;q=0.9", RDF, "application/rdf+xml"),
    ("*/*", RDF, "text/turtle"),
    ("*/*", RESULTS, "application/sparql-results+json"),
    ("application/*", RDF, "application/n-triples"),
    ("text/*", RESULTS, "text/csv"),
    ("text/*;q=0.5, text/csv;q=0", RESULTS, "text/tab-separated-values"),
    ("*/*;q=0.1, text/turtle;q=0", RDF, "application/n-triples"),
    ("text/turtle;q=0", RDF, None),
    (None, RDF, "text/turtle"),
    ("", RESULTS, "application/sparql-results+json"),
    ("image/png", RDF, None),
    ("image/png", RESULTS, None),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", PAGE, HTML),
    ("text/turtle, */*;q=0.1", PAGE, "text/turtle"),
    ("application/ld+json", PAGE, "application/ld+json"),
    ("application/json", RESULTS, "application/sparql-results+json"),
    ("application/sparql-results+xml", RESULTS, "application/sparql-results+xml"),
    ("TEXT/TURTLE", RDF, "text/turtle"),
    ("text/turtle;charset=utf-8", RDF, "text/turtle"),
    ("garbage, text/csv", RESULTS, "text/csv"),
    ("text/csv;q=abc, text/tab-separated-values;q=0.2", RESULTS, "text/tab-separated-values"),
    ("*/*", [], None),
]


@pytest.mark.parametrize(("accept", "offered", "expected"), CASES)
def test_negotiate(accept: str | None, offered: list[str], expected: str | None) -> None:
    assert negotiate(accept, offered) == expected


def test_ties_go_to_the_first_offered() -> None:
    assert negotiate("text/csv, text/tab-separated-values", RESULTS) == "text/csv"
    tsv_first = ["text/tab-separated-values", "text/csv"]
    assert negotiate("text/csv, text/tab-separated-values", tsv_first) == tsv_first[0]


def test_suffixes_name_rdf_types() -> None:
    assert set(SUFFIXES.values()) <= set(RDF_TYPES)


def test_one_parser_of_media_types() -> None:
    from s3graph.rdf.formats import parse_media_type

    assert parse_media_type(' Text/CSV ; Charset="UTF-8";header=present') == (
        "text/csv",
        [("charset", "UTF-8"), ("header", "present")],
    )
    assert parse_media_type("") == ("", [])


def test_the_table_names_each_format_once() -> None:
    from s3graph.rdf.formats import FORMATS, by_suffix

    suffixes = [f.suffix for f in FORMATS.values()]
    assert len(set(suffixes)) == len(suffixes)
    turtle = by_suffix(".ttl")
    assert turtle is not None and turtle.media_type == "text/turtle"
    assert turtle.file_type == (
        "http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE"
    )
    assert all(FORMATS[media].rdf is fmt for media, fmt in RDF_TYPES.items())
    assert all(FORMATS[media].results is fmt for media, fmt in RESULT_TYPES.items())
