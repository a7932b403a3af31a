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
