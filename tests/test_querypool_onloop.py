"""A job answered from an event loop (s3graph.querypool.onloop): the same answers and stops as
``QueryPool.run``, the idle worker reused, a cancelled request's worker killed at once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from test_querypool import PRODUCT, pool

from s3graph.api.execute import QueryJob
from s3graph.querypool import WorkerTimeout
from s3graph.querypool.onloop import answer

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except OSError:
        return True


def test_an_idle_worker_answers_on_the_loop_and_stays_for_the_next_job() -> None:
    with pool(timeout=5) as p:
        first = p.run(QueryJob(COUNT))  # a worker now idle
        pids = p.worker_pids()

        async def both() -> tuple[object, object]:
            one = await answer(p, QueryJob(COUNT), arrived=time.monotonic())
            two = await answer(p, QueryJob("ASK { ?s ?p ?o }"), arrived=time.monotonic())
            return one.result(), two.result()

        counted, asked = asyncio.run(both())
        assert counted == first.result()
        assert b"true" in asked.body  # type: ignore[attr-defined]
        assert p.worker_pids() == pids  # the same worker, back among the idle ones


def test_with_no_idle_worker_the_job_runs_in_the_executor_as_before() -> None:
    with pool(timeout=5) as p:  # no worker forked yet: run() forks one, in a thread

        async def one() -> object:
            return (await answer(p, QueryJob(COUNT), arrived=time.monotonic())).result()

        assert b'"40"' in asyncio.run(one()).body  # type: ignore[attr-defined]
        assert p.counts()["idle"] == 1


def test_the_deadline_stops_a_job_awaited_on_the_loop() -> None:
    with pool(timeout=0.5) as p:
        p.run(QueryJob(COUNT))
        started = time.monotonic()
        with pytest.raises(WorkerTimeout):
            asyncio.run(answer(p, QueryJob(PRODUCT), arrived=started))
        assert time.monotonic() - started < 2


def test_a_cancelled_job_kills_its_worker_at_once() -> None:
    with pool(timeout=30) as p:
        p.run(QueryJob(COUNT))
        [pid] = p.worker_pids()

        async def cancelled() -> None:
            task = asyncio.create_task(answer(p, QueryJob(PRODUCT), arrived=time.monotonic()))
            await asyncio.sleep(0.3)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

        asyncio.run(cancelled())
        deadline = time.monotonic() + 1
        while not _gone(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(pid)
        assert p.counts()["alive"] == 0
        assert b'"40"' in p.run(QueryJob(COUNT)).result().body  # the pool goes on
