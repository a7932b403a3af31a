"""Keywords found by the SPARQL lexer, with the cheap pre-check that skips lexing."""

from __future__ import annotations

import pytest

from s3graph.sparql_lex import has_keyword, may_hold
from s3graph.store import dataset_in_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", True),
        ("select * from named <http://example.org/g> { graph ?g { ?s ?p ?o } }", True),
        ("SELECT * WHERE { ?s ?p ?o }", False),
        ("SELECT * WHERE { ?s <http://example.org/FROM> 'from' }  # FROM in a comment", False),
        ("SELECT * WHERE { ?from ?p ?o }", False),
        ("SELECT * \\u0046ROM <http://example.org/g> { ?s ?p ?o }", True),
    ],
)
def test_from_is_found_only_as_a_keyword(text: str, expected: bool) -> None:
    assert dataset_in_text(text) is expected
    assert has_keyword(text, "FROM") is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("select * { service <http://x/> { ?s ?p ?o } }", True),
        ("SELECT * { ?s ?p 'a\\u0053ERVICE' }", True),  # an escape: only lexing can tell
        ("SELECT * { ?s ?p ?o }", False),
    ],
)
def test_may_hold_never_misses_a_keyword(text: str, expected: bool) -> None:
    assert may_hold(text, "SERVICE") is expected
    if not may_hold(text, "SERVICE"):
        assert not has_keyword(text, "SERVICE")


# --- the lexer reads as pyoxigraph 0.5 does (see the module docstring of s3graph.sparql_lex)


def kinds(text: str) -> list[tuple[str, str]]:
    from s3graph.sparql_lex import tokens

    return [(tok.kind, tok.text) for tok in tokens(text)]


def test_escapes_are_decoded_only_inside_strings_and_iris() -> None:
    found = kinds('BIND("a\\u0022b" AS ?x) <http://a/\\u0041>')
    assert found[:2] == [("word", "BIND"), ("punct", "(")]
    assert ("string", '"a\\u0022b"') in found
    assert ("iri", "http://a/A") in found
    # as written the escape spells no keyword; decoded first (a second reading) it does
    assert has_keyword("SELECT * { \\u0053ERVICE <http://x/> {} }", "SERVICE")


def test_comments_end_at_cr_or_lf() -> None:
    for eol in ("\r", "\n", "\r\n"):
        assert has_keyword(f"SELECT * {{ # note{eol}SERVICE <http://x/> {{}} }}", "SERVICE")
    assert not has_keyword("SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}", "SERVICE")


@pytest.mark.parametrize(
    "glued",
    ["1SERVICE", "1.SERVICE", "1.5SERVICE", "1e3SERVICE", '"x"SERVICE', "}SERVICE", "trueSERVICE",
     "ex:a.b.SERVICE", "SERVICE:x", "xSERVICE", "_:b SERVICE", ")SERVICE", "<http://x/>SERVICE"],
)
def test_keywords_need_no_word_boundary(glued: str) -> None:
    assert has_keyword(f"SELECT * {{ ?s ?p {glued} <http://x/> {{}} }}", "SERVICE")


@pytest.mark.parametrize(
    "absorbed",
    ["?oSERVICE", "$oSERVICE", "ex:aSERVICE", "ex:SERVICE", '"x"@enSERVICE', "_:bSERVICE",
     "'SERVICE'", '"""SERVICE"""', "<http://x/SERVICE>", "ex:a.SERVICE"],
)
def test_longer_terminals_absorb_the_keyword(absorbed: str) -> None:
    assert not has_keyword(f"SELECT * {{ ?s ?p {absorbed} }}", "SERVICE")


def test_less_than_is_read_both_as_iri_and_as_operator() -> None:
    hidden = "SELECT * { FILTER(?n <'a>' || true) SERVICE <http://x/> {} BIND('b' AS ?z) }"
    assert has_keyword(hidden, "SERVICE")
    assert kinds("FILTER(?n <'a>')")[3] == ("iri", "'a")  # the main reading
    commented = "SELECT * { FILTER(?n <#x> '''\n2) SERVICE <http://x/> {} BIND('''q''' AS ?z) }"
    assert has_keyword(commented, "SERVICE")


def test_an_unterminated_long_string_is_an_empty_string_and_another() -> None:
    import pyoxigraph as ox

    text = 'SELECT ?x { VALUES ?x { """a" } }'
    assert kinds(text)[6:8] == [("string", '""'), ("string", '"a"')]
    assert [row["x"].value for row in ox.Store().query(text)] == ["", "a"]  # type: ignore[union-attr]


