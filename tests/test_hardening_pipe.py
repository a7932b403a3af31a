"""Output into a closed pipe ends the command quietly with exit 0, as ``head`` expects.

Real processes and real pipes: the reader is gone before the command writes at all (its first
write fails, whatever its size: the case that must not end in a traceback), and the pipeline as
typed, ``s3graph ... | head -1``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from s3graph.cli import examples_dir, main
from s3graph.ingest import ingest
from s3graph.store import Store

S3GRAPH = [sys.executable, "-c", "from s3graph.cli import main; main()"]
MINING = examples_dir() / "mining-industry-2020-h2.txt"
BASE = "https://w3id.org/s3graph/"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")

COMMANDS = {
    "stats": ["stats"],
    "query": ["query", "partnerships"],
    "parse": ["parse", str(MINING)],
    "parse-ttl": ["parse", "--format", "ttl", str(MINING)],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pipe") / "store"
    with Store.open(folder) as opened:
        ingest(opened, [examples_dir()], base=BASE)
    return folder


def _start(store: Path, args: list[str], stdout: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*S3GRAPH, "--store", str(store), *args], stdout=stdout, stderr=subprocess.PIPE
    )


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_a_reader_gone_before_the_first_write(store: Path, command: str) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # `s3graph ... | true`: nobody will ever read
    process = _start(store, COMMANDS[command], writer)
    os.close(writer)
    _, stderr = process.communicate(timeout=120)
    assert stderr == b""
    assert process.returncode == 0


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_piped_into_head_dash_1(store: Path, command: str) -> None:
    """The pipeline as typed: whether a write fails depends on when head exits; never an error."""
    process = _start(store, COMMANDS[command], subprocess.PIPE)
    assert process.stdout is not None
    head = subprocess.run(["head", "-1"], stdin=process.stdout, capture_output=True, timeout=120)
    process.stdout.close()
    _, stderr = process.communicate(timeout=120)
    assert head.returncode == 0 and len(head.stdout.splitlines()) == 1
    assert stderr == b""
    assert process.returncode == 0


def test_the_whole_output_still_arrives_when_read(store: Path) -> None:
    result = subprocess.run(
        [*S3GRAPH, "--store", str(store), "stats"], capture_output=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout.startswith(b"quads: ")


def test_a_broken_pipe_that_is_not_the_output_is_still_a_bug(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe of s3graph's own (to a worker) breaking is no reader stopping early: exit 70."""
    import s3graph.sparql as queries

    def broken(*_args: object, **_kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(queries, "run_query", broken)
    result = CliRunner().invoke(main, ["--store", str(store), "stats"])
    assert result.exit_code == 70
    assert "internal error (BrokenPipeError)" in result.output
