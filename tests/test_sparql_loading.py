"""One loader for the three kinds of query file: named, export table, export description."""

from __future__ import annotations

from pathlib import Path

import pytest

from s3graph.errors import QueryError
from s3graph.sparql import (
    list_queries,
    load_description_query,
    load_tables,
    parse_description_query,
)
from s3graph.sparql.loading import description_queries_dir, tables_dir

DUMPS = ("countries", "coverage", "keywords", "linksets", "partnership-graphs")


@pytest.mark.parametrize("name", DUMPS)
def test_each_description_query_says_what_it_measures(name: str) -> None:
    query = load_description_query(name)

    assert query.name == name
    assert query.path == description_queries_dir() / f"{name}.rq"
    assert query.description and "#" not in query.description
    assert "SELECT" in query.text


def test_a_description_query_without_its_comment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="measures"):
        parse_description_query("SELECT ?x WHERE { ?x ?p ?o }\n", tmp_path / "bare.rq")


def test_the_prose_of_a_description_query_is_joined_into_one_paragraph(tmp_path: Path) -> None:
    text = "# The first line,\n# the second.\n#\n# Another.\nSELECT ?x WHERE { ?x ?p ?o }\n"

    query = parse_description_query(text, tmp_path / "q.rq")

    assert query.description == "The first line, the second. Another."


def test_a_missing_description_query_names_its_file() -> None:
    with pytest.raises(QueryError, match=r"no-such-query\.rq"):
        load_description_query("no-such-query")


def test_each_kind_is_read_from_its_own_folder() -> None:
    named = {query.path.parent for query in list_queries()}
    tables = {table.path.parent for table in load_tables()}

    assert named == {tables_dir().parent}
    assert tables == {tables_dir()}
    assert description_queries_dir() not in named | tables
