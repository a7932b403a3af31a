"""The commands on each kind of store, run for real: the embedded folder, ``oxigraph serve`` and
Virtuoso given as ``--store URL --server KIND`` (issue 14).

The same suite as :mod:`test_remote_store` (the same three kinds, the same session's servers
from :mod:`servers`), one level up: ``s3graph`` itself, as a subprocess, ingests the shared
corpus, loads NUTS 2021, answers ``stats``, ``query``, ``validate`` (against the stored NUTS),
``export`` and ``remove``, and ``serve`` answers ``/sparql`` and a page over a real socket. Each
output must be the embedded store's. A server that is down is one line and exit 3 for every
command; credentials never show in the output nor in the graph.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pytest
import requests
from servers import Server, free_port, oxigraph_server, virtuoso_server

from s3graph.cli import SERVER_KINDS, main
from s3graph.remote import PRESETS, RemoteStore

__all__ = ["oxigraph_server", "virtuoso_server"]  # fixtures, used by name

KINDS = ("embedded", "oxigraph", "virtuoso")
#: a password no output and no triple may show (oxigraph serve asks none: it is never sent)
SECRET = "pw-Zq81-never-shown"
REMOVED = "cybersecurity/2021-H1"
SERVING = re.compile(r"open (http://127\.0\.0\.1:\d+)/")


@dataclass
class Site:
    """A store as the command line names it, and what the commands printed on it."""

    kind: str
    store: str
    env: dict[str, str]
    runs: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    exports: dict[str, bytes] = field(default_factory=dict)
    served: dict[str, object] = field(default_factory=dict)

    def command(self, *args: str) -> list[str]:
        server = [] if self.kind == "embedded" else ["--server", self.kind]
        code = "from s3graph.cli import main; main()"
        return [sys.executable, "-c", code, "--store", self.store, *server, *args]

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env=self.env,
            cwd=cwd,
        )


def environment(server: Server | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("S3GRAPH_STORE")}
    env.pop("S3GRAPH_SERVER", None)
    if server is not None:
        given = {"S3GRAPH_STORE_USER": "s3", "S3GRAPH_STORE_PASSWORD": SECRET}
        env.update(server.environ() or given)
    return env


def empty_server(server: Server) -> None:
    """Drop every graph a session's server holds (an earlier module's)."""
    with RemoteStore.open(server.url, server=server.kind, environ=server.environ()) as store:
        from rdflib import Graph, URIRef

        store.replace_graphs([Graph(identifier=URIRef(iri)) for iri in store.graphs()])


def exercise(site: Site, shared: Path, work: Path) -> Site:
    """Every command on ``site``, in the order a user would run them, their outputs kept."""
    site.runs["ingest"] = site.run("ingest", str(shared / "corpus"))
    site.runs["vocab"] = site.run("vocab", "load", str(shared / "reference" / "nuts-2021.csv"))
    site.runs["stats"] = site.run("stats")
    site.runs["query"] = site.run("query", "partnerships", "--format", "csv")
    site.runs["validate"] = site.run("validate", str(shared / "corpus"))
    out = work / "dumps"
    site.runs["export"] = site.run("export", "--out", str(out), "--formats", "nq,csv")
    site.exports = {p.name: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    site.served = serve(site)
    site.runs["remove"] = site.run("remove", REMOVED)
    site.runs["stats after remove"] = site.run("stats")
    return site


def serve(site: Site) -> dict[str, object]:
    """``serve --port 0`` over the store: its first line, a count by /sparql and the home page."""
    process = subprocess.Popen(
        site.command("serve", "--host", "127.0.0.1", "--port", "0", "--workers", "2"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=site.env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = SERVING.search(first)
        assert found, first
        url = found.group(1)
        query = (
            "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type "
            'FILTER(STRSTARTS(STR(?type), "https://w3id.org/s3graph/")) } GROUP BY ?type'
        )
        answer = requests.post(
            f"{url}/sparql",
            data={"query": query},
            headers={"Accept": "text/csv"},
            timeout=60,
        )
        page = requests.get(f"{url}/", timeout=60)
        service = requests.post(
            f"{url}/sparql",
            data={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"},
            timeout=60,
        )
        return {
            "first": first,
            "status": answer.status_code,
            "rows": Counter(tuple(r) for r in csv.reader(io.StringIO(answer.text))),
            "page": page.text,
            "page status": page.status_code,
            "service status": service.status_code,
        }
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def expected(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The commands on the embedded store: what every server must print alike."""
    folder = tmp_path_factory.mktemp("embedded-commands")
    site = Site("embedded", str(folder / "store"), environment(None))
    return exercise(site, shared_dir, folder)


