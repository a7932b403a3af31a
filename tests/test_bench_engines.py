"""The scale benchmark's comparisons across engines: rows compared as the same terms whichever
engine wrote them (rdflib, pyoxigraph, SPARQL JSON), and the Virtuoso it starts set up from the
tests' own settings."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pyoxigraph as ox
import rdflib

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))  # as the bench scripts run
engines = importlib.import_module("rdflib_engine")
scale_remote = importlib.import_module("scale_remote")

NQUADS = """\
<http://e/a> <http://e/p> "x" <http://e/g1> .
<http://e/a> <http://e/p> "y"@EN <http://e/g1> .
<http://e/b> <http://e/p> "x"^^<http://www.w3.org/2001/XMLSchema#string> <http://e/g2> .
<http://e/b> <http://e/q> "3"^^<http://www.w3.org/2001/XMLSchema#integer> <http://e/g2> .
<http://e/c> <http://e/p> _:n <http://e/g2> .
"""
AGGREGATE = """
SELECT ?s (COUNT(?o) AS ?n) (MAX(?q) AS ?number)
WHERE { ?s <http://e/p> ?o OPTIONAL { ?s <http://e/q> ?q } }
GROUP BY ?s
"""
PLAIN = "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }"


def test_rdflib_and_pyoxigraph_rows_compare_equal_on_the_same_quads() -> None:
    store = ox.Store()
    store.load(NQUADS.encode(), format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=NQUADS, format="nquads")

    for query in (AGGREGATE, PLAIN):
        from_oxigraph = engines.oxigraph_rows(store, query)
        names = engines.projected(query)
        from_rdflib = engines.rdflib_rows(dataset, names, query)
        assert engines.same_rows(from_oxigraph, list(reversed(from_rdflib)))

    counted = engines.oxigraph_rows(store, AGGREGATE)
    assert len(counted) == 3
    unbound = engines.term_key("U")
    assert sum(row[2] == unbound for row in counted) == 2  # only b has a number
    assert len(engines.oxigraph_rows(store, PLAIN)) == 4


def test_terms_agree_across_writers_and_differences_show() -> None:
    plain = engines.json_key({"type": "literal", "value": "x"})
    assert plain == engines.rdflib_key(rdflib.Literal("x"))
    assert plain == engines.oxigraph_key(ox.Literal("x"))
    tagged = engines.json_key({"type": "literal", "value": "y", "xml:lang": "en"})
    assert tagged == engines.oxigraph_key(ox.Literal("y", language="EN"))
    assert tagged != plain
    assert engines.rdflib_key(rdflib.BNode("a")) == engines.oxigraph_key(ox.BlankNode("b"))
    assert not engines.same_rows([("a",), ("a",)], [("a",)])


def test_the_benchmarks_virtuoso_takes_the_tests_settings_with_its_own_sizes() -> None:
    text = scale_remote.virtuoso_ini()
    for key, value in scale_remote.BENCH_SETTINGS.items():
        assert f"\n{key} = {value}\n" in text
    written = text.format(db="/d", vsp="/v", sql_port=1111, http_port=8890)
    assert "ServerPort = 127.0.0.1:8890" in written
    assert "DatabaseFile = /d/virtuoso.db" in written
