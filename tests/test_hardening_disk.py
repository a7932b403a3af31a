"""A full disk during ingest: exit 3, one line naming the folder, and the store as it was.

For real where the test may mount a small tmpfs (root on Linux, as in CI): one report fits, sixty
more do not. Everywhere: ENOSPC injected where the store writes, in both forms it takes (Python's
``OSError`` with ``errno`` 28, and RocksDB's text through pyoxigraph, without errno).
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hardening_synth import write_reports

from s3graph.cli import examples_dir, main
from s3graph.errors import NoSpaceError, StoreError, is_no_space, no_space_error
from s3graph.store import Store

S3GRAPH = [sys.executable, "-c", "from s3graph.cli import main; main()"]
MINING = examples_dir() / "mining-industry-2020-h2.txt"
BATTERIES = examples_dir() / "advanced-materials-for-batteries-2021-h1.txt"
MINING_GRAPH = "https://w3id.org/s3graph/report/mining-industry/2020-H2"
BATTERIES_GRAPH = "https://w3id.org/s3graph/report/advanced-materials-for-batteries/2021-H1"
#: RocksDB's words for a full disk, as pyoxigraph raises them (an OSError without errno).
ROCKSDB_FULL = "IO error: No space left on device: While appending to file: {}/000039.log: No space"


def _one_no_space_line(stderr: str, store: Path) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert re.fullmatch(rf"s3graph: no space left on {re.escape(str(store))} \(.+\)", lines[0])
    assert "internal error" not in stderr and "not an s3graph store" not in stderr


def _snapshot(store: Path) -> tuple[list[str], int]:
    """The graphs and the number of quads, read without writing anything."""
    with Store.open(store, read_only=True) as opened:
        return opened.graphs(), opened.count()


# -- for real, on a small tmpfs ----------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs mounted in a temporary folder (skips where mounting is not allowed)."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root on Linux (CI runs the suite as root)")
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mount -t tmpfs is not permitted here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)]).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*S3GRAPH, *args], capture_output=True, text=True, timeout=300)


def test_a_full_disk_is_exit_3_and_leaves_the_store_as_it_was(
    small_disk: Path, tmp_path: Path
) -> None:
    reports = write_reports(tmp_path / "reports", 60)
    store = small_disk / "store"

    first = _run("--store", str(store), "ingest", str(MINING))
    assert first.returncode == 0, first.stderr
    before = _snapshot(store)
    assert MINING_GRAPH in before[0]

    full = _run("--store", str(store), "ingest", str(reports))
    assert full.returncode == 3, full.stderr
    _one_no_space_line(full.stderr, store)
    assert full.stdout == ""
    assert _snapshot(store) == before  # the first report, whole; nothing of the failed run

    # With room again the store opens for writing, holds the first report, and takes the rest.
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    stats = _run("--store", str(store), "stats")
    assert stats.returncode == 0 and "reports: 1\n" in stats.stdout, stats.stderr
    again = _run("--store", str(store), "ingest", str(reports))
    assert again.returncode == 0, again.stderr
    graphs, _ = _snapshot(store)
    assert MINING_GRAPH in graphs
    own = ("/validation", "/source-text")  # a report's validation and its source bytes
    assert sum(1 for g in graphs if "/report/" in g and not g.endswith(own)) == 61


# -- ENOSPC injected at the write points ---------------------------------------------------------


class _FullDisk:
    """A pyoxigraph store whose writes fail as a full disk does; reads go to the real one."""

    WRITES = ("bulk_load", "load", "update", "flush")

    def __init__(self, inner: ox.Store, error: Exception, flush: Exception | None = None) -> None:
        self._inner = inner
        self._error = error
        self._flush = flush or error

    def __getattr__(self, name: str) -> Any:
        if name in self.WRITES:

            def fail(*_args: Any, **_kwargs: Any) -> None:
                raise self._flush if name == "flush" else self._error

            return fail
        return getattr(self._inner, name)

    def __len__(self) -> int:
        return len(self._inner)


def _errors(store: Path) -> list[Exception]:
    return [
        OSError(ROCKSDB_FULL.format(store)),
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
        RuntimeError(ROCKSDB_FULL.format(store)),
    ]


@pytest.mark.parametrize("kind", ["rocksdb-text", "python-errno", "runtime-error"])
def test_a_full_disk_in_the_cli_ingest_is_exit_3_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", str(store), "ingest", str(MINING)]).exit_code == 0
    before = _snapshot(store)
    kinds = ["rocksdb-text", "python-errno", "runtime-error"]
    error = dict(zip(kinds, _errors(store), strict=True))[kind]

    real_open = Store.open

    def open_full(path: Path, *, read_only: bool = False) -> Store:
        opened = real_open(path, read_only=read_only)
        if not read_only:
            opened._inner = _FullDisk(opened._store, error)  # type: ignore[assignment]
        return opened

    monkeypatch.setattr(Store, "open", staticmethod(open_full))
    result = runner.invoke(main, ["--store", str(store), "ingest", str(BATTERIES)])
    monkeypatch.undo()

    assert result.exit_code == 3, result.output
    _one_no_space_line(result.output, store)
    assert _snapshot(store) == before
    assert BATTERIES_GRAPH not in before[0]


def test_the_store_names_a_full_disk_when_writing_and_when_flushing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    real = store._store
    store._inner = _FullDisk(real, OSError(ROCKSDB_FULL.format(tmp_path)))  # type: ignore[assignment]
    from s3graph.ingest import ingest

    with pytest.raises(NoSpaceError) as raised:
        ingest(store, [MINING], base="https://w3id.org/s3graph/")
    assert str(raised.value).startswith(f"s3graph: no space left on {tmp_path / 'store'} (")
    assert raised.value.exit_code == 3 and isinstance(raised.value, StoreError)
    with pytest.raises(NoSpaceError):
        store.close()  # the flush fails too, said the same way, and the store is released
    assert repr(store).endswith("closed>")
    with Store.open(tmp_path / "store", read_only=True) as again:
        assert again.count() == 0


def test_closing_after_a_failed_write_keeps_the_write_error(tmp_path: Path) -> None:
    """``with Store.open(...)``: a flush that fails on the way out must not hide why."""
    from s3graph.ingest import ingest

    flush_error = OSError("IO error: No space left on device: While appending to MANIFEST-000044")
    write_error = OSError(ROCKSDB_FULL.format(tmp_path))
    with pytest.raises(NoSpaceError, match=r"000039\.log"), Store.open(tmp_path / "s") as store:
        store._inner = _FullDisk(store._store, write_error, flush_error)  # type: ignore[assignment]
        ingest(store, [MINING], base="https://w3id.org/s3graph/")
    with pytest.raises(KeyError), Store.open(tmp_path / "other") as store:
        store._inner = _FullDisk(store._store, flush_error)  # type: ignore[assignment]
        raise KeyError("the block's own error")


def test_a_python_write_that_fills_a_disk_names_the_file_s_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import s3graph.ingest as core

    target = tmp_path / "elsewhere" / "file.nq"

    def full(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(core, "ingest", full)
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "store"), "ingest", str(MINING)])
    assert result.exit_code == 3, result.output
    _one_no_space_line(result.output, target.parent)


@pytest.mark.parametrize(
    ("error", "full"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), True),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), True),
        (OSError("IO error: No space left on device: While appending to file: x.log"), True),
        (RuntimeError("IO error: No space left on device"), True),
        (OSError(errno.EACCES, "Permission denied"), False),
        (OSError("IO error: lock hold by current process"), False),
        (ValueError("No space left on device"), False),
    ],
)
def test_what_counts_as_a_full_disk(error: BaseException, full: bool) -> None:
    assert is_no_space(error) is full


def test_the_no_space_error_is_one_line_and_survives_pickling() -> None:
    import pickle

    error = no_space_error("/data/store", OSError("IO error: No space left on device\nmore"))
    assert "\n" not in str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error) and copy.exit_code == 3
