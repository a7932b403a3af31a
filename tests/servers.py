"""Real SPARQL servers for the tests, started on 127.0.0.1 with their own folders and free ports.

``oxigraph serve`` (the ``oxigraph`` CLI of the test extras) and Virtuoso open source (Debian's
``virtuoso-opensource``: ``virtuoso-t``) are started once per test session, each in a temporary
folder of its own, and stopped at the end. A server that cannot be started is skipped with the
reason, never silently; under CI (``CI`` set) that is a failure, since CI installs both.

Use :func:`oxigraph_server` and :func:`virtuoso_server` as fixtures (import them into the test
module); each gives a :class:`Server`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

#: how long a server may take to answer its first query
START_SECONDS = 60.0


@dataclass(frozen=True)
class Server:
    """A running server: its store URL, its kind (a preset's name) and the user allowed to write."""

    url: str
    kind: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def environ(self) -> dict[str, str]:
        """The environment a RemoteStore reads its credentials from (empty without a user)."""
        if self.user is None:
            return {}
        return {"S3GRAPH_STORE_USER": self.user, "S3GRAPH_STORE_PASSWORD": self.password or ""}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unavailable(reason: str) -> None:
    """Skip the test with ``reason`` printed; fail under CI, which installs every server."""
    if os.environ.get("CI"):
        pytest.fail(f"a test server is missing under CI: {reason}")
    pytest.skip(reason)


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``url`` (a SPARQL query endpoint) until it answers an ASK, the process dies, or
    :data:`START_SECONDS` pass; the latter two skip (or fail) with the server's last words."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            answer = requests.post(url, data={"query": "ASK {}"}, timeout=2)
            if answer.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop(process)
    tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
    unavailable(f"{url} did not answer within {START_SECONDS:g} s: {' / '.join(tail)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_oxigraph(folder: Path) -> Iterator[Server]:
    program = shutil.which("oxigraph")
    if program is None:
        unavailable("oxigraph serve: no `oxigraph` program (pip install -e '.[test]')")
        return
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [program, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{url}/query", process, log)
        yield Server(url, "oxigraph")
    finally:
        stop(process)


#: Our own virtuoso.ini: the database in the test's folder, both ports free ones on 127.0.0.1,
#: room for the corpus's results, no checkpoints to wait for.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
CheckpointInterval = 0
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {vsp}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""

#: the most rows Virtuoso answers a query with, in the tests' own ini; Debian's packaged
#: ``virtuoso.ini`` says 10,000 (:func:`virtuoso_capped_server`), which cuts answers short silently
ROOMY_ROWS = 1_000_000
PACKAGED_ROWS = 10_000


def start_virtuoso(folder: Path, max_rows: int = ROOMY_ROWS) -> Iterator[Server]:
    program = shutil.which("virtuoso-t")
    if program is None:
        unavailable("Virtuoso: no `virtuoso-t` program (apt-get install virtuoso-opensource)")
        return
    (folder / "db").mkdir(parents=True)
    (folder / "vsp").mkdir()
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            db=folder / "db",
            vsp=folder / "vsp",
            sql_port=free_port(),
            http_port=http_port,
            max_rows=max_rows,
        )
    )
    log = folder / "virtuoso.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [program, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_answering(f"{url}/sparql", process, log)
        # a new database's administrator; /sparql-auth takes them by HTTP digest
        yield Server(url, "virtuoso", "dba", "dba")
    finally:
        stop(process)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``oxigraph serve`` on disk, for the whole session."""
    yield from start_oxigraph(tmp_path_factory.mktemp("oxigraph-serve"))


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Virtuoso open source with a database of its own, for the whole session."""
    yield from start_virtuoso(tmp_path_factory.mktemp("virtuoso"))


@pytest.fixture(scope="session")
def virtuoso_capped_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Virtuoso answering at most 10,000 rows a query, as Debian's ``virtuoso.ini`` sets it up."""
    yield from start_virtuoso(tmp_path_factory.mktemp("virtuoso-capped"), PACKAGED_ROWS)
