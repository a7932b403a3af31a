"""Forked workers end when their parent dies, even by ``kill -9`` (nothing else could stop them).

Real processes: ``s3graph ingest`` of enough synthetic reports to read them in worker processes,
and an export-style :class:`~s3graph.export.background.Background` job. The workers are found
the way ``ps`` finds them, by the parent pid in ``/proc/PID/stat``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hardening_synth import write_reports

from s3graph.ingest import PARALLEL_FROM
from s3graph.process import die_with_parent, parent_death_signal

#: The command line, as its console script runs it.
S3GRAPH = [sys.executable, "-c", "from s3graph.cli import main; main()"]

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the parent-death signal and /proc are Linux's"
)


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, ppid) of a process, None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text.rpartition(")")[2].split()  # after "pid (comm)", whatever comm holds
    return fields[0], int(fields[1])


def _alive(pid: int) -> bool:
    """Running or sleeping: a zombie (dead, not yet reaped by whoever adopted it) is not alive."""
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == parent and stat[0] not in ("Z", "X"):
                found.append(int(entry.name))
    return found


def _wait_for_children(process: subprocess.Popen[bytes], count: int, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        children = _children(process.pid)
        if len(children) >= count:
            return children
        assert process.poll() is None, f"the parent ended first (exit {process.returncode})"
        time.sleep(0.02)
    raise AssertionError(f"fewer than {count} children of {process.pid} after {seconds} s")


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    """The pids still alive after ``seconds`` (empty: all of them ended in time)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return []
        time.sleep(0.02)
    return [pid for pid in pids if _alive(pid)]


@pytest.fixture
def cleanup() -> Iterator[list[int]]:
    """Pids the test started (directly or not); any still alive at the end is killed."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _kill_parent_and_check(parent: subprocess.Popen[bytes], workers: list[int]) -> None:
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(5)
    survivors = _gone_within(workers, 2.0)
    assert not survivors, f"workers {survivors} outlived their parent {parent.pid}"


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="ingest reads in workers from 2 cores")
def test_kill_9_of_an_ingest_ends_its_workers(tmp_path: Path, cleanup: list[int]) -> None:
    # Several seconds of reading on 2 cores.
    reports = write_reports(tmp_path / "reports", max(PARALLEL_FROM * 6, 200))
    command = [*S3GRAPH, "--store", str(tmp_path / "store")]
    ingest = subprocess.Popen(
        [*command, "ingest", str(reports)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    cleanup.append(ingest.pid)
    workers = _wait_for_children(ingest, os.cpu_count() or 2, 60)
    cleanup.extend(workers)
    time.sleep(0.2)  # the workers are past their set-up, reading reports
    assert all(_alive(pid) for pid in workers)
    _kill_parent_and_check(ingest, workers)


def test_kill_9_of_a_process_with_a_background_job_ends_the_job(cleanup: list[int]) -> None:
    script = textwrap.dedent(
        """
        import time
        from s3graph.export.background import Background

        job = Background(lambda: time.sleep(120), fork=True)
        print("started", flush=True)
        time.sleep(120)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    cleanup.append(parent.pid)
    assert parent.stdout is not None and parent.stdout.readline() == b"started\n"
    children = _wait_for_children(parent, 1, 10)
    cleanup.extend(children)
    _kill_parent_and_check(parent, children)


def test_a_child_whose_parent_is_already_gone_ends_at_once() -> None:
    """The race the death signal misses: the parent died before the child armed it."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        die_with_parent(os.getppid() + 1_000_000)  # not its parent: as if it had been reparented
        os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def test_the_death_signal_is_armed_in_the_child_only() -> None:
    assert parent_death_signal() == 0  # this process: untouched
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        die_with_parent(os.getppid())
        os.write(writer, str(parent_death_signal()).encode())
        os._exit(0)
    os.close(writer)
    os.waitpid(child, 0)
    assert int(os.read(reader, 16)) == signal.SIGKILL
    os.close(reader)
