"""Reference vocabularies into an on-disk store: NUTS CSV/GISCO/changes files, fetch, the CLI."""

from __future__ import annotations

import csv
import functools
import io
import socket
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from s3graph.cli import main
from s3graph.errors import ReportError
from s3graph.store import Store
from s3graph.vocab import nuts_csv
from s3graph.vocab.nuts_index import NutsIndex
from s3graph.vocab.sources import base, loading, stored

VERSIONS = (2010, 2013, 2016, 2021, 2024)
GISCO_HEADER = ("NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME", "MOUNT_TYPE")


@pytest.fixture
def reference(shared_dir: Path) -> Path:
    folder = shared_dir / "reference"
    if not (folder / "nuts-2016.csv").is_file():
        pytest.skip(f"no NUTS reference files in {folder}")
    return folder


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store") as opened:
        yield opened


def concepts_in(store: Store, version: int) -> int:
    text = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH <http://data.europa.eu/nuts/scheme/{version}>"
        " { ?c a skos:Concept } }"
    )
    solutions = store.query(text)
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))["n"].value)


def quads(store: Store) -> set[str]:
    solutions = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(solutions, ox.QuerySolutions)
    return {" ".join(str(t) for t in row) for row in solutions}


def gisco_text(reference_csv: Path, keep: int | None = None) -> str:
    """The reference CSV rewritten in the GISCO attribute-table layout."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GISCO_HEADER)
    with reference_csv.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if keep is not None and i >= keep:
                break
            latin = row["label_latin"] or row["label"]
            writer.writerow([row["code"], row["level"], row["country"], latin, row["label"], "0"])
    return out.getvalue()


# -- loading files ---------------------------------------------------------------------------


def test_loading_nuts_2016_makes_its_version_graph(store: Store, reference: Path) -> None:
    summary = loading.load_nuts_file(store, reference / "nuts-2016.csv", version=None)

    assert concepts_in(store, 2016) == 2128
    assert [g.iri for g in summary.graphs] == ["http://data.europa.eu/nuts/scheme/2016"]
    assert "2128 regions" in summary.lines()[0]
    assert store.graphs() == ["http://data.europa.eu/nuts/scheme/2016"]


def test_five_versions_and_changes_give_the_index_of_the_csv_files(
    store: Store, reference: Path
) -> None:
    assert stored.nuts_index_from_store(store) is None
    for version in VERSIONS:
        loading.load_nuts_file(store, reference / f"nuts-{version}.csv")
    loading.load_nuts_file(store, reference / "nuts-changes.csv")

    started = time.perf_counter()
    index = stored.nuts_index_from_store(store)
    elapsed = time.perf_counter() - started
    expected = nuts_csv.load_reference_dir(reference, VERSIONS)

    assert isinstance(index, NutsIndex)
    assert index.versions == expected.versions == VERSIONS
    for version in VERSIONS:
        assert set(index.regions(version)) == set(expected.regions(version)), version
    assert len(index.changes) == len(expected.changes) == 697
    assert set(index.changes) == set(expected.changes)
    assert index.successors("EL24", 2010, 2016) == ("EL64",)
    assert elapsed < 5  # about 0.5 s; generous for slow CI machines


def test_loading_again_replaces_the_graph(store: Store, reference: Path) -> None:
    loading.load_nuts_file(store, reference / "nuts-2016.csv")
    before = quads(store)
    loading.load_nuts_file(store, reference / "nuts-2016.csv")
    assert quads(store) == before


def test_gisco_layout_with_the_version_in_the_file_name(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "NUTS_AT_2021.csv"
    path.write_text(
        "NUTS_ID,LEVL_CODE,CNTR_CODE,NAME_LATN,NUTS_NAME,MOUNT_TYPE\n"
        "FI,0,FI,Suomi/Finland,Suomi/Finland,0\n"
        "FI1,1,FI,Manner-Suomi,Manner-Suomi,0\n"
        "FI1D,2,FI,Pohjois- ja Itä-Suomi,Pohjois- ja Itä-Suomi,0\n"
        "FI1D7,3,FI,Lappi,Lappi,4\n"
        "EL64,2,EL,Sterea Elláda,Στερεά Ελλάδα,0\n",
        encoding="utf-8",
    )
    loading.load_nuts_file(store, path)

    index = stored.nuts_index_from_store(store)
    assert index is not None and index.versions == (2021,)
    lappi = index.region("FI1D7", 2021)
    assert lappi is not None and (lappi.level, lappi.parent, lappi.label) == (3, "FI1D", "Lappi")
    sterea = index.region("EL64", 2021)
    assert sterea is not None
    assert (sterea.label, sterea.label_latin) == ("Στερεά Ελλάδα", "Sterea Elláda")


def test_a_csv_without_a_version_asks_for_one(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("code,level,country,label,label_latin,parent\nFI,0,FI,Suomi,,\n")
    with pytest.raises(Exception, match=r"regions\.csv: .*--version"):
        loading.load_nuts_file(store, path)
    loading.load_nuts_file(store, path, version=2016)
    assert concepts_in(store, 2016) == 1


def test_a_bad_csv_names_file_and_line_and_writes_nothing(
    store: Store, reference: Path, tmp_path: Path
) -> None:
    loading.load_nuts_file(store, reference / "nuts-2013.csv")
    before = quads(store)
    path = tmp_path / "nuts-2016.csv"
    path.write_text(
        "code,level,country,label,label_latin,parent\n"
        "FI,0,FI,Suomi,,\n"
        "FI1,1,FI,Manner-Suomi,,FI\n"
        "FI1D,two,FI,Pohjois- ja Itä-Suomi,,FI1\n",
        encoding="utf-8",
    )
    with pytest.raises(ReportError) as caught:
        loading.load_nuts_file(store, path)

    assert caught.value.line == 4
    assert str(caught.value).startswith(f"{path}:4: expected a NUTS level 0-3 for FI1D")
    assert quads(store) == before


def test_an_unknown_csv_layout_lists_the_known_ones(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "nuts-2016.csv"
    path.write_text("id,name\nFI,Suomi\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"nuts-2016\.csv:1: expected a NUTS CSV header"):
        loading.load_nuts_file(store, path)
    assert store.graphs() == []


def test_base_vocabularies_are_written_once(store: Store) -> None:
    written = base.ensure_base_vocabularies(store)
    assert {g.iri for g in written} == {
        "http://metadata.un.org/sdg",
        "https://w3id.org/s3graph/graph/registry",
    }
    assert base.ensure_base_vocabularies(store) == []
    listed = {g.iri: g.triples for g in stored.vocabulary_graphs(store)}
    assert listed == {g.iri: g.triples for g in written}


# -- the command line, against a local server ------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def gisco_server(tmp_path: Path, reference: Path) -> Iterator[str]:
    root = tmp_path / "gisco"
    (root / "csv").mkdir(parents=True)
    (root / "csv" / "NUTS_AT_2016.csv").write_text(
        gisco_text(reference / "nuts-2016.csv"), encoding="utf-8"
    )
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_cli_fetch_nuts_2016_from_the_server(
    gisco_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S3GRAPH_NUTS_BASE", gisco_server)
    monkeypatch.setenv("S3GRAPH_CACHE", str(tmp_path / "cache"))
    store_dir = tmp_path / "cli-store"

    result = CliRunner().invoke(
        main, ["--store", str(store_dir), "vocab", "fetch", "nuts", "--version", "2016"]
    )

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        line for line in result.output.splitlines() if line.strip()
    ]
    assert len(result.output.splitlines()) == 1
    assert "scheme/2016" in result.output and "2128 regions" in result.output
    with Store.open(store_dir) as store:
        assert concepts_in(store, 2016) == 2128
    listed = CliRunner().invoke(main, ["--store", str(store_dir), "vocab", "list"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.startswith("http://data.europa.eu/nuts/scheme/2016: ")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_fetch_offline_without_cache_exits_4_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S3GRAPH_NUTS_BASE", f"http://127.0.0.1:{_closed_port()}/")
    monkeypatch.setenv("S3GRAPH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)

    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "s"), "vocab", "fetch", "nuts", "--version", "2016"]
    )

    assert result.exit_code == 4, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("cannot download http://127.0.0.1:")
    assert "NUTS_AT_2016.csv" in lines[0]


def test_cli_load_reports_a_bad_file_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "nuts-2021.csv"
    path.write_text("code,level,country,label,label_latin,parent\nfi 1,0,FI,Suomi,,\n")

    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "vocab", "load", str(path)])

    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f'{path}:2: expected a NUTS code like FI1D7, found "FI 1"'
    ]


def test_cli_load_with_version_and_list(tmp_path: Path, reference: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text(gisco_text(reference / "nuts-2024.csv", keep=40), encoding="utf-8")
    store_dir = str(tmp_path / "s")

    loaded = CliRunner().invoke(
        main, ["--store", store_dir, "vocab", "load", str(path), "--version", "2024"]
    )
    listed = CliRunner().invoke(main, ["--store", store_dir, "vocab", "list"])

    assert loaded.exit_code == 0, loaded.output
    assert "NUTS 2024: 40 regions" in loaded.output
    assert listed.output.splitlines()[0].startswith("http://data.europa.eu/nuts/scheme/2024: ")