def test_with_using_keeps_the_text_as_written() -> None:
    from s3graph.sparql_lex import with_using

    update = 'INSERT { ?s ?p "a\\u0022b" } WHERE { ?s ?p ?o }'
    assert with_using(update, ["http://g/"], []) == (
        'INSERT { ?s ?p "a\\u0022b" } USING <http://g/> WHERE { ?s ?p ?o }'
    )


def test_may_hold_covers_every_spelling_the_engine_reads() -> None:
    for text in ("SELECT * { sErViCe <x> {} }", "1SERVICE", "SELECT * { \\u0053ERVICE }"):
        assert may_hold(text, "SERVICE")
    assert not may_hold("SELECT * { ?s ?p ?o }", "SERVICE")


def test_a_megabyte_lexes_in_linear_time() -> None:
    import time

    from s3graph.sparql_lex import scan

    body = "?s <http://x/p#a> 'lit', \"x\"@en, 1.5e3 ; ex:p ?o .\n" * 20000
    text = "PREFIX ex: <http://x/> SELECT * WHERE { " + body + "}"
    assert len(text) > 1_000_000
    started = time.perf_counter()
    result = scan(text, ["SERVICE"])[0]
    assert time.perf_counter() - started < 3  # ~0.5 s here; quadratic would take minutes
    assert not result.error and not result.overflow and result.depth == 1
    hostile = "<a#b>'''" * 100_000 + '"' * 100_000  # forks and unterminated strings
    started = time.perf_counter()
    scan(hostile, ["SERVICE"])
    assert time.perf_counter() - started < 3


# --- nesting depth


def test_nesting_depth_counts_brackets_outside_strings_iris_and_comments() -> None:
    from s3graph.sparql_lex import nesting_depth

    assert nesting_depth("SELECT * WHERE { ?s ?p ?o }") == 1
    assert nesting_depth("SELECT * { OPTIONAL { FILTER((1 + 2) > [ ]) } }") == 4
    assert nesting_depth('SELECT * { ?s ?p "{{{{" } # ((((((\n') == 1
    assert nesting_depth("SELECT * { ?s ?p <http://x/{{> }") == 3  # no IRI: its braces count
    assert nesting_depth("SELECT * { ?s ?p <http://x/((a))> }") == 3  # as an operator they would


@pytest.mark.parametrize("levels", [3_000, 30_000, 300_000])
def test_deep_nesting_is_measured_and_refused_quickly(levels: int) -> None:
    import time

    from s3graph.api.guard import DEPTH_LIMIT, QueryTooDeep, check_depth

    text = "SELECT * WHERE " + "{" * levels + " ?s ?p ?o " + "}" * levels
    started = time.perf_counter()
    with pytest.raises(QueryTooDeep, match=f"nests {levels} levels deep; at most {DEPTH_LIMIT}"):
        check_depth(text)
    assert time.perf_counter() - started < 2


def test_shipped_queries_pass_the_depth_check() -> None:
    from pathlib import Path

    from s3graph.api.guard import DEPTH_LIMIT, check_depth
    from s3graph.sparql_lex import nesting_depth, scan

    shipped = sorted(Path(__file__).resolve().parents[1].joinpath("queries").rglob("*.rq"))
    assert shipped
    for path in shipped:
        text = path.read_text(encoding="utf-8")
        check_depth(text)
        assert nesting_depth(text) <= DEPTH_LIMIT // 4, path  # the deepest nests 11 now
        assert not scan(text)[0].error, path


def test_the_depth_check_skips_the_scan_only_when_the_brackets_cannot_nest_too_deep() -> None:
    from s3graph.api.guard import QueryTooDeep, check_depth

    few = "SELECT * WHERE { ?s ?p ?o FILTER(?o > (1 + (2))) }"
    assert check_depth(few, limit=4) >= 3
    many_but_flat = "SELECT * WHERE { " + " ".join(["FILTER(true)"] * 20) + " }"
    assert check_depth(many_but_flat, limit=4) <= 4  # scanned: 21 brackets, depth 2
    escaped = "SELECT * WHERE " + "\\u007B" * 3 + "{ ?s ?p ?o }" + "}" * 3
    with pytest.raises(QueryTooDeep):  # the decoded reading nests 4 deep
        check_depth(escaped, limit=3)
