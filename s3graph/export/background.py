"""A job run beside the export's main loop, in a forked child process when the system forks.

Reading the store is one core's work (pyoxigraph decodes every term in Rust while holding the
GIL); writing the partnership files and the CSV tables can go on meanwhile on another core. The
job is inherited by the fork (it need not be picklable); its result, or the exception it raised,
comes back pickled through a pipe. Where there is no ``fork`` the job runs in the caller when
its result is asked for.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from s3graph.process import die_with_parent

__all__ = ["Background", "can_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    """Whether jobs run in forked children here (more than one core, and ``fork`` exists)."""
    return (os.cpu_count() or 1) > 1 and "fork" in mp.get_all_start_methods()


class Background(Generic[T]):
    """``job()`` running in a forked child (or, without fork, deferred to :meth:`result`)."""

    def __init__(self, job: Callable[[], T], *, fork: bool | None = None) -> None:
        self._job = job
        self._receiver: Connection | None = None
        self._process: Any = None
        if fork if fork is not None else can_fork():
            context = mp.get_context("fork")
            self._receiver, sender = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_child, args=(job, sender, os.getpid()), daemon=True
            )
            self._process.start()
            sender.close()

    @property
    def forked(self) -> bool:
        """Whether the job runs in a child process."""
        return self._process is not None

    def result(self) -> T:
        """Wait for the job; its result, or its exception raised again here."""
        if self._receiver is None:
            return self._job()
        try:
            outcome, value = self._receiver.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(
                f"the export's background job died (exit code {self._process.exitcode})"
            ) from None
        finally:
            self._receiver.close()
        self._process.join()
        if outcome == "error":
            raise value
        return value

    def stop(self) -> None:
        """End the child if it still runs (after a failure of the main loop)."""
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()


def _child(job: Callable[[], Any], sender: Connection, parent: int) -> None:
    die_with_parent(parent)  # a killed export leaves no child writing on
    try:
        sender.send(("ok", job()))
    except BaseException as exc:  # sent to the parent, which raises it
        try:
            sender.send(("error", exc))
        except Exception:  # not picklable: its text will do
            sender.send(("error", RuntimeError("".join(traceback.format_exception(exc)))))
    finally:
        sender.close()
