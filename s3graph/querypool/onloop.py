"""A job answered from an event loop: sent to an idle worker and awaited there, no thread between.

:meth:`QueryPool.run <s3graph.querypool.pool.QueryPool.run>` blocks, so the web server called it
from a waiting thread: the request went from the event loop to a thread, to the worker, back to
the thread and back to the loop, four wake-ups where two do (on a busy machine each can wait
for a core). :func:`answer` sends the job to an idle worker and awaits its answer on the loop
itself. When no worker is idle (or jobs already wait, or the pool was handed over) it falls back
to ``run`` in ``executor``, which queues the job as before. The protections are the pool's
either way: the supervisor kills the worker at the deadline or past its memory, which ends the
await with :class:`~s3graph.querypool.stopped.QueryStopped`; a request cancelled (its client
went away, the server stopping) kills its worker at once.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from concurrent.futures import Executor
from typing import Any

from s3graph.querypool import channel
from s3graph.querypool.pool import QueryPool
from s3graph.querypool.workers import Done

__all__ = ["answer"]


async def answer(
    pool: QueryPool,
    job: Any,
    *,
    arrived: float,
    network: bool = False,
    executor: Executor | None = None,
) -> Done:
    """``pool.run(job, ...)``, awaited (see the module's docstring); raises what ``run`` raises."""
    worker = pool.claim_idle(network)
    if worker is None:
        cancel = threading.Event()
        run = functools.partial(pool.run, job, arrived=arrived, network=network, cancel=cancel)
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, run)
        except asyncio.CancelledError:
            cancel.set()  # the caller went away: free the worker
            raise
    pool.begin(worker, arrived, None)
    try:
        reply = await channel.exchange(worker.sock, job)
    except (EOFError, OSError):
        raise pool.lost(worker) from None
    except asyncio.CancelledError:
        worker.kill("cancelled")
        pool.lost(worker)
        raise
    return pool.finish(worker, reply)
