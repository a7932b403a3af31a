"""Remote stores in the scale benchmark: a SPARQL server as the store, filled by the CLI and
queried directly beside the embedded store's servers (issue 14).

``bench/scale.py --virtuoso`` starts a Virtuoso open source (``virtuoso-t``) of its own per size,
on 127.0.0.1 with free ports and a database in the size's work folder, as ``tests/servers.py``
starts it for the tests (their ``virtuoso.ini`` template, ``+foreground``; the new database's
administrator ``dba``/``dba`` writes through ``/sparql-auth``), but sized for the benchmark: more
buffers (the tests hold 30k quads, the benchmark up to 1M), no row cap within reach and no query
time limit of its own, since Virtuoso's limit returns a partial answer (an "anytime" result)
rather than an error; the benchmark's request timeout bounds each query instead. The template is
read from ``tests/servers.py``'s source: importing that module would import pytest.

``--remote KIND=URL`` names a server already running (it must hold nothing else: its rows are
compared with the embedded store's); its user and password come from ``S3GRAPH_STORE_USER`` and
``S3GRAPH_STORE_PASSWORD`` as for the CLI.

Per size, the store is filled as a user fills it: ``s3graph --store URL --server KIND vocab load
NUTS`` then ``ingest REPORTS`` (by part with ``--by-part``), timed with the peak memory of the CLI
process; then the server answers the named-query mix at its own query endpoint (Virtuoso's
``/sparql``, the union of the named graphs being its default graph).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from endpoint import Server, free_port

from s3graph.remote import RemoteStore
from s3graph.remote.presets import preset

TESTS_SERVERS = Path(__file__).resolve().parents[1] / "tests" / "servers.py"
#: What the benchmark sets otherwise than the tests' ``virtuoso.ini`` (see above): 1.3 GB of
#: buffers, no row cap within reach, no time limit of Virtuoso's own.
BENCH_SETTINGS = {
    "NumberOfBuffers": "170000",
    "MaxDirtyBuffers": "130000",
    "ResultSetMaxRows": "10000000",
    "MaxQueryExecutionTime": "0",
}
ADMIN = {"S3GRAPH_STORE_USER": "dba", "S3GRAPH_STORE_PASSWORD": "dba"}
#: seconds one request of the CLI to the server may take (its default is shorter)
CLI_TIMEOUT = "1200"


@dataclass
class External(Server):
    """A server the benchmark did not start: queried at ``address`` (a full URL)."""

    address: str = ""

    @property
    def url(self) -> str:
        return self.address


@dataclass
class Remote:
    """A SPARQL server used as the store: where the CLI writes, where the mix is asked."""

    kind: str
    url: str  # the store URL given to ``s3graph --store``
    process: Server | None = None  # the server started here (stopped at the end of the size)
    environ: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.kind if self.process is not None else f"{self.kind}-remote"

    def cli_environ(self) -> dict[str, str]:
        return {**os.environ, "S3GRAPH_STORE_TIMEOUT": CLI_TIMEOUT, **self.environ}

    def query_server(self) -> Server:
        """The server's query endpoint as the mix asks it (the union of the named graphs)."""
        settings = preset(self.kind)
        address = settings.endpoints(self.url).query
        extra = settings.query_parameters(union=True)
        if extra:
            address += "?" + "&".join(f"{k}={v}" for k, v in extra)
        return External(self.name, [], "", Path(os.devnull), address=address)

    def count(self) -> int:
        """Quads in the server's named graphs (its own graphs left out)."""
        with RemoteStore.open(self.url, server=self.kind, environ=self.cli_environ()) as store:
            return store.count()

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


def virtuoso_ini() -> str:
    """The tests' ``VIRTUOSO_INI`` template, read from ``tests/servers.py``'s source (importing it
    would import pytest), with :data:`BENCH_SETTINGS` in place of its values."""
    tree = ast.parse(TESTS_SERVERS.read_text(encoding="utf-8"))
    found = [
        node.value
        for node in tree.body
        if isinstance(node, ast.AnnAssign | ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "VIRTUOSO_INI" for t in assigned(node))
    ]
    if not found or found[0] is None:
        raise RuntimeError(f"no VIRTUOSO_INI in {TESTS_SERVERS}")
    text = str(ast.literal_eval(found[0]))
    for key, value in BENCH_SETTINGS.items():
        text, done = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.MULTILINE)
        if not done:
            raise RuntimeError(f"no {key} in {TESTS_SERVERS}'s VIRTUOSO_INI")
    return text


def assigned(node: ast.AnnAssign | ast.Assign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]


def start_virtuoso(folder: Path) -> Remote:
    """A fresh Virtuoso in ``folder`` (emptied first), answering; raise when it cannot start."""
    program = shutil.which("virtuoso-t")
    if program is None:
        raise RuntimeError("no `virtuoso-t` program (apt-get install virtuoso-opensource)")
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "db").mkdir(parents=True)
    (folder / "vsp").mkdir()
    ini = folder / "virtuoso.ini"
    server = Server(
        "virtuoso", [program, "+foreground", "+configfile", str(ini)], "/sparql", folder / "out"
    )
    settings = virtuoso_ini().format(
        db=folder / "db", vsp=folder / "vsp", sql_port=free_port(), http_port=server.port
    )
    ini.write_text(settings, encoding="utf-8")
    server.start()
    try:
        server.wait_ready()
    except RuntimeError:
        server.stop()
        raise
    return Remote("virtuoso", server.base, server, dict(ADMIN))


def given(text: str) -> Remote:
    """``KIND=URL`` of ``--remote``: a running server, credentials from the environment."""
    kind, _, url = text.partition("=")
    preset(kind)  # ValueError naming the kinds on offer
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"--remote {text!r}: give KIND=URL")
    return Remote(kind, url)
