"""Wikidata names of NUTS regions, queried from a real SPARQL server on 127.0.0.1.

A small Wikidata-shaped fixture is loaded into an Oxigraph store (``oxigraph load``), which is
then served (``oxigraph serve``) on a free port; the real query file and SPARQLWrapper code run
against its ``/query`` endpoint. Skipped only when the ``oxigraph`` binary is not installed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib.plugins.sparql import prepareQuery

from s3graph.vocab.rdf_files import VocabFileError
from s3graph.vocab.sources.fetch import FetchError
from s3graph.vocab.sources.wikidata import (
    NAMES_FILE,
    fetch_wikidata_names,
    load_cached_names,
    load_query,
    names_path,
)

WIKIDATA_FIXTURE = """\
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .

wd:Q900001 wdt:P605 "FI1D7" ;
    rdfs:label "Lapland"@en, "Lappi"@fi, "Lappland"@sv ;
    skos:altLabel "Lappi"@en, "Lapland Region"@en, "Lapin maakunta"@fi ;
    schema:description "region of Finland"@en .

wd:Q900002 wdt:P605 "EL64" ;
    rdfs:label "Central Greece"@en, "Στερεά Ελλάδα"@el ;
    skos:altLabel "Sterea  Ellada"@en .

wd:Q900003 wdt:P605 "ES41" ;
    rdfs:label "Castile and León"@en .

wd:Q900004 rdfs:label "Helsinki"@en ;
    skos:altLabel "Helsingfors"@en .

wd:Q900005 wdt:P605 "not a code" ;
    rdfs:label "Junk"@en .
"""

EXPECTED = [
    ("EL64", "Central Greece", "label"),
    ("EL64", "Sterea Ellada", "alias"),
    ("ES41", "Castile and León", "label"),
    ("FI1D7", "Lapland", "label"),
    ("FI1D7", "Lapland Region", "alias"),
    ("FI1D7", "Lappi", "alias"),
]


def oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``http://127.0.0.1:PORT/query`` of an Oxigraph server holding the fixture."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    folder = tmp_path_factory.mktemp("wikidata")
    data = folder / "wikidata.ttl"
    data.write_text(WIKIDATA_FIXTURE, encoding="utf-8")
    store = folder / "store"
    subprocess.run(
        [binary, "load", "--location", str(store), "--file", str(data)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {(folder / 'server.log').read_text()}")
            try:
                if requests.get(url, params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("oxigraph serve did not answer within 30 s")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_the_query_file_parses_and_declares_its_columns() -> None:
    text = load_query()
    prepareQuery(text)
    header = [line for line in text.splitlines() if line.startswith("# ")]
    assert any(line.startswith("# title:") for line in header)
    assert any(line.startswith("# columns: code, name, kind") for line in header)


def test_names_from_a_sparql_endpoint(endpoint: str, tmp_path: Path) -> None:
    rows = fetch_wikidata_names(endpoint, timeout=30, cache_dir=tmp_path)

    assert rows == EXPECTED
    assert names_path(tmp_path) == tmp_path / NAMES_FILE
    lines = (tmp_path / NAMES_FILE).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code\tname\tkind"
    assert lines[1:] == ["\t".join(row) for row in EXPECTED]
    assert list(tmp_path.glob(".tmp-*")) == []


def test_cached_names_list_labels_before_aliases(endpoint: str, tmp_path: Path) -> None:
    fetch_wikidata_names(endpoint, cache_dir=tmp_path)

    names = load_cached_names(tmp_path)

    assert names == {
        "EL64": ("Central Greece", "Sterea Ellada"),
        "ES41": ("Castile and León",),
        "FI1D7": ("Lapland", "Lapland Region", "Lappi"),
    }


def test_an_unreachable_endpoint_keeps_the_cached_names(tmp_path: Path) -> None:
    cached = tmp_path / NAMES_FILE
    cached.write_text("code\tname\tkind\nFI1D7\tLapland\tlabel\n", encoding="utf-8")

    with pytest.raises(FetchError) as caught:
        fetch_wikidata_names(f"http://127.0.0.1:{free_port()}/query", timeout=5, cache_dir=tmp_path)

    assert "127.0.0.1" in str(caught.value)
    assert caught.value.exit_code == 4
    assert load_cached_names(tmp_path) == {"FI1D7": ("Lapland",)}


def test_no_cache_yet_and_a_foreign_file(tmp_path: Path) -> None:
    assert load_cached_names(tmp_path) == {}
    (tmp_path / NAMES_FILE).write_text("id,label\nFI1D7,Lapland\n", encoding="utf-8")
    with pytest.raises(VocabFileError, match="code, name, kind"):
        load_cached_names(tmp_path)
