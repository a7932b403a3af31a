"""What the pool holds of each worker, of each waiting job, and what a job's answer is.

:class:`Worker` is the pool's handle on one worker process: its socket, a pidfd to kill it
(never a stranger reusing the pid), what it is running and since when, and its niceness.
:class:`Waiter` is a job waiting for a worker; :class:`Done` a job's answer and its timing.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from s3graph.querypool import channel
from s3graph.querypool.zygote import Handle, Hello, Prepare, Zygote

__all__ = ["Done", "Waiter", "Worker", "ZygoteFactory", "fork_here", "welcome"]

#: What makes the pool's zygote: ``(prepare, handle, query_memory, warm, inherit) -> Zygote``.
#: By default it is forked from this process (:func:`fork_here`); a
#: :class:`~s3graph.querypool.mother.Mother` forks it from a process with no threads instead.
ZygoteFactory = Callable[[Prepare, Handle, int, "Callable[[], object] | None", bool], Zygote]


def fork_here(
    prepare: Prepare,
    handle: Handle,
    query_memory: int,
    warm: Callable[[], object] | None,
    inherit: bool,
) -> Zygote:
    """A zygote forked from this process (single-threaded now, or it must be with ``inherit``)."""
    return Zygote(prepare, handle, query_memory, warm)


@dataclass(frozen=True, slots=True)
class Done:
    """A job's answer (``value``, or the ``error`` its handler raised) and its timing."""

    value: Any
    error: BaseException | None
    waited: float
    ran: float

    def result(self) -> Any:
        """The value, or raise the handler's error."""
        if self.error is not None:
            raise self.error
        return self.value


@dataclass(eq=False)
class Waiter:
    """A job waiting for a worker: it is handed one, or leave to fork one."""

    worker: Worker | None = None
    may_spawn: bool = False
    event: threading.Event = field(default_factory=threading.Event)


@dataclass(eq=False)
class Worker:
    """One worker process, as the pool sees it."""

    pid: int
    pidfd: int
    sock: socket.socket
    baseline: int
    network: bool
    generation: int
    started: float = 0.0
    #: CPU seconds the worker had used when its job began (what it said after the last one).
    cpu_started: float = 0.0
    deadline: float = math.inf
    cancel: threading.Event | None = None
    reason: str | None = None
    grown: int = 0
    waited: float = 0.0
    long: bool = field(default=False)
    nice: int = 0

    def renice(self, nice: int) -> None:
        """Set the worker's niceness (raising it needs no privilege; lowering it may)."""
        if nice == self.nice:
            return
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, nice)
        except OSError:
            return
        self.nice = nice

    def kill(self, reason: str) -> None:
        if self.reason is None:
            self.reason = reason
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)

    def close(self) -> None:
        self.kill("retired")
        self.sock.close()
        with contextlib.suppress(OSError):
            os.close(self.pidfd)


def welcome(pid: int, sock: socket.socket, network: bool, generation: int) -> tuple[Worker, Hello]:
    """The handle on a worker just forked, once it said hello; raises what kept it from starting
    (:class:`RuntimeError` when it died first), the worker killed and closed then."""
    try:
        pidfd = os.pidfd_open(pid)
    except OSError:
        sock.close()
        raise
    worker = Worker(pid, pidfd, sock, 0, network, generation)
    try:
        hello: Hello = channel.receive(sock)
    except (EOFError, OSError) as exc:
        worker.close()
        raise RuntimeError("a query worker died while starting") from exc
    if hello.error is not None:
        worker.close()
        raise hello.error
    worker.baseline, worker.cpu_started = hello.baseline, hello.cpu
    return worker, hello
