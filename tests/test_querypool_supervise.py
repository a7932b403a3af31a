"""The supervisor's priorities (s3graph.querypool.supervise): a slow query is lowered only while
other queries run or wait; alone it keeps its priority (it would only lose the cores to other
programs). Workers here are sleeping child processes, so renicing them harms nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from s3graph.querypool import PoolLimits
from s3graph.querypool.supervise import LONG_NICE, SLOW_NICE, check
from s3graph.querypool.workers import Worker


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    """Two busy workers (sleeping children), their queries begun a second ago."""
    children = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
                for _ in range(2)]  # fmt: skip
    found = []
    for child in children:
        worker = Worker(child.pid, os.pidfd_open(child.pid), None, 0, False, 0)  # type: ignore[arg-type]
        worker.started = time.monotonic() - 1.0
        worker.cpu_started = 0.0
        found.append(worker)
    yield found
    for child, worker in zip(children, found, strict=True):
        child.kill()
        child.wait()
        os.close(worker.pidfd)


def niceness(worker: Worker) -> int:
    return os.getpriority(os.PRIO_PROCESS, worker.pid)


LIMITS = PoolLimits(timeout=60, workers=4, long_queries=2)


def test_a_slow_query_alone_keeps_its_priority(workers: list[Worker]) -> None:
    alone = workers[0]
    check([alone], LIMITS, time.monotonic(), waiting=False)
    assert alone.reason is None
    assert niceness(alone) == 0


def test_a_slow_query_is_lowered_while_another_runs(workers: list[Worker]) -> None:
    check(workers, LIMITS, time.monotonic(), waiting=False)
    assert [niceness(w) for w in workers] == [SLOW_NICE, SLOW_NICE]


def test_a_slow_query_is_lowered_while_a_job_waits(workers: list[Worker]) -> None:
    alone = workers[0]
    check([alone], LIMITS, time.monotonic(), waiting=True)
    assert niceness(alone) == SLOW_NICE


def test_a_long_query_is_lowered_most_and_only_under_contention(workers: list[Worker]) -> None:
    first, second = workers
    first.long = True
    check([first], LIMITS, time.monotonic(), waiting=False)
    assert niceness(first) == 0
    check(workers, LIMITS, time.monotonic(), waiting=False)
    assert (niceness(first), niceness(second)) == (LONG_NICE, SLOW_NICE)
