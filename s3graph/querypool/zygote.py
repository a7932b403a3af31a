"""The zygote: a process forked early that forks the query workers on demand.

Forking a multi-threaded process (a web server) can leave a child holding a lock that some other
thread had taken. The zygote is forked while its parent is still single-threaded and stays
single-threaded, so every worker is the fork of a quiet process: it shares the parent's store
copy-on-write and starts in milliseconds.

The pool talks to the zygote over a ``SOCK_SEQPACKET`` pair (one message per packet):

- ``("spawn", network)``: fork a worker; the answer is the worker's pid, with the pool's end of
  a fresh socket pair to the worker passed as a file descriptor (``SCM_RIGHTS``);
- ``("drain",)``: fork no more, and exit once every worker has ended.

The zygote ends when the pool's end closes or the pool's process dies (``PR_SET_PDEATHSIG``);
its workers end with it the same way.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import select
import socket
import stat
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from s3graph.process import die_with_parent
from s3graph.querypool import channel
from s3graph.querypool.isolation import cap_address_space, leave_network, private_memory

__all__ = ["Hello", "Zygote", "close_listeners", "fork_child", "reap", "serve_forks"]

#: The store a worker queries, made in the worker (or inherited: the function returns it).
Prepare = Callable[[], Any]
#: What a worker does with one job: ``handle(store, job) -> reply`` (both picklable).
Handle = Callable[[Any, Any], Any]

_PID = struct.Struct("!q")
#: Address space a worker may map beyond its memory limit (libraries, stacks, allocator slack).
_MAPPING_MARGIN = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Hello:
    """What a fresh worker says first: its memory baseline, network state, or why it failed,
    and the CPU it used so far (seconds)."""

    pid: int
    baseline: int
    isolated: bool
    error: BaseException | None = None
    cpu: float = 0.0


class Zygote:
    """The pool's handle on the zygote process."""

    def __init__(
        self,
        prepare: Prepare,
        handle: Handle,
        query_memory: int,
        warm: Callable[[], object] | None = None,
    ) -> None:
        """Fork the zygote now: call this while the process is single-threaded.

        ``warm()`` runs once in the zygote before it forks anything: what it loads or
        initialises lazily (modules, the engine's tables) every worker then has from the start
        (a worker's first query took 45-115 ms without it, 1 ms with it).
        """
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        parent = os.getpid()

        def zygote() -> None:  # pragma: no cover - runs in the child; its effects are tested
            ours.close()
            if warm is not None:
                warm()
            serve_forks(theirs, parent, prepare, handle, query_memory)

        self.pid = fork_child(zygote)
        theirs.close()
        self._control = ours

    @classmethod
    def adopt(cls, pid: int, control: socket.socket) -> Zygote:
        """The handle on a zygote forked by someone else (:class:`~.mother.Mother`)."""
        zygote = cls.__new__(cls)
        zygote.pid, zygote._control = pid, control
        return zygote

    def spawn(self, network: bool) -> tuple[int, socket.socket]:
        """A new worker's pid and a socket to it (:class:`OSError` if the zygote is gone).

        Not thread-safe: the pool calls it under its own lock.
        """
        self._control.send(b"spawn-net" if network else b"spawn")
        message, fds, _, _ = socket.recv_fds(self._control, _PID.size, 1)
        if len(message) != _PID.size or not fds:
            for fd in fds:
                os.close(fd)
            raise OSError("the query zygote did not answer")
        (pid,) = _PID.unpack(message)
        return pid, socket.socket(fileno=fds[0])

    def drain(self) -> None:
        """Fork no more; exit when the workers already forked have ended."""
        with contextlib.suppress(OSError):
            self._control.send(b"drain")
        self.close()

    def close(self) -> None:
        """Let the zygote go (it ends, and takes its workers with it, when this end closes)."""
        self._control.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, os.WNOHANG)


def fork_child(body: Callable[..., object], *args: Any) -> int:
    """Fork a child that runs ``body(*args)`` and exits (0, or 70 if it raised); its pid here."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 0
        try:
            body(*args)
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    return pid


# -- in the zygote -----------------------------------------------------------------------------


def serve_forks(
    control: socket.socket, parent: int, prepare: Prepare, handle: Handle, query_memory: int
) -> None:  # pragma: no cover - runs in the child
    """The zygote's loop: fork a worker for each ``spawn`` on ``control``, until it closes."""
    # What the parent's other threads held stays untouched: freeze it out of the collector, so
    # no inherited object is ever finalised here (it could close a descriptor we reuse).
    gc.freeze()
    faulthandler.disable()  # an engine crash in a worker is answered, not dumped on stderr
    die_with_parent(parent)
    close_listeners(keep=control.fileno())
    children: set[int] = set()
    draining = False
    while True:
        reap(children)
        if draining and not children:
            return
        ready, _, _ = select.select([control], [], [], 0.5)
        if not ready:
            continue
        try:
            command = control.recv(64)
        except OSError:
            command = b""
        if not command:
            return  # the pool is gone: our workers die with us
        if command == b"drain":
            draining = True
            continue
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        for_worker = (theirs, prepare, handle, query_memory, command == b"spawn-net")
        pid = fork_child(_start_worker, (control, ours), *for_worker)
        theirs.close()
        children.add(pid)
        try:
            socket.send_fds(control, [_PID.pack(pid)], [ours.fileno()])
        finally:
            ours.close()


def _start_worker(
    close: tuple[socket.socket, ...], sock: socket.socket, *args: Any
) -> None:  # pragma: no cover - runs in the grandchild
    for inherited in close:
        inherited.close()
    _worker(sock, *args)


def reap(children: set[int]) -> None:  # pragma: no cover - runs in the child
    while children:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            children.clear()
            return
        if pid == 0:
            return
        children.discard(pid)


def close_listeners(keep: int) -> None:  # pragma: no cover - runs in the child
    """Close inherited listening sockets, so a port the parent closes is really closed."""
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else ():
        fd = int(name)
        if fd == keep or fd < 3:
            continue
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            probe = socket.socket(fileno=os.dup(fd))
            try:
                listening = probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
            finally:
                probe.close()
            if listening:
                os.close(fd)
        except OSError:
            continue


# -- in a worker -------------------------------------------------------------------------------


def _worker(
    sock: socket.socket, prepare: Prepare, handle: Handle, query_memory: int, network: bool
) -> None:  # pragma: no cover - runs in the grandchild; its effects are tested
    die_with_parent(os.getppid())
    isolated = False if network else leave_network()
    try:
        store = prepare()
    except BaseException as exc:
        channel.send(sock, Hello(os.getpid(), 0, isolated, _portable(exc)))
        return
    cap_address_space(query_memory + _MAPPING_MARGIN)
    channel.send(sock, Hello(os.getpid(), private_memory(), isolated, cpu=time.process_time()))
    while True:
        try:
            job = channel.receive(sock)
        except (EOFError, OSError):
            return
        try:
            reply: tuple[str, Any] = ("ok", handle(store, job))
        except MemoryError:
            reply = ("error", MemoryError("the query ran out of memory"))
        except Exception as exc:
            reply = ("error", _portable(exc))
        try:  # with the CPU used so far: the pool counts a long query from there, unread
            channel.send(sock, (*reply, time.process_time()))
        except OSError:
            return


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError with its text."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc.with_traceback(None)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