@pytest.fixture(scope="module", params=KINDS)
def site(
    request: pytest.FixtureRequest,
    expected: Site,
    shared_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Site:
    kind = request.param
    if kind == "embedded":
        return expected
    server = cast(Server, request.getfixturevalue(f"{kind}_server"))
    empty_server(server)
    site = Site(kind, server.url, environment(server))
    return exercise(site, shared_dir, tmp_path_factory.mktemp(f"{kind}-commands"))


def ok(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 0, (run.args, run.stdout, run.stderr)
    return run.stdout


@pytest.mark.parametrize(
    "command", ["ingest", "vocab", "stats", "query", "export", "remove", "stats after remove"]
)
def test_each_command_prints_what_it_prints_on_the_embedded_store(
    site: Site, expected: Site, command: str
) -> None:
    def plain(text: str) -> list[str]:  # the export names its folder, which differs
        lines = re.sub(r"to \S+dumps: .*", "", text).splitlines()
        if command == "query":  # the same rows; a server orders ties as it likes
            return lines[:1] + sorted(lines[1:])
        return lines

    assert plain(ok(site.runs[command])) == plain(ok(expected.runs[command]))


def test_validate_judges_against_the_stored_nuts_alike(site: Site, expected: Site) -> None:
    run, want = site.runs["validate"], expected.runs["validate"]
    assert (run.returncode, run.stdout, run.stderr) == (want.returncode, want.stdout, want.stderr)


def test_the_export_writes_the_same_data(site: Site, expected: Site) -> None:
    data = {n: b for n, b in site.exports.items() if n.endswith((".nq", ".csv"))}
    want = {n: b for n, b in expected.exports.items() if n.endswith((".nq", ".csv"))}
    assert data.keys() == want.keys() and data
    differ = sorted(name for name in data if lines(data[name]) != lines(want[name]))
    assert differ == [], differ


#: times of day, which only the ingest writes (each store was filled at its own moment)
WHEN = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def lines(data: bytes) -> list[bytes]:
    return sorted(WHEN.sub(b'"WHEN"', line) for line in data.splitlines())


def test_serve_fronts_the_store_with_its_protections(site: Site, expected: Site) -> None:
    served, want = site.served, expected.served
    assert served["status"] == 200 and served["page status"] == 200
    assert served["rows"] == want["rows"]
    assert served["service status"] == 400  # the SERVICE guard, in front of any store
    if site.kind == "embedded":
        assert "Data as of" in str(served["page"])
    else:
        assert "live from the SPARQL server" in str(served["first"])
        assert "Data live" in str(served["page"]) and "Data as of" not in str(served["page"])


# the servers only: the embedded store takes no credentials
@pytest.mark.parametrize("site", [k for k in KINDS if k != "embedded"], indirect=True)
def test_credentials_show_nowhere(site: Site) -> None:
    password = site.env.get("S3GRAPH_STORE_PASSWORD")
    assert password, "a server's commands are run with credentials"
    for run in site.runs.values():
        assert password not in run.stdout + run.stderr
    assert password not in str(site.served)
    if password == SECRET:  # a distinctive one: it must not be in the data either
        assert all(SECRET.encode() not in data for data in site.exports.values())


DOWN = [
    *(("oxigraph", args) for args in (
        ["ingest", "CORPUS"], ["validate", "CORPUS"], ["stats"], ["query", "partnerships"],
        ["export", "--out", "OUT"], ["remove", REMOVED], ["check"], ["vocab", "load", "NUTS"],
        ["serve", "--port", "0"],
    )),
    ("virtuoso", ["ingest", "CORPUS"]),
    ("virtuoso", ["query", "partnerships"]),
    ("generic", ["stats"]),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "args"), DOWN, ids=[f"{k}-{a[0]}" for k, a in DOWN])
def test_a_down_server_is_one_line_and_exit_3(
    kind: str, args: list[str], shared_dir: Path, tmp_path: Path
) -> None:
    places = {
        "CORPUS": str(shared_dir / "corpus"),
        "OUT": str(tmp_path / "out"),
        "NUTS": str(shared_dir / "reference" / "nuts-2021.csv"),
    }
    env = environment(None) | {"S3GRAPH_STORE_USER": "s3", "S3GRAPH_STORE_PASSWORD": SECRET}
    url = f"http://127.0.0.1:{free_port()}/sparql"
    site = Site(kind, url, env)
    run = site.run(*[places.get(a, a) for a in args])
    lines = [line for line in run.stderr.splitlines() if ": warning: " not in line]
    assert run.returncode == 3, (run.stdout, run.stderr)
    assert len(lines) == 1 and url.split("/sparql")[0] in lines[0], run.stderr
    assert "Traceback" not in run.stderr and SECRET not in run.stdout + run.stderr
    assert not (tmp_path / "out").exists()


def test_a_url_stays_a_url_and_the_server_kinds_are_the_presets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    assert set(SERVER_KINDS) == set(PRESETS)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "http:x").mkdir()  # a folder with a colon in its name is a folder
    result = CliRunner().invoke(main, ["--store", "http:x", "stats"])
    assert result.exit_code == 3 and "no store at http:x" in result.output
