"""``s3graph serve`` and its port, run as a real process on 127.0.0.1.

A busy port is one line on stderr naming ``--port``, exit 2 (no traceback, no uvicorn log);
``--port 0`` takes a free port and the line the server prints names that port, which answers;
once the server has ended the port is free again (the query workers kept no copy of it).
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ingest_linked

from s3graph.cli import examples_dir
from s3graph.namespaces import DEFAULT_BASE
from s3graph.store import Store

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HOST = "127.0.0.1"
#: The line ``serve`` prints once it listens.
SERVING = re.compile(rf"open http://{re.escape(HOST)}:(\d+)/ \(SPARQL at http://[^:]+:(\d+)/sparql\)")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("serve") / "store"
    with Store.open(path) as opened:
        ingest_linked(opened, [examples_dir()], DEFAULT_BASE)
    yield path


def _serve(store: Path, *args: str) -> list[str]:
    command = "from s3graph.cli import main; main()"
    return [sys.executable, "-c", command, "--store", str(store), "serve", "--host", HOST, *args]


def test_a_busy_port_is_one_line_naming_the_option_and_exit_2(store: Path) -> None:
    with socket.create_server((HOST, 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            _serve(store, "--port", str(port)),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "--port" in lines[0] and f"{HOST}:{port}" in lines[0] and "in use" in lines[0]
    assert done.stdout == ""  # nothing claims to be serving


def test_port_0_serves_on_the_port_it_prints(store: Path) -> None:
    server = subprocess.Popen(
        _serve(store, "--port", "0"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        printed = server.stdout.readline()
        found = SERVING.search(printed)
        assert found, printed
        port = int(found.group(1))
        assert port != 0 and found.group(2) == found.group(1)
        # The socket listens before the line is printed: the page answers at once.
        with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=30) as response:
            assert response.status == 200
            assert "Mining Industry" in response.read().decode("utf-8")
    finally:
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors, errors
    # The workers are gone with the server and kept no copy of the socket: the port is free.
    with socket.create_server((HOST, port)):
        pass
