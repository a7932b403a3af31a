"""Results written by pyoxigraph and cut at the row cap (s3graph.api.capped).

The reference is the row-by-row path of the Python writers (``execute._solutions``): where the
cut answers, it must be the same bytes and the same "truncated"; where it cannot count the rows
exactly it says so (None), and the worker writes the rows in Python instead.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from s3graph.api import capped
from s3graph.api.execute import QueryJob, _solutions, handle_job
from s3graph.rdf.results import JsonWriter, Term, write
from s3graph.store import Store

JSON = "application/sparql-results+json"
CSV = "text/csv"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: Values that hold what the cut counts: row separators of JSON, line ends and quotes of CSV.
_TRICKY = st.sampled_from(['},{"a', "},{}", "x\r\ny", 'say "hi"', "a,b", ",{", ""])
_LETTERS = st.characters(min_codepoint=32, max_codepoint=0x2FF)
_TEXT = st.one_of(_TRICKY, st.text(_LETTERS, max_size=6))
_TERM: st.SearchStrategy[Term | None] = st.one_of(
    st.none(),
    st.from_regex(r"http://example\.org/[a-z]{0,5}", fullmatch=True).map(ox.NamedNode),
    _TEXT.map(ox.Literal),
    st.tuples(_TEXT, st.just("fr")).map(lambda pair: ox.Literal(pair[0], language=pair[1])),
    st.integers(-99, 99).map(lambda n: ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))),
)


def solutions(variables: list[str], rows: list[list[Term | None]]) -> ox.QuerySolutions:
    """The rows as pyoxigraph solutions, as a query gives them."""
    text = "".join(write(JsonWriter(), variables, rows)).encode()
    parsed = ox.parse_query_results(text, format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    return parsed


def check(variables: list[str], rows: list[list[Term | None]], media: str, cap: int) -> bool:
    """Whether the cut answered; when it did, it is what the Python writers write."""
    written = capped.serialize(solutions(variables, rows), media, cap)
    if written is None:
        return False
    expected = _solutions(solutions(variables, rows), media, cap)
    assert (written.body, written.truncated) == (expected.body, expected.truncated)
    return True


def doubtful(rows: list[list[Term | None]], media: str) -> bool:
    """Whether the rows make the count of row marks only a bound (see capped's docstring)."""
    values = [term.value for row in rows for term in row if isinstance(term, ox.Literal)]
    if media == CSV:  # a quoted value
        return any(char in value for value in values for char in '",\r\n')
    empty_after_first = any(all(term is None for term in row) for row in rows[1:])
    return empty_after_first or any("},{" in value for value in values)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda width: st.tuples(
            st.just([f"v{i}" for i in range(width)]),
            st.lists(st.lists(_TERM, min_size=width, max_size=width), max_size=8),
        )
    ),
    st.sampled_from([JSON, CSV]),
    st.integers(-1, 9),
)
def test_the_cut_is_what_the_python_writers_write(
    result: tuple[list[str], list[list[Term | None]]], media: str, cap: int
) -> None:
    variables, rows = result
    if not capped.writes(media, cap):
        assert cap == 0
        return
    answered = check(variables, rows, media, cap)
    if cap < 0 or (len(rows) <= cap and not doubtful(rows, media)):
        assert answered  # under the cap, nothing to count exactly: always written whole


@pytest.mark.parametrize("media", [JSON, CSV])
def test_a_cut_deep_in_a_large_result_lands_on_a_row_boundary(media: str) -> None:
    """Rows across many of pyoxigraph's 8 KB writes, marks straddling two writes."""
    variables = ["s", "n", "label"]
    rows: list[list[Term | None]] = [
        [
            ox.NamedNode(f"http://example.org/{i}"),
            ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer")),
            ox.Literal(f"row {i} é" * (i % 7)) if i % 5 else None,
        ]
        for i in range(5000)
    ]
    for cap in (1, 999, 1234, 4999, 5000, 5001):
        assert check(variables, rows, media, cap)


def test_a_count_that_is_only_a_bound_is_left_to_the_python_writers() -> None:
    """Rows with nothing bound after a row (JSON ``},{}``, which a value may also hold)."""
    rows: list[list[Term | None]] = [[ox.Literal("a")], [None], [None], [ox.Literal("b")]]
    assert capped.serialize(solutions(["v"], rows), JSON, 2) is None
    assert check(["v"], rows, JSON, 4)  # within the cap: written whole all the same


def test_the_worker_writes_the_cut_when_the_count_is_a_bound(tmp_path: object) -> None:
    """handle_job runs the query again and writes it row by row: the same cut as before."""
    store = Store(ox.Store(), tmp_path, read_only=True, in_memory=True)  # type: ignore[arg-type]
    text = 'SELECT ?v WHERE { VALUES ?v { "a" UNDEF UNDEF "b" UNDEF } }'
    outcome = handle_job(store, QueryJob(text, max_rows=2))
    assert outcome.truncated
    assert outcome.body.endswith(b'"s3graph":{"truncated":true,"maxRows":2}}')
    read = ox.parse_query_results(
        outcome.body[: outcome.body.rindex(b',"s3graph":')] + b"}",
        format=ox.QueryResultsFormat.JSON,
    )
    assert [list(row) for row in read] == [[ox.Literal("a")], [None]]  # type: ignore[union-attr]
