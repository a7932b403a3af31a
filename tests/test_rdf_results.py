"""The results writers: what they write reads back as the same solutions, in every format.

pyoxigraph is the reference: its parsers read what our writers write, and for ordinary values
our XML, CSV and TSV are the bytes its own serialisers write. The indented JSON and the
command line's CSV are compared with what ``json.dumps`` and the ``csv`` module write.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from s3graph.rdf.formats import RESULT_TYPES
from s3graph.rdf.results import (
    CsvWriter,
    HtmlTableWriter,
    JsonWriter,
    ResultsWriter,
    Term,
    XmlWriter,
    plain,
    write,
    writer_for,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
Rows = list[list[Term | None]]

#: Text XML 1.0 can carry (the XML writer leaves out the rest).
_TEXT = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\ufffe\uffff"), max_size=12
).map(lambda t: "".join(c for c in t if c >= " " or c in "\t\n\r"))
_IRI = st.from_regex(r"http://example\.org/[a-z0-9/?=&'\-]{0,12}(#[a-z]{0,3})?", fullmatch=True)
_TERM: st.SearchStrategy[Term | None] = st.one_of(
    st.none(),
    _IRI.map(ox.NamedNode),
    st.from_regex(r"b[a-z0-9]{0,6}", fullmatch=True).map(ox.BlankNode),
    _TEXT.map(ox.Literal),
    st.tuples(_TEXT, st.sampled_from(["en", "fr-BE"])).map(
        lambda pair: ox.Literal(pair[0], language=pair[1])
    ),
    st.integers(-(10**6), 10**6).map(
        lambda n: ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))
    ),
    st.sampled_from(["true", "false"]).map(
        lambda b: ox.Literal(b, datatype=ox.NamedNode(XSD + "boolean"))
    ),
    st.sampled_from(["0.5", "-1.25", "2020-06-30"]).map(
        lambda d: ox.Literal(d, datatype=ox.NamedNode(XSD + ("date" if "-06-" in d else "decimal")))
    ),
)


@st.composite
def results(draw: st.DrawFn) -> tuple[list[str], Rows]:
    width = draw(st.integers(0, 3))
    variables = [f"v{i}" for i in range(width)]
    rows = draw(st.lists(st.lists(_TERM, min_size=width, max_size=width), max_size=5))
    return variables, rows


def text(writer: ResultsWriter, variables: Sequence[str], rows: Rows) -> str:
    return "".join(write(writer, variables, rows))


def read_back(data: str, media_type: str) -> tuple[list[str], Rows]:
    parsed = ox.parse_query_results(data.encode(), format=RESULT_TYPES[media_type])
    assert isinstance(parsed, ox.QuerySolutions)
    variables = [v.value for v in parsed.variables]
    return variables, [list(solution) for solution in parsed]


def plain_rows(rows: Rows) -> list[list[str]]:
    return [[plain(term) for term in row] for row in rows]


@settings(max_examples=300, deadline=None)
@given(results())
def test_json_xml_and_tsv_read_back_as_the_same_terms(result: tuple[list[str], Rows]) -> None:
    variables, rows = result
    for media in ("application/sparql-results+json", "application/sparql-results+xml",
                  "text/tab-separated-values"):  # fmt: skip
        if not variables and media != "application/sparql-results+json":
            continue  # no variables: no header line to read back
        assert read_back(text(writer_for(media), variables, rows), media) == (variables, rows)


@settings(max_examples=300, deadline=None)
@given(results())
def test_csv_reads_back_as_the_same_plain_values(result: tuple[list[str], Rows]) -> None:
    variables, rows = result
    if not variables:
        return
    written = text(writer_for("text/csv"), variables, rows)
    read = [line or [""] for line in csv.reader(io.StringIO(written, newline=""))]
    assert read == [variables, *plain_rows(rows)]


@settings(max_examples=200, deadline=None)
@given(results())
def test_indented_json_is_what_json_dumps_writes(result: tuple[list[str], Rows]) -> None:
    variables, rows = result
    compact = text(JsonWriter(), variables, rows)
    document = json.loads(compact)
    expected = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert text(JsonWriter(indent=True), variables, rows) == expected
    assert compact == json.dumps(document, ensure_ascii=False, separators=(",", ":"))


@settings(max_examples=200, deadline=None)
@given(results())
def test_the_command_lines_csv_is_what_the_csv_module_writes(
    result: tuple[list[str], Rows],
) -> None:
    variables, rows = result
    out = io.StringIO()
    csv.writer(out).writerows([variables, *plain_rows(rows)])
    assert text(CsvWriter(lone_empty_quoted=True), variables, rows) == out.getvalue()


def test_ordinary_values_are_the_bytes_pyoxigraph_writes() -> None:
    store = ox.Store()
    query = """SELECT ?s ?label ?n ?none WHERE {
        VALUES (?s ?label ?n) {
            (<http://example.org/a?x=1&y=2> "Région, \\"Nord\\""@fr 12)
            (<http://example.org/b> "plain <text>" 0.5)
            (<http://example.org/c> "2020-06-30"^^<http://www.w3.org/2001/XMLSchema#date> true)
        }
    }"""
    for media, fmt in RESULT_TYPES.items():
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        variables = [v.value for v in solutions.variables]
        rows: Rows = [list(solution) for solution in solutions]
        again = store.query(query)
        assert isinstance(again, ox.QuerySolutions)
        expected = again.serialize(format=fmt)
        assert text(writer_for(media), variables, rows).encode() == expected, media


def test_whitespace_at_the_ends_of_xml_text_survives_trimming_readers() -> None:
    written = text(XmlWriter(), ["v"], [[ox.Literal(" a\r\n")]])
    assert "<literal>&#32;a&#13;&#10;</literal>" in written


def test_a_cut_is_said_in_a_top_level_member() -> None:
    writer = JsonWriter()
    writer.members.append('"s3graph":{"truncated":true}')
    document = json.loads(text(writer, ["v"], [[None]]))
    assert document["s3graph"] == {"truncated": True}
    assert document["results"]["bindings"] == [{}]


def test_the_html_table_escapes_and_links() -> None:
    rows: Rows = [[ox.NamedNode("http://example.org/?a=1&b=2"), ox.Literal("<b>", language="en")]]
    written = text(HtmlTableWriter(), ["iri", "label"], rows)
    assert '<a href="http://example.org/?a=1&amp;b=2">' in written
    assert '<span lang="en">&lt;b&gt;</span>' in written
    assert written.count("<tr>") == 2
